/** Media types the pipeline recognises, detected from bytes (shared/documents), never from names. */
export const MediaType = {
  pdf: 'application/pdf',
  tiff: 'image/tiff',
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  heic: 'image/heic',
  /** HL7 C-CDA document (XML with a ClinicalDocument root). */
  ccda: 'application/hl7-cda+xml',
  /** FHIR R4 JSON: a Bundle or a single resource. */
  fhir: 'application/fhir+json',
} as const;
export type KnownMediaType = (typeof MediaType)[keyof typeof MediaType];

export function isStructuredMediaType(mediaType: string): boolean {
  return mediaType === MediaType.ccda || mediaType === MediaType.fhir;
}
