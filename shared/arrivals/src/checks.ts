import { DocumentChecks, type Completeness, type ProbableDuplicate } from '@intake/core';
import type { ReviewStore } from '@intake/storage';
import { z } from 'zod';
import { checkCompleteness } from './completeness.ts';
import { bandKeys, fingerprint, similarity, SIGNATURE_SIZE, type Fingerprint } from './fingerprint.ts';
import { bucketOf, getJsonObject, listKeys, putJsonObject, putObject } from './objects.ts';

/**
 * Estimated Jaccard similarity from which a new document is linked to an earlier one as a
 * probable duplicate. Measured on the corpus pairs (README.md, checks.test.ts).
 */
export const DUPLICATE_THRESHOLD = 0.45;

/**
 * Keys (beside the review store's own):
 *   fingerprints/docs/{docId}.json            the document's MinHash signature
 *   fingerprints/bands/{band}-{hash}/{docId}  empty markers: documents sharing a band are compared
 *   checks/{docId}.json                       DocumentChecks: probable duplicates, fax completeness
 */
export const checkKeys = {
  fingerprint: (docId: string) => `fingerprints/docs/${docId}.json`,
  band: (band: string, docId?: string) => `fingerprints/bands/${band}/${docId ?? ''}`,
  checks: (docId: string) => `checks/${docId}.json`,
};

const StoredFingerprint = z.object({
  docId: z.string(),
  signature: z.array(z.number()).length(SIGNATURE_SIZE),
  shingles: z.number(),
  channel: z.string().optional(),
  receivedAt: z.string().optional(),
  at: z.string(),
});

/** Earlier documents whose fingerprints share a band with this one, scored; the ones at or over the threshold. */
export async function findProbableDuplicates(store: ReviewStore, docId: string, fp: Fingerprint, threshold = DUPLICATE_THRESHOLD): Promise<ProbableDuplicate[]> {
  const ref = bucketOf(store);
  const candidates = new Set<string>();
  for (const band of bandKeys(fp)) {
    for (const key of await listKeys(ref, checkKeys.band(band))) {
      const other = key.slice(key.lastIndexOf('/') + 1);
      if (other && other !== docId) candidates.add(other);
    }
  }
  const out: ProbableDuplicate[] = [];
  for (const other of [...candidates].sort()) {
    const stored = await getJsonObject(ref, checkKeys.fingerprint(other), StoredFingerprint);
    if (!stored) continue;
    const s = similarity(fp, stored);
    if (s >= threshold) out.push({ docId: other, similarity: s, channel: stored.channel, receivedAt: stored.receivedAt });
  }
  return out.sort((a, b) => b.similarity - a.similarity);
}

/**
 * The intake checks once a document's pages are read: its fingerprint is compared with
 * every earlier one (probable duplicates are linked, never dropped) and then stored for
 * the documents after it; its pages are checked against what its cover sheet and footers
 * announce. The result is kept at checks/{docId}.json for the review UI. Idempotent.
 */
export async function runIntakeChecks(
  store: ReviewStore,
  docId: string,
  pageTexts: string[],
  meta: { channel?: string; receivedAt?: string } = {},
): Promise<DocumentChecks> {
  const ref = bucketOf(store);
  const fp = fingerprint(pageTexts);
  let probableDuplicates: ProbableDuplicate[] = [];
  if (fp) {
    probableDuplicates = await findProbableDuplicates(store, docId, fp);
    await putJsonObject(ref, checkKeys.fingerprint(docId), { docId, ...fp, ...meta, at: new Date().toISOString() });
    for (const band of bandKeys(fp)) await putObject(ref, checkKeys.band(band, docId), '', 'application/octet-stream');
  }
  const completeness: Completeness | undefined = pageTexts.length > 0 ? checkCompleteness(pageTexts) : undefined;
  const checks = DocumentChecks.parse({ docId, at: new Date().toISOString(), probableDuplicates, completeness });
  await putJsonObject(ref, checkKeys.checks(docId), checks);
  return checks;
}

export function readIntakeChecks(store: ReviewStore, docId: string): Promise<DocumentChecks | undefined> {
  return getJsonObject(bucketOf(store), checkKeys.checks(docId), DocumentChecks);
}
