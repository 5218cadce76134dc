import { BadInputError, MediaType, type ExtractionResult, type Source } from '@intake/core';
import { extractCcda } from './ccda.ts';
import { extractFhir } from './fhir.ts';

/** C-CDA XML or FHIR R4 JSON read from its structure (sections and entries), not OCR'd. */
export function extractStructured(bytes: Uint8Array, mediaType: string, source: Source): ExtractionResult {
  const text = decodeText(bytes);
  if (mediaType === MediaType.fhir) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (cause) {
      throw new BadInputError('corrupt', 'FHIR document is not valid JSON', { cause });
    }
    return extractFhir(json, source);
  }
  if (mediaType === MediaType.ccda) return extractCcda(text, source);
  throw new BadInputError('unsupported-type', `not a structured media type: ${mediaType}`);
}

/**
 * The document's text in the encoding it was written in: a byte-order mark (UTF-8, UTF-16 LE/BE),
 * UTF-16 without one (every other byte zero), or the encoding its XML prolog declares
 * (windows-1252, ISO-8859-1…); UTF-8 otherwise, and windows-1252 when the bytes are not valid UTF-8
 * (an export that writes windows-1252 but declares UTF-8 or nothing). Blank lines before `<?xml` are dropped.
 */
export function decodeText(bytes: Uint8Array): string {
  let label = 'utf-8';
  let start = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) start = 3;
  else if (bytes[0] === 0xff && bytes[1] === 0xfe) [label, start] = ['utf-16le', 2];
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) [label, start] = ['utf-16be', 2];
  else if (bytes.length >= 4 && bytes[0] === 0x3c && bytes[1] === 0 && bytes[2] !== 0 && bytes[3] === 0) label = 'utf-16le';
  else if (bytes.length >= 4 && bytes[0] === 0 && bytes[1] === 0x3c && bytes[3] !== 0) label = 'utf-16be';
  else {
    const head = new TextDecoder('latin1').decode(bytes.subarray(0, 200));
    const declared = /<\?xml[^>]*\bencoding\s*=\s*["']([\w.:-]+)["']/i.exec(head)?.[1]?.toLowerCase();
    if (declared && declared !== 'utf-8' && declared !== 'utf8') {
      try {
        new TextDecoder(declared);
        label = declared;
      } catch {
        label = 'utf-8';
      }
    }
  }
  let text: string;
  try {
    text = new TextDecoder(label, { fatal: label === 'utf-8' }).decode(bytes.subarray(start));
  } catch {
    // Not UTF-8 whatever the prolog says (an export that writes windows-1252 and declares nothing or UTF-8).
    text = new TextDecoder('windows-1252').decode(bytes.subarray(start));
  }
  return text.replace(/^\uFEFF/, '').replace(/^\s+(?=<)/, '');
}
