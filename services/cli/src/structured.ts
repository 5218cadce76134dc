// C-CDA and FHIR documents, for `intake extract` (extract-files.ts loads this when one comes).
export { extractStructured } from '@intake/extraction';
