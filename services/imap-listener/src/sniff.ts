import { MediaType, type KnownMediaType } from '@intake/core';
import { isMsg, isTnef } from '@intake/documents/containers';

/**
 * What a part is, from its bytes (names and declared types lie). `zip` and `unknown` are
 * ours; the rest are the pipeline's media types. The reader sniffs again downstream;
 * this only decides what the mail channel takes in.
 */
export type SniffedKind = KnownMediaType | 'application/zip' | 'image/gif' | 'unknown';

const startsWith = (b: Uint8Array, sig: number[], at = 0) => sig.every((v, i) => b[at + i] === v);

function textHead(bytes: Uint8Array, max = 65_536): string {
  const head = bytes.subarray(0, max);
  if (startsWith(head, [0xff, 0xfe])) return Buffer.from(head.subarray(2)).toString('utf16le');
  if (startsWith(head, [0xfe, 0xff])) {
    const body = Buffer.from(head.subarray(2, 2 + ((head.length - 2) & ~1)));
    return body.swap16().toString('utf16le');
  }
  const s = Buffer.from(head).toString('utf8');
  return s.charCodeAt(0) === 0xfeff ? s.slice(1) : s;
}

export function sniff(bytes: Uint8Array): SniffedKind {
  if (bytes.length < 4) return 'unknown';
  // Containers of documents: a winmail.dat (TNEF) and an attached Outlook message (.msg); opened at intake.
  if (isTnef(bytes)) return MediaType.tnef;
  if (isMsg(bytes)) return MediaType.msg;
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46, 0x2d])) return MediaType.pdf; // %PDF-
  // Some PDF producers put junk before the header; readers accept it within the first KB.
  if (Buffer.from(bytes.subarray(0, 1024)).includes('%PDF-')) return MediaType.pdf;
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a])) return MediaType.tiff;
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return MediaType.jpeg;
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return MediaType.png;
  if (startsWith(bytes, [0x47, 0x49, 0x46, 0x38])) return 'image/gif';
  if (startsWith(bytes, [0x52, 0x49, 0x46, 0x46]) && startsWith(bytes, [0x57, 0x45, 0x42, 0x50], 8)) return MediaType.webp;
  if (startsWith(bytes, [0x66, 0x74, 0x79, 0x70], 4)) {
    const brand = Buffer.from(bytes.subarray(8, 12)).toString('latin1');
    if (['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1'].includes(brand)) return MediaType.heic;
  }
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) || startsWith(bytes, [0x50, 0x4b, 0x05, 0x06])) return 'application/zip';
  const head = textHead(bytes).trimStart();
  if (head.startsWith('<') && /<(?:[A-Za-z][\w.-]*:)?ClinicalDocument[\s>]/.test(head)) return MediaType.ccda;
  if (head.startsWith('{') && /"resourceType"\s*:\s*"[A-Z][A-Za-z]+"/.test(head)) return MediaType.fhir;
  if (head.startsWith('{') && bytes.length <= 50 * 1024 * 1024) {
    // resourceType can come after a long "entry" array in a Bundle written by some exporters.
    try {
      const parsed = JSON.parse(textHead(bytes, bytes.length)) as { resourceType?: unknown };
      if (typeof parsed?.resourceType === 'string') return MediaType.fhir;
    } catch {
      // not JSON
    }
  }
  return 'unknown';
}

/** Pixel size from an image header, when it is cheap to read (PNG, GIF, JPEG). */
export function imageDimensions(bytes: Uint8Array): { width: number; height: number } | undefined {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (startsWith(b, [0x89, 0x50, 0x4e, 0x47]) && b.length >= 24) return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
  if (startsWith(b, [0x47, 0x49, 0x46, 0x38]) && b.length >= 10) return { width: b.readUInt16LE(6), height: b.readUInt16LE(8) };
  if (startsWith(b, [0xff, 0xd8])) {
    let i = 2;
    while (i + 9 < b.length) {
      if (b[i] !== 0xff) {
        i++;
        continue;
      }
      const marker = b[i + 1]!;
      if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0xff) {
        i += marker === 0xff ? 1 : 2;
        continue;
      }
      const len = b.readUInt16BE(i + 2);
      // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC)
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        return { height: b.readUInt16BE(i + 5), width: b.readUInt16BE(i + 7) };
      }
      i += 2 + len;
    }
  }
  return undefined;
}

const EXTENSIONS: Record<string, string> = {
  [MediaType.pdf]: 'pdf',
  [MediaType.tiff]: 'tif',
  [MediaType.jpeg]: 'jpg',
  [MediaType.png]: 'png',
  [MediaType.webp]: 'webp',
  [MediaType.heic]: 'heic',
  [MediaType.ccda]: 'xml',
  [MediaType.fhir]: 'json',
  [MediaType.eml]: 'eml',
  [MediaType.msg]: 'msg',
  [MediaType.tnef]: 'dat',
  'application/zip': 'zip',
  'image/gif': 'gif',
};

export function extensionFor(kind: string): string {
  return EXTENSIONS[kind] ?? 'bin';
}

/** What a name or a declared type claims, for parts whose bytes we do not recognise. */
export function declaredKind(fileName: string | undefined, contentType: string | undefined): SniffedKind {
  const ext = fileName?.toLowerCase().match(/\.([a-z0-9]{1,5})$/)?.[1];
  const type = contentType?.toLowerCase().split(';')[0]?.trim();
  if (ext === 'pdf' || type === 'application/pdf') return MediaType.pdf;
  if (ext === 'tif' || ext === 'tiff' || type === 'image/tiff') return MediaType.tiff;
  if (ext === 'jpg' || ext === 'jpeg' || type === 'image/jpeg') return MediaType.jpeg;
  if (ext === 'png' || type === 'image/png') return MediaType.png;
  if (ext === 'heic' || ext === 'heif' || type === 'image/heic' || type === 'image/heif') return MediaType.heic;
  if (ext === 'zip' || type === 'application/zip' || type === 'application/x-zip-compressed') return 'application/zip';
  return 'unknown';
}
