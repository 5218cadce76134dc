import { MediaType, sha256Hex, type MemberHints } from '@intake/core';
import { ccdaInText } from '@intake/documents/containers';
import { simpleParser, type AddressObject, type Attachment, type ParsedMail } from 'mailparser';
import { buildHints, cleanHeaderValue } from './hints.ts';
import { declaredKind, extensionFor, imageDimensions, sniff, type SniffedKind } from './sniff.ts';
import { unzip, type ZipLimits } from './zip.ts';

/**
 * Which parts of an e-mail are documents. Pure: raw bytes in, a list of documents to
 * take in and of parts left out (each with a reason a clerk can act on) out. The
 * listener does the I/O around it.
 */
export interface MessageLimits {
  /** Inline images under this many bytes are logos or tracking pixels. */
  inlineMinBytes: number;
  /** Inline images whose shorter side is under this many pixels are logos, not page photos. */
  inlineMinPx: number;
  zip: ZipLimits & { maxDepth: number };
  /** Forwarded messages inside forwarded messages, this deep. */
  maxForwardDepth: number;
}

export const defaultLimits: MessageLimits = {
  inlineMinBytes: 20 * 1024,
  inlineMinPx: 400,
  zip: { maxEntries: 200, maxEntryBytes: 50 * 1024 * 1024, maxTotalBytes: 200 * 1024 * 1024, maxDepth: 2 },
  maxForwardDepth: 3,
};

export type PartSource = 'attachment' | 'inline' | 'forwarded' | 'zip';

export interface DocumentPart {
  /** Where it was in the message: the MIME part number, `/` for a forwarded message or a ZIP entry below it. */
  part: string;
  fileName: string;
  /** True when the part had no usable name and `fileName` was made up. */
  nameGenerated: boolean;
  /** From the bytes; `unknown` when a part claims to be a document but its bytes are not recognised. */
  kind: SniffedKind;
  declaredType?: string;
  source: PartSource;
  bytes: Uint8Array;
  sha256: string;
}

export type SkipCode =
  | 'not-a-document'
  | 'unsupported-type'
  | 'inline-logo'
  | 'tracking-pixel'
  | 'signature-image'
  | 'duplicate-in-message'
  | 'zip-limit'
  | 'zip-encrypted'
  | 'zip-corrupt'
  | 'zip-nested-too-deep'
  | 'forward-too-deep'
  | 'forward-unreadable';

export interface SkippedPart {
  part: string;
  fileName?: string;
  contentType?: string;
  size?: number;
  code: SkipCode;
  /** One line for a clerk; never the file's content. */
  reason: string;
}

export interface MessageProblem {
  code: 'no-sender' | 'no-message-id' | 'bad-date' | 'unparseable';
  reason: string;
}

export interface MessageAnalysis {
  /** The Message-ID header, as sent (angle brackets included); stored on the intake record only. */
  messageId?: string;
  /** sha-256 of the normalised Message-ID: what keys and dedup use. */
  messageIdHash?: string;
  date?: Date;
  hints: MemberHints;
  /** Where an acknowledgement would go; absent when it must not be sent (auto-generated mail, no sender). */
  replyAddress?: string;
  autoSubmitted: boolean;
  documents: DocumentPart[];
  skipped: SkippedPart[];
  problems: MessageProblem[];
}

const DOCUMENT_KINDS: ReadonlySet<string> = new Set([
  MediaType.pdf,
  MediaType.tiff,
  MediaType.jpeg,
  MediaType.png,
  MediaType.webp,
  MediaType.heic,
  MediaType.ccda,
  MediaType.fhir,
  // Containers: taken in like documents; the intake step opens them (@intake/arrivals).
  MediaType.msg,
  MediaType.tnef,
]);

const IMAGE_KINDS: ReadonlySet<string> = new Set([MediaType.jpeg, MediaType.png, MediaType.webp, MediaType.heic, MediaType.tiff, 'image/gif']);

export function normaliseMessageId(value: string): string {
  return value.trim().replace(/^<+|>+$/g, '').trim().toLowerCase();
}

export function messageIdHash(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const normalised = normaliseMessageId(value);
  return normalised ? sha256Hex(`message-id:${normalised}`) : undefined;
}

/** A name a clerk can read and a file system can hold: no paths, no control characters. */
export function cleanFileName(name: string | undefined): string | undefined {
  if (!name) return undefined;
  const base = name.replace(/\\/g, '/').split('/').filter(Boolean).pop() ?? '';
   
  const cleaned = base.replace(/[\u0000-\u001f\u007f\ufffd]/g, '').replace(/\s+/g, ' ').trim();
  if (cleaned === '' || cleaned === '.' || cleaned === '..') return undefined;
  return cleaned.slice(0, 200);
}

/** Image tags referencing `cid:` parts, and where the signature starts in the HTML body. */
export interface HtmlImageRef {
  cid: string;
  index: number;
  width?: number;
  height?: number;
}

const SIGNATURE_MARKERS = [
  /<[^>]+class\s*=\s*["'][^"']*\b(?:gmail_signature|moz-signature|signature)\b[^"']*["']/i,
  /<[^>]+id\s*=\s*["'](?:signature|Signature|divRplyFwdMsg_signature|ms-outlook-mobile-signature)["']/,
  /(?:^|>|\n)--\s?(?:<br\s*\/?>|\r?\n)/,
];

export function scanHtml(html: string | undefined): { images: HtmlImageRef[]; signatureAt: number } {
  if (!html) return { images: [], signatureAt: Number.POSITIVE_INFINITY };
  let signatureAt = Number.POSITIVE_INFINITY;
  for (const marker of SIGNATURE_MARKERS) {
    const m = marker.exec(html);
    if (m && m.index < signatureAt) signatureAt = m.index;
  }
  const images: HtmlImageRef[] = [];
  const tag = /<img\b[^>]*>/gi;
  for (let m = tag.exec(html); m; m = tag.exec(html)) {
    const src = /\bsrc\s*=\s*["']?cid:([^"'\s>]+)/i.exec(m[0])?.[1];
    if (!src) continue;
    const num = (attr: string) => {
      const v = new RegExp(`\\b${attr}\\s*=\\s*["']?(\\d+)`, 'i').exec(m[0])?.[1] ?? new RegExp(`${attr}\\s*:\\s*(\\d+)px`, 'i').exec(m[0])?.[1];
      return v === undefined ? undefined : Number(v);
    };
    images.push({ cid: decodeURIComponent(src).toLowerCase(), index: m.index, width: num('width'), height: num('height') });
  }
  return { images, signatureAt };
}

export type InlineVerdict = { take: true } | { take: false; code: 'inline-logo' | 'tracking-pixel' | 'signature-image'; reason: string };

/**
 * An inline image is a page photo unless it looks like a logo or a tracking pixel: too few
 * bytes, too few pixels, drawn tiny in the HTML, or placed inside the signature.
 */
export function judgeInlineImage(
  image: { size: number; pixels?: { width: number; height: number }; ref?: HtmlImageRef; inSignature: boolean },
  limits: Pick<MessageLimits, 'inlineMinBytes' | 'inlineMinPx'>,
): InlineVerdict {
  const tiny = (n: number | undefined) => n !== undefined && n <= 3;
  if (tiny(image.ref?.width) || tiny(image.ref?.height) || (image.pixels && image.pixels.width <= 3 && image.pixels.height <= 3)) {
    return { take: false, code: 'tracking-pixel', reason: 'tracking pixel: not a document' };
  }
  if (image.inSignature) return { take: false, code: 'signature-image', reason: 'image in the e-mail signature (logo): not a document' };
  if (image.size < limits.inlineMinBytes) {
    return { take: false, code: 'inline-logo', reason: `small inline image (under ${Math.round(limits.inlineMinBytes / 1024)} KB, a logo or icon): not a document` };
  }
  if (image.pixels && Math.min(image.pixels.width, image.pixels.height) < limits.inlineMinPx) {
    return { take: false, code: 'inline-logo', reason: `small inline image (under ${limits.inlineMinPx} pixels on a side, a logo or icon): not a document` };
  }
  return { take: true };
}

function firstAddress(value: AddressObject | AddressObject[] | undefined): { address?: string; name?: string } {
  const list = Array.isArray(value) ? value : value ? [value] : [];
  for (const obj of list) {
    for (const entry of obj.value) {
      if (entry.address) return { address: entry.address, name: entry.name };
      for (const member of entry.group ?? []) if (member.address) return { address: member.address, name: member.name };
    }
  }
  return {};
}

function headerText(parsed: ParsedMail, name: string): string | undefined {
  const v = parsed.headers.get(name);
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && typeof v[0] === 'string') return v[0];
  return undefined;
}

const parseOptions = {
  // Forwarded messages come back as attachments; we parse them ourselves with a depth limit.
  ignoreEmbedded: true,
  keepCidLinks: true,
  skipTextToHtml: true,
  skipTextLinks: true,
  checksumAlgo: false as const,
  maxHtmlLengthToParse: 2_000_000,
};

interface Walk {
  documents: DocumentPart[];
  skipped: SkippedPart[];
  seen: Map<string, string>;
  zipBudget: { remaining: number };
  counter: { n: number };
  limits: MessageLimits;
  bodyTexts: string[];
}

function nameFor(walk: Walk, given: string | undefined, kind: SniffedKind): { fileName: string; nameGenerated: boolean } {
  walk.counter.n++;
  const clean = cleanFileName(given);
  if (clean) return { fileName: clean, nameGenerated: false };
  return { fileName: `attachment-${walk.counter.n}.${extensionFor(kind)}`, nameGenerated: true };
}

function addDocument(walk: Walk, doc: Omit<DocumentPart, 'sha256'>): void {
  const sha256 = sha256Hex(doc.bytes);
  const first = walk.seen.get(sha256);
  if (first !== undefined) {
    walk.skipped.push({
      part: doc.part,
      fileName: doc.fileName,
      size: doc.bytes.byteLength,
      code: 'duplicate-in-message',
      reason: `the same file as part ${first} of this message: taken once`,
    });
    return;
  }
  walk.seen.set(sha256, doc.part);
  walk.documents.push({ ...doc, sha256 });
}

function describeType(contentType: string): string {
  const t = contentType.toLowerCase();
  if (t.includes('ms-tnef') || t.includes('winmail')) return 'Outlook winmail.dat (rich text wrapper)';
  if (t.includes('word') || t.includes('officedocument')) return 'Office document';
  if (t.startsWith('text/')) return `text file (${t})`;
  if (t.startsWith('image/')) return `image type ${t}`;
  return t;
}

function isOfficeContainer(fileName: string | undefined, contentType: string): boolean {
  if (/officedocument|opendocument|ms-word|ms-excel|ms-powerpoint|epub|java-archive/.test(contentType)) return true;
  return /\.(docx|docm|xlsx|xlsm|pptx|odt|ods|odp|epub|jar|apk)$/i.test(fileName ?? '');
}

/** A ZIP's entries, each classified like an attachment; nested archives within the depth limit. */
function walkZip(walk: Walk, bytes: Uint8Array, part: string, label: string, depth: number): void {
  const limits = walk.limits.zip;
  if (depth > limits.maxDepth) {
    walk.skipped.push({
      part,
      fileName: label,
      size: bytes.byteLength,
      code: 'zip-nested-too-deep',
      reason: `ZIP archive nested more than ${limits.maxDepth} deep: not unpacked; ask the sender to send the files directly`,
    });
    return;
  }
  const contents = unzip(bytes, limits, walk.zipBudget);
  for (const refusal of contents.refused) {
    walk.skipped.push({
      part: refusal.name ? `${part}/${refusal.name}` : part,
      fileName: refusal.name ? cleanFileName(refusal.name) : label,
      size: refusal.size,
      code: refusal.code === 'encrypted' ? 'zip-encrypted' : refusal.code === 'corrupt' ? 'zip-corrupt' : 'zip-limit',
      reason: refusal.reason,
    });
  }
  for (const entry of contents.entries) {
    const entryPart = `${part}/${entry.name}`;
    const kind = sniff(entry.bytes);
    if (kind === 'application/zip') {
      walkZip(walk, entry.bytes, entryPart, cleanFileName(entry.name) ?? 'archive.zip', depth + 1);
      continue;
    }
    const claimed = kind === 'unknown' ? declaredKind(entry.name, undefined) : kind;
    if (DOCUMENT_KINDS.has(kind) || DOCUMENT_KINDS.has(claimed)) {
      const { fileName, nameGenerated } = nameFor(walk, entry.name, kind);
      addDocument(walk, { part: entryPart, fileName, nameGenerated, kind, source: 'zip', bytes: entry.bytes });
    } else {
      walk.skipped.push({
        part: entryPart,
        fileName: cleanFileName(entry.name),
        size: entry.bytes.byteLength,
        code: 'unsupported-type',
        reason: 'file in a ZIP archive is not a supported record type (PDF, TIFF, JPEG, PNG, HEIC, C-CDA, FHIR JSON)',
      });
    }
  }
}

async function walkMessage(walk: Walk, parsed: ParsedMail, prefix: string, depth: number): Promise<void> {
  if (parsed.text) walk.bodyTexts.push(parsed.text);
  // A C-CDA sent as the message text itself (an unnamed text/plain part) is a document too.
  const xml = ccdaInText(parsed.text);
  if (xml) {
    const { fileName, nameGenerated } = nameFor(walk, undefined, MediaType.ccda);
    addDocument(walk, { part: `${prefix}text`, fileName, nameGenerated, kind: MediaType.ccda, declaredType: 'text/plain', source: 'inline', bytes: Buffer.from(xml, 'utf8') });
  }
  const html = typeof parsed.html === 'string' ? parsed.html : undefined;
  const scan = scanHtml(html);
  const refByCid = new Map(scan.images.map((r) => [r.cid, r]));

  for (const [index, att] of parsed.attachments.entries()) {
    const part = `${prefix}${att.partId ?? String(index + 1)}`;
    await walkAttachment(walk, att, part, depth, refByCid, scan.signatureAt);
  }
}

async function walkAttachment(
  walk: Walk,
  att: Attachment,
  part: string,
  depth: number,
  refByCid: Map<string, HtmlImageRef>,
  signatureAt: number,
): Promise<void> {
  const contentType = (att.contentType ?? 'application/octet-stream').toLowerCase();
  const given = att.filename;
  const bytes = att.content;

  if (contentType === 'message/rfc822' || contentType === 'message/global') {
    if (depth >= walk.limits.maxForwardDepth) {
      walk.skipped.push({
        part,
        fileName: cleanFileName(given),
        contentType,
        size: bytes.byteLength,
        code: 'forward-too-deep',
        reason: `forwarded message nested more than ${walk.limits.maxForwardDepth} deep: not unpacked; the original e-mail is kept`,
      });
      return;
    }
    let inner: ParsedMail;
    try {
      inner = await simpleParser(bytes, parseOptions);
    } catch {
      walk.skipped.push({
        part,
        fileName: cleanFileName(given),
        contentType,
        size: bytes.byteLength,
        code: 'forward-unreadable',
        reason: 'forwarded message could not be read (malformed MIME); the original e-mail is kept',
      });
      return;
    }
    if (inner.subject) walk.bodyTexts.push(inner.subject);
    await walkMessage(walk, inner, `${part}/`, depth + 1);
    return;
  }

  const kind = sniff(bytes);
  if (kind === 'application/zip' && isOfficeContainer(given, contentType)) {
    // .docx, .xlsx, .odt … are ZIPs too; say what they are instead of listing their insides.
    walk.skipped.push({
      part,
      fileName: cleanFileName(given),
      contentType,
      size: bytes.byteLength,
      code: 'unsupported-type',
      reason: 'Office document is not a supported record type: ask the sender for PDF or images',
    });
    return;
  }
  if (kind === 'application/zip') {
    const label = cleanFileName(given) ?? 'archive.zip';
    walk.counter.n++;
    walkZip(walk, bytes, part, label, 1);
    return;
  }

  const claimed = kind === 'unknown' ? declaredKind(given, contentType) : kind;
  const isDocument = DOCUMENT_KINDS.has(kind) || (kind === 'unknown' && DOCUMENT_KINDS.has(claimed));
  // Inline (or multipart/related) images are judged: page photos in, logos and pixels out.
  const inline = att.contentDisposition !== 'attachment' && (att.related === true || att.contentDisposition === 'inline' || att.cid !== undefined);
  const isImage = IMAGE_KINDS.has(kind) || (kind === 'unknown' && contentType.startsWith('image/'));
  if (inline && isImage) {
    const ref = att.cid ? refByCid.get(att.cid.toLowerCase()) : undefined;
    const verdict = judgeInlineImage(
      { size: bytes.byteLength, pixels: imageDimensions(bytes), ref, inSignature: ref !== undefined && ref.index > signatureAt },
      walk.limits,
    );
    if (!verdict.take) {
      walk.skipped.push({ part, fileName: cleanFileName(given), contentType, size: bytes.byteLength, code: verdict.code, reason: verdict.reason });
      return;
    }
  }

  if (isDocument) {
    const { fileName, nameGenerated } = nameFor(walk, given, kind === 'unknown' ? claimed : kind);
    addDocument(walk, {
      part,
      fileName,
      nameGenerated,
      kind,
      declaredType: contentType,
      source: inline ? 'inline' : depth > 0 ? 'forwarded' : 'attachment',
      bytes,
    });
    return;
  }
  walk.skipped.push({
    part,
    fileName: cleanFileName(given),
    contentType,
    size: bytes.byteLength,
    code: contentType.startsWith('text/') && !given ? 'not-a-document' : 'unsupported-type',
    reason: `${describeType(kind === 'unknown' ? contentType : kind)} is not a supported record type: ask the sender for PDF or images`,
  });
}

function isAutoSubmitted(parsed: ParsedMail): boolean {
  const auto = headerText(parsed, 'auto-submitted');
  if (auto && auto.trim().toLowerCase() !== 'no') return true;
  const precedence = headerText(parsed, 'precedence')?.toLowerCase();
  if (precedence && /bulk|junk|list|auto_reply/.test(precedence)) return true;
  if (parsed.headers.has('list-id') || parsed.headers.has('x-autoreply') || parsed.headers.has('x-autorespond')) return true;
  const from = firstAddress(parsed.from).address?.toLowerCase() ?? '';
  return /^(mailer-daemon|postmaster|no-?reply|do-?not-?reply)@/.test(from);
}

/** Parse a raw message and decide what to take. Throws only when the MIME structure cannot be read at all. */
export async function analyseMessage(raw: Uint8Array, limits: MessageLimits = defaultLimits): Promise<MessageAnalysis> {
  const parsed = await simpleParser(Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength), parseOptions);
  const walk: Walk = {
    documents: [],
    skipped: [],
    seen: new Map(),
    zipBudget: { remaining: limits.zip.maxTotalBytes },
    counter: { n: 0 },
    limits,
    bodyTexts: [],
  };
  await walkMessage(walk, parsed, '', 0);

  const problems: MessageProblem[] = [];
  const from = firstAddress(parsed.from);
  const replyTo = firstAddress(parsed.replyTo);
  const hints = buildHints({
    fromAddress: from.address,
    fromName: from.name,
    subject: parsed.subject,
    messageId: parsed.messageId,
    bodyTexts: walk.bodyTexts,
  });
  if (!hints.senderAddress) problems.push({ code: 'no-sender', reason: 'the From header has no valid address: the sender must be matched by hand' });
  const messageId = cleanHeaderValue(parsed.messageId, 500);
  if (!messageId) problems.push({ code: 'no-message-id', reason: 'the message has no Message-ID: duplicates are found by content only' });
  // mailparser substitutes the current time for a Date it cannot parse; look at the header itself.
  const dateLine = parsed.headerLines.find((l) => l.key === 'date')?.line.replace(/^date:\s*/i, '');
  const dateHeader = parsed.headers.get('date');
  const date =
    dateLine && !Number.isNaN(Date.parse(dateLine.replace(/\s*\([^)]*\)\s*$/, ''))) && dateHeader instanceof Date ? dateHeader : undefined;
  if (!date) problems.push({ code: 'bad-date', reason: 'the message has no valid Date header' });

  const autoSubmitted = isAutoSubmitted(parsed);
  const replyAddress = autoSubmitted ? undefined : (buildHints({ fromAddress: replyTo.address, bodyTexts: [] }).senderAddress ?? hints.senderAddress);
  return {
    messageId,
    messageIdHash: messageIdHash(messageId),
    date,
    hints,
    replyAddress,
    autoSubmitted,
    documents: walk.documents,
    skipped: walk.skipped,
    problems,
  };
}
