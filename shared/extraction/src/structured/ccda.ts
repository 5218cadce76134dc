import { BadInputError, type ExtractionResult, type Source } from '@intake/core';

export function extractCcda(_text: string, _source: Source): ExtractionResult {
  throw new BadInputError('unsupported-type', 'C-CDA reading not implemented yet');
}
