import { MediaType } from '@intake/core';

const startsWith = (b: Uint8Array, sig: number[], at = 0): boolean => sig.every((v, i) => b[at + i] === v);
const ascii = (b: Uint8Array, from: number, to: number): string => Buffer.from(b.subarray(from, Math.min(to, b.length))).toString('latin1');

/**
 * The media type from the bytes alone (magic numbers, and for text formats the root
 * element or `resourceType`), never from a file name or a declared type.
 */
export function detectMediaType(bytes: Uint8Array): string | undefined {
  if (bytes.length < 4) return undefined;
  // PDF: "%PDF-" within the first 1 KiB (some generators prepend junk).
  if (ascii(bytes, 0, 1024).includes('%PDF-')) return MediaType.pdf;
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a])) return MediaType.tiff;
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return MediaType.jpeg;
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return MediaType.png;
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP') return MediaType.webp;
  if (ascii(bytes, 4, 8) === 'ftyp') {
    const brands = ascii(bytes, 8, 12) + ascii(bytes, 16, Math.min(bytes.length, 64));
    if (/heic|heix|heim|heis|hevc|hevx|mif1|msf1/.test(brands) && !/avif/.test(ascii(bytes, 8, 12))) return MediaType.heic;
    return undefined;
  }
  return detectText(bytes);
}

function detectText(bytes: Uint8Array): string | undefined {
  let head = Buffer.from(bytes.subarray(0, 4096)).toString('utf8');
  if (head.charCodeAt(0) === 0xfeff) head = head.slice(1);
  const trimmed = head.trimStart();
  if (trimmed.startsWith('<')) {
    // The first element after the prolog, comments and processing instructions.
    const body = trimmed.replace(/<\?[\s\S]*?\?>/g, '').replace(/<!--[\s\S]*?-->/g, '').replace(/<!DOCTYPE[^>]*>/gi, '');
    const root = /<\s*(?:[A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)/.exec(body);
    if (root?.[1] === 'ClinicalDocument') return MediaType.ccda;
    return undefined;
  }
  if (trimmed.startsWith('{')) {
    // resourceType is usually first but need not be: look in the whole document when small.
    const text = bytes.length <= 4096 ? trimmed : Buffer.from(bytes.subarray(0, Math.min(bytes.length, 1 << 20))).toString('utf8');
    if (/"resourceType"\s*:\s*"[A-Z][A-Za-z]+"/.test(text)) return MediaType.fhir;
  }
  return undefined;
}
