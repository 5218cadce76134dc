import type { MemberHints } from '@intake/core';

/**
 * A medical record number written in the subject or body: "MRN: 12345678",
 * "MRN# A-1234567", "Medical Record Number 123-45-678", "MR#: 0042". It must contain a
 * digit. Only the first is kept; a clerk confirms it in review.
 */
const MRN_PATTERNS = [
  /\b(?:MRN|MR#|MR\s*No\.?|Medical\s+Record\s+(?:Number|No\.?|#))(?:\s+is)?\s*[:#=]?\s*((?:[A-Z]{1,3}-?)?\d[\dA-Z-]{2,19})\b/i,
];

export function findMrn(...texts: (string | undefined)[]): string | undefined {
  for (const text of texts) {
    if (!text) continue;
    for (const pattern of MRN_PATTERNS) {
      const m = pattern.exec(text.slice(0, 200_000));
      const value = m?.[1]?.replace(/\s+/g, '').replace(/-+$/, '');
      if (value && /\d/.test(value) && value.length >= 3) return value.toUpperCase();
    }
  }
  return undefined;
}

/** Control characters and runs of spaces out; long values cut. Header values are untrusted. */
export function cleanHeaderValue(value: string | undefined, max = 300): string | undefined {
  if (value === undefined) return undefined;
   
  const cleaned = value.replace(/[\u0000-\u001f\u007f\u200b-\u200f\u202a-\u202e\ufffd]+/g, ' ').replace(/\s+/g, ' ').trim();
  return cleaned === '' ? undefined : cleaned.slice(0, max);
}

export function plausibleAddress(address: string | undefined): string | undefined {
  const a = cleanHeaderValue(address, 254)?.toLowerCase();
  return a && /^[^\s@<>()",;]+@[^\s@<>()",;]+\.[^\s@<>()",;]+$/.test(a) ? a : undefined;
}

export function buildHints(input: {
  fromAddress?: string;
  fromName?: string;
  subject?: string;
  messageId?: string;
  bodyTexts: (string | undefined)[];
}): MemberHints {
  const hints: MemberHints = {};
  const senderAddress = plausibleAddress(input.fromAddress);
  if (senderAddress) hints.senderAddress = senderAddress;
  const senderName = cleanHeaderValue(input.fromName, 200);
  if (senderName && senderName.toLowerCase() !== senderAddress) hints.senderName = senderName;
  const subject = cleanHeaderValue(input.subject, 500);
  if (subject) hints.subject = subject;
  const messageId = cleanHeaderValue(input.messageId, 500);
  if (messageId) hints.messageId = messageId;
  const mrn = findMrn(subject, ...input.bodyTexts);
  if (mrn) hints.mrn = mrn;
  return hints;
}
