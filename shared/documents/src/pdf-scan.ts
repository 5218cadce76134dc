/**
 * Fast path for scanned PDF pages: when a page is one JPEG (DCTDecode) or CCITT fax image,
 * take the compressed stream straight from the file and let libvips decode it (native, off
 * the event loop) instead of pdf.js's JavaScript decoders rendering it (~2 s of main-thread
 * CPU for a 300 dpi page). Anything unusual (object streams, inherited resources, several
 * images, predictors, inverted decode arrays, JBIG2…) returns undefined: the page is rendered.
 */

import { inflateSync } from 'node:zlib';

export interface EmbeddedScan {
  /** A complete JPEG file, or a TIFF file wrapping the CCITT stream. */
  file: Buffer;
  width: number;
  height: number;
}

function objectBody(text: string, num: number, gen: number): string | undefined {
  const re = new RegExp(`(?:^|[^0-9])${num}\\s+${gen}\\s+obj\\b`, 'g');
  let last = -1;
  for (let m = re.exec(text); m; m = re.exec(text)) last = m.index + m[0].length;
  if (last < 0) return undefined;
  const end = text.indexOf('endobj', last);
  const streamAt = text.indexOf('stream', last);
  const stop = streamAt >= 0 && (end < 0 || streamAt < end) ? streamAt : end;
  return stop < 0 ? undefined : text.slice(last, stop);
}

/** The balanced `<< … >>` that starts at `from` (which must point at `<<`). */
function dictAt(text: string, from: number): string | undefined {
  if (!text.startsWith('<<', from)) return undefined;
  let depth = 0;
  for (let i = from; i < text.length - 1; i++) {
    if (text[i] === '<' && text[i + 1] === '<') {
      depth++;
      i++;
    } else if (text[i] === '>' && text[i + 1] === '>') {
      depth--;
      i++;
      if (depth === 0) return text.slice(from, i + 1);
    }
  }
  return undefined;
}

/** The value of `/Key` in a dictionary: an inline dict, or the body of a referenced object. */
function dictValue(text: string, dict: string, key: string): string | undefined {
  const m = new RegExp(`/${key}\\s*(<<|(\\d+)\\s+(\\d+)\\s+R)`).exec(dict);
  if (!m) return undefined;
  if (m[1] === '<<') return dictAt(dict, m.index + m[0].length - 2);
  const body = objectBody(text, Number(m[2]), Number(m[3]));
  const at = body?.indexOf('<<') ?? -1;
  return at >= 0 ? dictAt(body!, at) : undefined;
}

function intValue(text: string, dict: string, key: string): number | undefined {
  const m = new RegExp(`/${key}\\s+(\\d+)(?:\\s+(\\d+)\\s+R)?`).exec(dict);
  if (!m) return undefined;
  if (m[2] === undefined) return Number(m[1]);
  const body = objectBody(text, Number(m[1]), Number(m[2]));
  const v = body ? /^\s*(\d+)/.exec(body) : null;
  return v ? Number(v[1]) : undefined;
}

/** A minimal little-endian TIFF around a CCITT stream, so libtiff decodes it. */
function ccittTiff(data: Buffer, width: number, height: number, k: number): Buffer {
  const entries: [number, number, number][] = [
    [256, 4, width],
    [257, 4, height],
    [258, 3, 1],
    [259, 3, k < 0 ? 4 : 3],
    [262, 3, 0], // WhiteIsZero, as fax
    [273, 4, 0], // strip offset, patched below
    [277, 3, 1],
    [278, 4, height],
    [279, 4, data.length],
    [k < 0 ? 293 : 292, 4, k > 0 ? 1 : 0],
  ];
  const ifdSize = 2 + entries.length * 12 + 4;
  const dataOffset = 8 + ifdSize;
  const head = Buffer.alloc(dataOffset);
  head.write('II', 0, 'latin1');
  head.writeUInt16LE(42, 2);
  head.writeUInt32LE(8, 4);
  head.writeUInt16LE(entries.length, 8);
  entries.forEach(([tag, type, value], i) => {
    const at = 10 + i * 12;
    head.writeUInt16LE(tag, at);
    head.writeUInt16LE(type, at + 2);
    head.writeUInt32LE(1, at + 4);
    const v = tag === 273 ? dataOffset : value;
    if (type === 3) head.writeUInt16LE(v, at + 8);
    else head.writeUInt32LE(v, at + 8);
  });
  head.writeUInt32LE(0, 10 + entries.length * 12);
  return Buffer.concat([head, data]);
}

/** A stream object's dictionary and raw (still encoded) data. */
function streamObject(text: string, buf: Buffer, num: number, gen: number): { dict: string; data: Buffer } | undefined {
  const re = new RegExp(`(?:^|[^0-9])${num}\\s+${gen}\\s+obj\\b`, 'g');
  let objAt = -1;
  for (let m = re.exec(text); m; m = re.exec(text)) objAt = m.index + m[0].length;
  if (objAt < 0) return undefined;
  const dictStart = text.indexOf('<<', objAt);
  const dict = dictStart >= 0 ? dictAt(text, dictStart) : undefined;
  if (!dict) return undefined;
  const length = intValue(text, dict, 'Length');
  const kw = /^\s*stream\r?\n/.exec(text.slice(dictStart + dict.length, dictStart + dict.length + 64));
  if (!length || !kw) return undefined;
  const start = dictStart + dict.length + kw[0].length;
  if (start + length > buf.length) return undefined;
  return { dict, data: buf.subarray(start, start + length) };
}

type Matrix = [number, number, number, number, number, number];

/**
 * The matrix with which the page's content paints XObject `name`, from a simple content
 * stream (a scanner's or fax server's: `q W 0 0 H X Y cm /Im0 Do Q`, maybe some text).
 * Undefined for anything larger or stranger.
 */
function paintMatrix(text: string, buf: Buffer, page: string, name: string): Matrix | undefined {
  const contents = /\/Contents\s*(\[[^\]]*\]|\d+\s+\d+\s+R)/.exec(page)?.[1];
  if (!contents) return undefined;
  let ops = '';
  for (const ref of contents.matchAll(/(\d+)\s+(\d+)\s+R/g)) {
    const obj = streamObject(text, buf, Number(ref[1]), Number(ref[2]));
    if (!obj) return undefined;
    const filter = /\/Filter\s*(?:\[\s*)?\/(\w+)\s*\]?/.exec(obj.dict)?.[1];
    let data: Buffer;
    try {
      data = filter === undefined ? obj.data : filter === 'FlateDecode' ? inflateSync(obj.data, { maxOutputLength: 1 << 20 }) : Buffer.alloc(0);
    } catch {
      return undefined;
    }
    if (filter !== undefined && filter !== 'FlateDecode') return undefined;
    ops += `${data.toString('latin1')}\n`;
    if (ops.length > 256 * 1024) return undefined;
  }
  // Track q/Q/cm up to the Do of our image; text objects do not change the CTM.
  const tokens = ops.replace(/\((?:\\.|[^\\)])*\)/g, '()').split(/\s+/).filter(Boolean);
  const stack: Matrix[] = [];
  let ctm: Matrix = [1, 0, 0, 1, 0, 0];
  let found: Matrix | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t === 'q') stack.push(ctm);
    else if (t === 'Q') ctm = stack.pop() ?? ctm;
    else if (t === 'cm') {
      const m = tokens.slice(i - 6, i).map(Number) as Matrix;
      if (m.length !== 6 || m.some((v) => !Number.isFinite(v))) return undefined;
      ctm = [
        m[0] * ctm[0] + m[1] * ctm[2],
        m[0] * ctm[1] + m[1] * ctm[3],
        m[2] * ctm[0] + m[3] * ctm[2],
        m[2] * ctm[1] + m[3] * ctm[3],
        m[4] * ctm[0] + m[5] * ctm[2] + ctm[4],
        m[4] * ctm[1] + m[5] * ctm[3] + ctm[5],
      ];
    } else if (t === 'Do') {
      if (tokens[i - 1] !== `/${name}` || found) return undefined;
      found = ctm;
    } else if (t === 'BI') return undefined; // inline image
  }
  return found;
}

/**
 * The page is one scanned image filling the page, upright: its encoded stream, or undefined.
 * Decided from the file's bytes alone, so pdf.js never decodes the image.
 */
export function fullPageScan(bytes: Uint8Array, pageRef: { num: number; gen: number }, view: number[]): EmbeddedScan | undefined {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = buf.toString('latin1');
  const found = embeddedScanWithName(text, buf, pageRef);
  if (!found) return undefined;
  const ctm = paintMatrix(text, buf, found.page, found.name);
  if (!ctm) return undefined;
  const [x0, y0, x1, y1] = view as [number, number, number, number];
  const tol = 0.02 * Math.max(x1 - x0, y1 - y0);
  const fills =
    ctm[1] === 0 && ctm[2] === 0 && ctm[0] > 0 && ctm[3] > 0 &&
    Math.abs(ctm[4] - x0) < tol && Math.abs(ctm[5] - y0) < tol &&
    Math.abs(ctm[4] + ctm[0] - x1) < tol && Math.abs(ctm[5] + ctm[3] - y1) < tol;
  return fills ? found.scan : undefined;
}

export function embeddedScan(bytes: Uint8Array, pageRef: { num: number; gen: number }): EmbeddedScan | undefined {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return embeddedScanWithName(buf.toString('latin1'), buf, pageRef)?.scan;
}

function embeddedScanWithName(text: string, buf: Buffer, pageRef: { num: number; gen: number }): { scan: EmbeddedScan; name: string; page: string } | undefined {
  const page = objectBody(text, pageRef.num, pageRef.gen);
  if (!page || !/\/Type\s*\/Page\b/.test(page)) return undefined;
  const resources = dictValue(text, page, 'Resources');
  if (!resources) return undefined;
  const xobjects = dictValue(text, resources, 'XObject');
  if (!xobjects) return undefined;
  const refs = [...xobjects.matchAll(/\/([^\s/<>[\]()]+)\s+(\d+)\s+(\d+)\s+R/g)];
  if (refs.length !== 1) return undefined;
  const name = refs[0]![1]!;
  const [num, gen] = [Number(refs[0]![2]), Number(refs[0]![3])];
  const re = new RegExp(`(?:^|[^0-9])${num}\\s+${gen}\\s+obj\\b`, 'g');
  let objAt = -1;
  for (let m = re.exec(text); m; m = re.exec(text)) objAt = m.index + m[0].length;
  if (objAt < 0) return undefined;
  const dictStart = text.indexOf('<<', objAt);
  const dict = dictAt(text, dictStart);
  if (!dict || !/\/Subtype\s*\/Image/.test(dict) || /\/Decode\s*\[|\/SMask|\/Mask\s/.test(dict)) return undefined;
  const width = intValue(text, dict, 'Width');
  const height = intValue(text, dict, 'Height');
  const length = intValue(text, dict, 'Length');
  if (!width || !height || !length) return undefined;
  const streamKw = /^\s*stream\r?\n/.exec(text.slice(dictStart + dict.length, dictStart + dict.length + 64));
  if (!streamKw) return undefined;
  const start = dictStart + dict.length + streamKw[0].length;
  if (start + length > buf.length) return undefined;
  const data = buf.subarray(start, start + length);
  const filter = /\/Filter\s*(?:\[\s*)?\/(\w+)\s*\]?/.exec(dict)?.[1];
  const filters = dict.match(/\/Filter\s*\[([^\]]*)\]/)?.[1]?.match(/\/\w+/g) ?? [];
  if (filters.length > 1) return undefined;
  if (filter === 'DCTDecode') {
    if (data[0] !== 0xff || data[1] !== 0xd8) return undefined;
    return { scan: { file: Buffer.from(data), width, height }, name, page };
  }
  if (filter === 'CCITTFaxDecode') {
    const parms = dictValue(text, dict, 'DecodeParms') ?? dict.match(/\/DecodeParms\s*\[\s*(<<[\s\S]*?>>)\s*\]/)?.[1] ?? '';
    if (/\/EncodedByteAlign\s+true/.test(parms)) return undefined;
    const k = Number(/\/K\s+(-?\d+)/.exec(parms)?.[1] ?? 0);
    const columns = Number(/\/Columns\s+(\d+)/.exec(parms)?.[1] ?? 1728);
    if (columns !== width) return undefined;
    if (/\/BlackIs1\s+true/.test(parms)) return undefined;
    return { scan: { file: ccittTiff(Buffer.from(data), width, height, k), width, height }, name, page };
  }
  return undefined;
}
