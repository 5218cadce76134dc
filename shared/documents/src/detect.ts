import { MediaType } from '@intake/core';
import iconv from 'iconv-lite';
import { isMsg } from './containers/msg.ts';
import { isTnef } from './containers/tnef.ts';

const startsWith = (b: Uint8Array, sig: number[], at = 0): boolean => sig.every((v, i) => b[at + i] === v);
const ascii = (b: Uint8Array, from: number, to: number): string => Buffer.from(b.subarray(from, Math.min(to, b.length))).toString('latin1');

/**
 * The media type from the bytes alone (magic numbers, and for text formats the root
 * element or `resourceType`), never from a file name or a declared type.
 */
export function detectMediaType(bytes: Uint8Array): string | undefined {
  if (bytes.length < 4) return undefined;
  // Containers first (a PDF inside one can sit within its first KiB); their inner documents are taken in instead.
  if (isTnef(bytes)) return MediaType.tnef;
  if (isMsg(bytes)) return MediaType.msg;
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

/**
 * Text of a markup or JSON head, whatever its encoding: a UTF-8, UTF-16LE or UTF-16BE byte
 * order mark, UTF-16 without one (recognised by the zero bytes around `<` or `{`), else
 * read as Latin-1, which keeps every ASCII character of markup whatever single-byte
 * encoding (windows-1252, ISO-8859-1) the prolog declares.
 */
export function textHead(bytes: Uint8Array, max = 4096): string {
  const b = bytes.subarray(0, max);
  if (b[0] === 0xff && b[1] === 0xfe) return new TextDecoder('utf-16le').decode(b.subarray(2));
  if (b[0] === 0xfe && b[1] === 0xff) return new TextDecoder('utf-16be').decode(b.subarray(2));
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return new TextDecoder('utf-8').decode(b.subarray(3));
  // UTF-16 without a BOM: every other byte of the first ASCII characters is zero.
  const firstNonSpace = b.findIndex((x) => x !== 0x20 && x !== 0x0a && x !== 0x0d && x !== 0x09);
  if (firstNonSpace >= 0 && b.length > firstNonSpace + 3) {
    if (b[firstNonSpace + 1] === 0 && b[firstNonSpace + 3] === 0 && b[firstNonSpace] !== 0) return new TextDecoder('utf-16le').decode(b);
    if (b[firstNonSpace] === 0 && b[firstNonSpace + 2] === 0 && b[firstNonSpace + 1] !== 0) return new TextDecoder('utf-16be').decode(b);
  }
  return Buffer.from(b).toString('latin1');
}

/** RFC 5322 header names a saved message starts with (at least two, one of them a strong sign). */
const MAIL_HEADERS = new Set(['from', 'to', 'cc', 'subject', 'date', 'message-id', 'mime-version', 'received', 'return-path', 'content-type', 'reply-to', 'x-mailer', 'delivered-to', 'sender', 'dkim-signature', 'arc-seal', 'authentication-results', 'thread-index', 'x-ms-exchange-organization-authas']);
const STRONG_MAIL_HEADERS = new Set(['from', 'message-id', 'mime-version', 'received', 'return-path', 'delivered-to', 'dkim-signature']);

/** A saved e-mail (.eml): its head is a block of RFC 5322 header lines, then a blank line. */
export function looksLikeEmail(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.subarray(0, 64 * 1024)).toString('latin1').replace(/^\s+/, '');
  const end = head.search(/\r?\n\r?\n/);
  if (end <= 0) return false;
  const lines = head.slice(0, end).split(/\r?\n/);
  if (!/^[!-9;-~]+:/.test(lines[0] ?? '') && !/^From \S/.test(lines[0] ?? '')) return false;
  const names = new Set<string>();
  for (const line of lines) {
    if (/^[ \t]/.test(line) || /^From \S/.test(line)) continue; // folded header line, mbox separator
    const m = /^([!-9;-~]+):/.exec(line);
    if (!m) return false; // not a header block
    names.add(m[1]!.toLowerCase());
  }
  const known = [...names].filter((n) => MAIL_HEADERS.has(n));
  return known.length >= 2 && known.some((n) => STRONG_MAIL_HEADERS.has(n));
}

function detectText(bytes: Uint8Array): string | undefined {
  let head = textHead(bytes);
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
  if (looksLikeEmail(bytes)) return MediaType.eml;
  return undefined;
}

/**
 * A C-CDA or FHIR document's text, decoded as it declares: byte order mark (UTF-8/16),
 * UTF-16 without one, else the XML prolog's `encoding` (windows-1252, ISO-8859-1, …),
 * else UTF-8.
 */
export function decodeStructuredText(bytes: Uint8Array): string {
  const b = bytes;
  let text: string;
  if (b[0] === 0xff && b[1] === 0xfe) text = new TextDecoder('utf-16le').decode(b.subarray(2));
  else if (b[0] === 0xfe && b[1] === 0xff) text = new TextDecoder('utf-16be').decode(b.subarray(2));
  else if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) text = new TextDecoder('utf-8').decode(b.subarray(3));
  else {
    const head = textHead(b, 1024);
    if (head !== Buffer.from(b.subarray(0, 1024)).toString('latin1')) {
      // UTF-16 without a byte order mark
      text = new TextDecoder(b[0] === 0 ? 'utf-16be' : 'utf-16le').decode(b);
    } else {
      const declared = /^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head)?.[1]?.toLowerCase();
      // iconv-lite, not TextDecoder: Node's TextDecoder reads windows-1252 as ISO-8859-1 (0x80–0x9f lost).
      text =
        declared && !/^utf-?(8|16)/.test(declared) && iconv.encodingExists(declared)
          ? iconv.decode(Buffer.from(b.buffer, b.byteOffset, b.byteLength), declared)
          : new TextDecoder('utf-8').decode(b);
    }
  }
  return text.replace(/^\uFEFF/, '');
}

/**
 * The same document as UTF-8 bytes whose XML prolog says UTF-8, for readers that take
 * bytes as UTF-8. The original bytes are kept as received; this is only what is parsed.
 */
export function structuredAsUtf8(bytes: Uint8Array): Uint8Array {
  const text = decodeStructuredText(bytes)
    .trimStart()
    .replace(/^(<\?xml[^>]*?)encoding\s*=\s*["'][^"']*["']/, '$1encoding="UTF-8"');
  return new TextEncoder().encode(text);
}
