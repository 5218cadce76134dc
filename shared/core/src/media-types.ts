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
  /** Containers: a saved e-mail, an Outlook .msg, a TNEF winmail.dat. Never read as pages: their inner documents are taken in instead. */
  eml: 'message/rfc822',
  msg: 'application/vnd.ms-outlook',
  tnef: 'application/vnd.ms-tnef',
} as const;
export type KnownMediaType = (typeof MediaType)[keyof typeof MediaType];

export function isStructuredMediaType(mediaType: string): boolean {
  return mediaType === MediaType.ccda || mediaType === MediaType.fhir;
}

/** A container holds documents (attachments); the pipeline takes each one in as its own document. */
export function isContainerMediaType(mediaType: string | undefined): boolean {
  return mediaType === MediaType.eml || mediaType === MediaType.msg || mediaType === MediaType.tnef;
}
