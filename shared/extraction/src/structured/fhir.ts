import { BadInputError, type ExtractionResult, type Source } from '@intake/core';

export function extractFhir(_json: unknown, _source: Source): ExtractionResult {
  throw new BadInputError('unsupported-type', 'FHIR reading not implemented yet');
}
