import { BadInputError, isBadInput, isContainerMediaType, MediaType, sha256Hex } from '@intake/core';
import type { AddressObject, ParsedMail } from 'mailparser';
import { detectMediaType } from '../detect.ts';
import { readMsg } from './msg.ts';
import { readTnef } from './tnef.ts';

/**
 * Containers: a saved e-mail (`.eml`, MIME, read with mailparser), an Outlook item
 * (`.msg`, read with @kenjiuno/msgreader) and TNEF (`winmail.dat`, ./tnef.ts). None of
 * them is a document; each holds documents. `openContainer` lists them — what is a
 * record type the pipeline reads (PDF, TIFF, images, C-CDA, FHIR), and what is left out
 * with a reason a clerk can act on — opening containers inside containers too (a .msg
 * attached to an e-mail, a winmail.dat inside a .msg). Pure: bytes in, lists out.
 */
export type ContainerKind = typeof MediaType.eml | typeof MediaType.msg | typeof MediaType.tnef;

export interface ContainerDocument {
  /** Where it was: `1`, `2/1` (the first attachment of the second one's inner message). */
  part: string;
  fileName: string;
  /** True when the part had no usable name and `fileName` was made up. */
  nameGenerated: boolean;
  mediaType: string;
  declaredType?: string;
  /** `body` when it was the message text itself (a C-CDA pasted or sent as an unnamed text part). */
  source: 'attachment' | 'body';
  bytes: Uint8Array;
  sha256: string;
}

export type ContainerSkipCode = 'unsupported-type' | 'corrupt' | 'too-deep' | 'too-many-parts' | 'inline-logo' | 'duplicate';

export interface ContainerSkip {
  part: string;
  fileName?: string;
  size?: number;
  code: ContainerSkipCode;
  /** One line for a clerk; never the content. */
  reason: string;
}

export interface ContainerContents {
  kind: ContainerKind;
  /** What the outermost message says about its sender (patient data: kept on receipts, never logged). */
  hints: { senderAddress?: string; senderName?: string; subject?: string; messageId?: string };
  /** Message bodies (outer and inner), for finding an MRN. */
  bodyTexts: string[];
  documents: ContainerDocument[];
  skipped: ContainerSkip[];
}

export interface ContainerLimits {
  /** Containers inside containers, this deep. */
  maxDepth: number;
  maxParts: number;
  /** Inline (cid) images smaller than this are logos, not pages. */
  inlineMinBytes: number;
}

export const defaultContainerLimits: ContainerLimits = { maxDepth: 3, maxParts: 200, inlineMinBytes: 20 * 1024 };

const DOCUMENT_TYPES: ReadonlySet<string> = new Set([
  MediaType.pdf,
  MediaType.tiff,
  MediaType.jpeg,
  MediaType.png,
  MediaType.webp,
  MediaType.heic,
  MediaType.ccda,
  MediaType.fhir,
]);

const EXTENSION: Record<string, string> = {
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
};

const LABEL: Record<ContainerKind, string> = {
  [MediaType.eml]: 'saved e-mail',
  [MediaType.msg]: 'Outlook message (.msg)',
  [MediaType.tnef]: 'winmail.dat (TNEF)',
};

/** The container kind of these bytes, or undefined. */
export function containerKind(bytes: Uint8Array): ContainerKind | undefined {
  const type = detectMediaType(bytes);
  return isContainerMediaType(type) ? (type as ContainerKind) : undefined;
}

export function containerLabel(kind: ContainerKind): string {
  return LABEL[kind];
}

const mailOptions = { skipTextToHtml: true, skipTextLinks: true, keepCidLinks: true, checksumAlgo: false as const, maxHtmlLengthToParse: 2_000_000 };

interface Walk {
  limits: ContainerLimits;
  documents: ContainerDocument[];
  skipped: ContainerSkip[];
  bodyTexts: string[];
  seen: Set<string>;
  parts: number;
}

function cleanName(name: string | undefined): string | undefined {
  if (!name) return undefined;
  const base = name.replace(/\\/g, '/').split('/').filter(Boolean).pop() ?? '';
  const cleaned = base.replace(/[\u0000-\u001f\u007f\ufffd]/g, '').replace(/\s+/g, ' ').trim().slice(0, 200);
  return cleaned || undefined;
}

function describe(bytes: Uint8Array, fileName: string | undefined, declared: string | undefined): string {
  const b = bytes;
  const name = (fileName ?? '').toLowerCase();
  const type = (declared ?? '').toLowerCase();
  if (b[0] === 0x50 && b[1] === 0x4b) {
    if (/\.(docx|xlsx|pptx|odt|ods)$/.test(name) || /officedocument|opendocument/.test(type)) return 'Office document';
    return 'ZIP archive (not unpacked inside a saved message)';
  }
  if (b[0] === 0xd0 && b[1] === 0xcf) return 'Office document (old format)';
  if (b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46) return 'GIF image';
  if (/\.(rtf)$/.test(name) || type.includes('rtf')) return 'rich-text file';
  if (type.startsWith('text/') || /\.(txt|html?)$/.test(name)) return 'text file';
  return 'file';
}

/** A C-CDA carried as message text: the XML from its prolog (or root) to the root's end tag. */
export function ccdaInText(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const start = text.search(/<(?:[A-Za-z_][\w.-]*:)?ClinicalDocument[\s>]/);
  if (start < 0) return undefined;
  const endMatch = /<\/(?:[A-Za-z_][\w.-]*:)?ClinicalDocument\s*>/.exec(text.slice(start));
  if (!endMatch) return undefined;
  const prolog = text.lastIndexOf('<?xml', start);
  const from = prolog >= 0 && text.slice(prolog, start).trim().length < 400 ? prolog : start;
  // Decoded by the mail reader already: the bytes we keep are UTF-8, so the prolog must say so.
  return text.slice(from, start + endMatch.index + endMatch[0].length).replace(/^(<\?xml[^>]*?)encoding=["'][^"']*["']/, '$1encoding="UTF-8"');
}

function add(walk: Walk, item: Omit<ContainerDocument, 'sha256'>): void {
  const sha256 = sha256Hex(item.bytes);
  if (walk.seen.has(sha256)) {
    walk.skipped.push({ part: item.part, fileName: item.fileName, size: item.bytes.byteLength, code: 'duplicate', reason: 'the same file appears twice in the message: taken once' });
    return;
  }
  walk.seen.add(sha256);
  walk.documents.push({ ...item, sha256 });
}

async function walkPart(
  walk: Walk,
  bytes: Uint8Array,
  part: string,
  given: { fileName?: string; declaredType?: string; inline?: boolean },
  depth: number,
): Promise<void> {
  if (++walk.parts > walk.limits.maxParts) {
    if (walk.parts === walk.limits.maxParts + 1)
      walk.skipped.push({ part, code: 'too-many-parts', reason: `more than ${walk.limits.maxParts} parts in one message: the rest were not unpacked; open the original` });
    return;
  }
  const fileName = cleanName(given.fileName);
  if (bytes.byteLength === 0) {
    walk.skipped.push({ part, fileName, size: 0, code: 'corrupt', reason: 'empty attachment (0 bytes): ask the sender to send it again' });
    return;
  }
  const type = detectMediaType(bytes);
  if (type && isContainerMediaType(type)) {
    if (depth >= walk.limits.maxDepth) {
      walk.skipped.push({ part, fileName, size: bytes.byteLength, code: 'too-deep', reason: `message nested more than ${walk.limits.maxDepth} deep: not unpacked; the original is kept` });
      return;
    }
    try {
      await walkContainer(walk, bytes, type as ContainerKind, `${part}/`, depth + 1);
    } catch (error) {
      if (!isBadInput(error)) throw error;
      walk.skipped.push({ part, fileName, size: bytes.byteLength, code: 'corrupt', reason: (error as BadInputError).reason });
    }
    return;
  }
  if (type && DOCUMENT_TYPES.has(type)) {
    if (given.inline && type !== MediaType.pdf && type !== MediaType.tiff && bytes.byteLength < walk.limits.inlineMinBytes) {
      walk.skipped.push({ part, fileName, size: bytes.byteLength, code: 'inline-logo', reason: 'small inline image (a logo or signature), not a page' });
      return;
    }
    add(walk, {
      part,
      fileName: fileName ?? `${part.replace(/\//g, '-')}.${EXTENSION[type] ?? 'bin'}`,
      nameGenerated: fileName === undefined,
      mediaType: type,
      declaredType: given.declaredType,
      source: 'attachment',
      bytes,
    });
    return;
  }
  walk.skipped.push({
    part,
    fileName,
    size: bytes.byteLength,
    code: 'unsupported-type',
    reason: `${describe(bytes, fileName, given.declaredType)} is not a supported record type (PDF, TIFF, JPEG, PNG, HEIC, C-CDA, FHIR JSON): ask the sender for PDF or images`,
  });
}

function takeBody(walk: Walk, text: string | undefined, part: string): void {
  if (!text) return;
  walk.bodyTexts.push(text);
  const xml = ccdaInText(text);
  if (xml) {
    add(walk, { part: `${part}body`, fileName: `${part.replace(/\//g, '-')}body.xml`, nameGenerated: true, mediaType: MediaType.ccda, source: 'body', bytes: Buffer.from(xml, 'utf8') });
  }
}

const firstAddress = (a: AddressObject | AddressObject[] | undefined) => (Array.isArray(a) ? a[0] : a)?.value[0];

async function walkEml(walk: Walk, bytes: Uint8Array, prefix: string, depth: number): Promise<ContainerContents['hints']> {
  let parsed: ParsedMail;
  // mailparser (and its HTML and charset libraries) loaded when a message comes, not for a PDF.
  const { simpleParser } = await import('mailparser');
  try {
    parsed = await simpleParser(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), mailOptions);
  } catch (error) {
    throw new BadInputError('corrupt', 'saved e-mail that cannot be read (malformed MIME): ask the sender to send the documents again', { cause: error });
  }
  takeBody(walk, parsed.text, prefix);
  for (const [index, att] of parsed.attachments.entries()) {
    const part = `${prefix}${att.partId ?? String(index + 1)}`;
    const inline = att.contentDisposition !== 'attachment' && (att.related === true || att.cid !== undefined);
    await walkPart(walk, att.content, part, { fileName: att.filename, declaredType: att.contentType, inline }, depth);
  }
  const from = firstAddress(parsed.from);
  return {
    senderAddress: from?.address?.toLowerCase() || undefined,
    senderName: from?.name || undefined,
    subject: parsed.subject || undefined,
    messageId: parsed.messageId || undefined,
  };
}

async function walkContainer(walk: Walk, bytes: Uint8Array, kind: ContainerKind, prefix: string, depth: number): Promise<ContainerContents['hints']> {
  if (kind === MediaType.eml) return walkEml(walk, bytes, prefix, depth);
  const contents = kind === MediaType.msg ? readMsg(bytes) : readTnef(bytes);
  takeBody(walk, contents.body, prefix);
  for (const [index, att] of contents.attachments.entries()) {
    await walkPart(walk, att.data, `${prefix}${index + 1}`, { fileName: att.fileName, declaredType: att.mimeType }, depth);
  }
  const msg = kind === MediaType.msg ? (contents as ReturnType<typeof readMsg>) : undefined;
  return { senderAddress: msg?.senderEmail?.toLowerCase(), senderName: msg?.senderName, subject: contents.subject, messageId: contents.messageId };
}

/**
 * Open a container. Throws BadInputError when the outer container itself cannot be read;
 * damage inside (an unreadable inner message) is a skipped part with its reason.
 */
export async function openContainer(bytes: Uint8Array, limits: ContainerLimits = defaultContainerLimits): Promise<ContainerContents> {
  const kind = containerKind(bytes);
  if (!kind) throw new BadInputError('unsupported-type', 'not a saved e-mail, Outlook message or winmail.dat');
  const walk: Walk = { limits, documents: [], skipped: [], bodyTexts: [], seen: new Set(), parts: 0 };
  const hints = await walkContainer(walk, bytes, kind, '', 0);
  const clean = Object.fromEntries(Object.entries(hints).filter(([, v]) => typeof v === 'string' && v.trim() !== '')) as ContainerContents['hints'];
  return { kind, hints: clean, bodyTexts: walk.bodyTexts, documents: walk.documents, skipped: walk.skipped };
}

/** The reason recorded when a container holds nothing the pipeline can read. */
export function emptyContainerReason(contents: ContainerContents): string {
  const label = containerLabel(contents.kind);
  const first = contents.skipped.find((s) => s.code !== 'inline-logo' && s.code !== 'duplicate');
  return first ? `${label} with no usable attachment: ${first.reason}` : `${label} with no attachment: the sender may need a reply`;
}
