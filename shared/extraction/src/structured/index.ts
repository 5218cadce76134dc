import { BadInputError, MediaType, type ExtractionResult, type Source } from '@intake/core';
import { extractCcda } from './ccda.ts';
import { extractFhir } from './fhir.ts';

/** C-CDA XML or FHIR R4 JSON read from its structure (sections and entries), not OCR'd. */
export function extractStructured(bytes: Uint8Array, mediaType: string, source: Source): ExtractionResult {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes).replace(/^\uFEFF/, '');
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
