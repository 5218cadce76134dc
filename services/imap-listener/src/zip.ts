import { crc32 } from 'node:zlib';
import { inflateSync } from 'fflate';

/**
 * ZIP archives of records, unpacked with limits: number of entries, size of one entry,
 * total size, nesting depth. Sizes are checked against the central directory before
 * anything is inflated, and inflation writes into a buffer of the declared size, so an
 * archive that lies about its sizes cannot make us allocate more than the limits allow
 * (it fails its CRC instead). Pure: bytes in, entries and reasons out.
 */
export interface ZipLimits {
  maxEntries: number;
  maxEntryBytes: number;
  maxTotalBytes: number;
}

export interface ZipEntry {
  name: string;
  bytes: Uint8Array;
}

export interface ZipRefusal {
  /** The entry's path inside the archive; absent for a problem with the whole archive. */
  name?: string;
  size?: number;
  code: 'encrypted' | 'too-large' | 'too-many-entries' | 'unsupported' | 'corrupt';
  reason: string;
}

export interface ZipContents {
  entries: ZipEntry[];
  refused: ZipRefusal[];
}

/** Files that archivers add and nobody sent on purpose. */
function isJunk(name: string): boolean {
  const base = name.split('/').pop() ?? '';
  return name.startsWith('__MACOSX/') || base === '.DS_Store' || base === 'Thumbs.db' || base === 'desktop.ini' || base.startsWith('._');
}

const EOCD = 0x06054b50;
const CEN = 0x02014b50;
const LOC = 0x04034b50;

/** `budget.remaining` is shared across nested archives of one message. */
export function unzip(data: Uint8Array, limits: ZipLimits, budget: { remaining: number }): ZipContents {
  const b = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const refused: ZipRefusal[] = [];
  const entries: ZipEntry[] = [];
  const whole = (code: ZipRefusal['code'], reason: string): ZipContents => ({ entries: [], refused: [{ code, reason }] });

  let eocd = -1;
  for (let i = b.length - 22; i >= Math.max(0, b.length - 22 - 65_535); i--) {
    if (b.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return whole('corrupt', 'ZIP archive is damaged or incomplete (no central directory): ask the sender to send it again');
  const count = b.readUInt16LE(eocd + 10);
  const cdSize = b.readUInt32LE(eocd + 12);
  const cdOffset = b.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdOffset === 0xffffffff || cdSize === 0xffffffff) {
    return whole('unsupported', 'ZIP64 archive (over 4 GB or 65,535 files) is not unpacked: ask the sender to send the files separately');
  }
  if (cdOffset + cdSize > b.length) return whole('corrupt', 'ZIP archive is damaged (central directory out of range): ask the sender to send it again');

  let p = cdOffset;
  let files = 0;
  for (let n = 0; n < count; n++) {
    if (p + 46 > b.length || b.readUInt32LE(p) !== CEN) {
      refused.push({ code: 'corrupt', reason: 'ZIP archive is damaged (bad central directory entry): remaining files not unpacked' });
      break;
    }
    const flags = b.readUInt16LE(p + 8);
    const method = b.readUInt16LE(p + 10);
    const crc = b.readUInt32LE(p + 16);
    const compSize = b.readUInt32LE(p + 20);
    const size = b.readUInt32LE(p + 24);
    const nameLen = b.readUInt16LE(p + 28);
    const extraLen = b.readUInt16LE(p + 30);
    const commentLen = b.readUInt16LE(p + 32);
    const localOffset = b.readUInt32LE(p + 42);
    const rawName = b.subarray(p + 46, p + 46 + nameLen);
    const name = (flags & 0x800 ? rawName.toString('utf8') : rawName.toString('latin1')).replace(/\\/g, '/');
    p += 46 + nameLen + extraLen + commentLen;

    if (name.endsWith('/') || isJunk(name)) continue;
    files++;
    if (files > limits.maxEntries) {
      refused.push({ code: 'too-many-entries', reason: `ZIP archive has more than ${limits.maxEntries} files: the rest were not unpacked; ask the sender to split it` });
      break;
    }
    if (flags & 0x1) {
      refused.push({ name, size, code: 'encrypted', reason: 'password-protected file in a ZIP archive: ask the sender for an unprotected copy' });
      continue;
    }
    if (method !== 0 && method !== 8) {
      refused.push({ name, size, code: 'unsupported', reason: `ZIP compression method ${method} is not supported: ask the sender to use a standard ZIP` });
      continue;
    }
    if (size > limits.maxEntryBytes) {
      refused.push({ name, size, code: 'too-large', reason: `file in a ZIP archive is larger than the ${Math.round(limits.maxEntryBytes / 1048576)} MB limit: ask the sender to send it separately` });
      continue;
    }
    if (size > budget.remaining) {
      refused.push({ name, size, code: 'too-large', reason: `the ZIP archives in this message unpack to more than the ${Math.round(limits.maxTotalBytes / 1048576)} MB limit: ask the sender to split them` });
      continue;
    }
    if (localOffset + 30 > b.length || b.readUInt32LE(localOffset) !== LOC) {
      refused.push({ name, size, code: 'corrupt', reason: 'file in a ZIP archive is damaged: ask the sender to send it again' });
      continue;
    }
    const start = localOffset + 30 + b.readUInt16LE(localOffset + 26) + b.readUInt16LE(localOffset + 28);
    const packed = b.subarray(start, start + compSize);
    let bytes: Uint8Array;
    try {
      bytes = method === 0 ? packed : inflateSync(packed, { out: new Uint8Array(size) });
    } catch {
      refused.push({ name, size, code: 'corrupt', reason: 'file in a ZIP archive could not be unpacked (damaged): ask the sender to send it again' });
      continue;
    }
    if (bytes.length !== size || crc32(bytes) >>> 0 !== crc) {
      refused.push({ name, size, code: 'corrupt', reason: 'file in a ZIP archive failed its integrity check (damaged): ask the sender to send it again' });
      continue;
    }
    budget.remaining -= size;
    entries.push({ name, bytes });
  }
  return { entries, refused };
}
