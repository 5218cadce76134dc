import { DocumentChecks, mapLimit, type Completeness, type ProbableDuplicate } from '@intake/core';
import type { ReviewStore } from '@intake/storage';
import { z } from 'zod';
import { checkCompleteness } from './completeness.ts';
import { bandKeys, compare, fingerprint, SIGNATURE_SIZE, type Fingerprint } from './fingerprint.ts';
import { bucketOf, getJsonObject, listKeys, putJsonObject, S3_PARALLEL } from './objects.ts';

/**
 * Score (fingerprint.ts: the smaller of the text and data containments) from which a new
 * document is linked to an earlier one as a probable duplicate. Measured on the corpora
 * (npm run bench:duplicates -w @intake/arrivals; README.md).
 */
export const DUPLICATE_THRESHOLD = 0.65;
/** Candidates sharing the most bands with a new document that are scored exactly; the rest are left. */
export const MAX_CANDIDATES = 50;

/**
 * Keys (beside the review store's own):
 *   fingerprints/docs/{docId}.json            the document's fingerprint (MinHash signature, shingle hashes)
 *   checks/{docId}.json                       DocumentChecks: probable duplicates, fax completeness
 *   checks/duplicated-by/{docId}/{laterId}.json  the link seen from the earlier document
 * The signature's LSH bands (documents sharing a band are candidates) are rows of the review
 * index's fingerprint_bands table (band, doc_id), filled from the fingerprints above when the
 * table has not been (a new index, `intake reindex` into a new database, an upgrade from the empty
 * marker objects fingerprints/bands/{band}/{docId} earlier versions wrote: left in place, unread).
 */
export const checkKeys = {
  fingerprint: (docId: string) => `fingerprints/docs/${docId}.json`,
  fingerprints: 'fingerprints/docs/',
  checks: (docId: string) => `checks/${docId}.json`,
  duplicatedBy: (docId: string, laterId?: string) => `checks/duplicated-by/${docId}/${laterId ? `${laterId}.json` : ''}`,
};

/** The row that says fingerprint_bands holds the bands of every fingerprint stored before it. */
const BACKFILLED = { band: '~backfilled', docId: '~' };

type Sql = ReviewStore['index']['sql'];

/** A document's bands, as rows (conflicts: already there, from a retried read). */
async function insertBands(sql: Sql, docId: string, bands: string[]): Promise<void> {
  await sql.query(`INSERT INTO fingerprint_bands (band, doc_id) SELECT b, $2 FROM unnest($1::text[]) AS b ON CONFLICT DO NOTHING`, [bands, docId]);
}

const backfills = new WeakMap<Sql, Promise<void>>();

/**
 * When the index has not had the bands of the stored fingerprints (no BACKFILLED row: a new
 * database, an upgrade), each stored fingerprint's bands go in, then the row. Asked per document
 * (one lookup), so an index emptied under a running process is filled again; one backfill at a
 * time per process, and idempotent when two processes do it at once.
 */
async function ensureBands(store: ReviewStore): Promise<void> {
  const sql = store.index.sql;
  const marked = await sql.query(`SELECT 1 FROM fingerprint_bands WHERE band = $1 AND doc_id = $2`, [BACKFILLED.band, BACKFILLED.docId]);
  if (marked.length > 0) return;
  let running = backfills.get(sql);
  if (!running) {
    running = (async () => {
      const ref = bucketOf(store);
      const keys = await listKeys(ref, checkKeys.fingerprints);
      await mapLimit(keys, S3_PARALLEL, async (key) => {
        let stored;
        try {
          stored = await getJsonObject(ref, key, StoredFingerprint);
        } catch (error) {
          if (error instanceof z.ZodError) return; // an older version's fingerprint: not comparable
          throw error;
        }
        if (stored) await insertBands(sql, stored.docId, bandKeys(stored));
      });
      await insertBands(sql, BACKFILLED.docId, [BACKFILLED.band]);
    })().finally(() => backfills.delete(sql));
    backfills.set(sql, running);
  }
  await running;
}

const u32 = (values: readonly number[]) => Buffer.from(Uint32Array.from(values).buffer).toString('base64');
const fromU32 = (b64: string) => {
  const buf = Buffer.from(b64, 'base64');
  return [...new Uint32Array(buf.buffer, buf.byteOffset, Math.floor(buf.byteLength / 4))];
};

/** Stored form: the shingle hashes as base64 of little-endian uint32 (a page is a few thousand). */
const StoredFingerprint = z.object({
  v: z.literal(2),
  docId: z.string(),
  signature: z.array(z.number()).length(SIGNATURE_SIZE),
  text: z.string(),
  data: z.string(),
  channel: z.string().optional(),
  receivedAt: z.string().optional(),
  at: z.string(),
});

/** A link seen from the earlier document: a later one that is probably the same record. */
export const DuplicatedBy = z.object({
  docId: z.string(),
  similarity: z.number(),
  channel: z.string().optional(),
  receivedAt: z.string().optional(),
  at: z.string(),
});
export type DuplicatedBy = z.infer<typeof DuplicatedBy>;

async function readFingerprint(store: ReviewStore, docId: string): Promise<(Pick<Fingerprint, 'text' | 'data'> & { channel?: string; receivedAt?: string }) | undefined> {
  const ref = bucketOf(store);
  let stored;
  try {
    stored = await getJsonObject(ref, checkKeys.fingerprint(docId), StoredFingerprint);
  } catch (error) {
    if (error instanceof z.ZodError) return undefined; // a fingerprint of an older version: not comparable
    throw error;
  }
  return stored && { text: fromU32(stored.text), data: fromU32(stored.data), channel: stored.channel, receivedAt: stored.receivedAt };
}

/**
 * Earlier documents sharing a band with this one, the ones sharing the most bands first
 * (at most MAX_CANDIDATES), scored exactly; the ones at or over the threshold.
 */
export async function findProbableDuplicates(store: ReviewStore, docId: string, fp: Fingerprint, threshold = DUPLICATE_THRESHOLD): Promise<ProbableDuplicate[]> {
  await ensureBands(store);
  // One query for the documents sharing a band, the most shared first (then by id, as bytes).
  const rows = await store.index.sql.query<{ doc_id: string; shared: number }>(
    `SELECT doc_id, count(*)::int AS shared FROM fingerprint_bands WHERE band = ANY($1::text[]) AND doc_id <> $2
     GROUP BY doc_id ORDER BY shared DESC, doc_id ASC LIMIT ${MAX_CANDIDATES}`,
    [bandKeys(fp), docId],
  );
  const candidates = rows.map((r) => [r.doc_id, r.shared] as const);
  // The candidates' fingerprints, S3_PARALLEL at a time.
  const stored = await mapLimit(candidates, S3_PARALLEL, ([other]) => readFingerprint(store, other));
  const out: ProbableDuplicate[] = [];
  candidates.forEach(([other], i) => {
    const fpOther = stored[i];
    if (!fpOther) return;
    const s = compare(fp, fpOther).score;
    if (s >= threshold) out.push({ docId: other, similarity: Math.round(s * 1000) / 1000, channel: fpOther.channel, receivedAt: fpOther.receivedAt });
  });
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
    const at = new Date().toISOString();
    await putJsonObject(ref, checkKeys.fingerprint(docId), { v: 2, docId, signature: fp.signature, text: u32(fp.text), data: u32(fp.data), ...meta, at });
    // After the fingerprint: a document found by its bands has its fingerprint to be scored on.
    await insertBands(store.index.sql, docId, bandKeys(fp));
    await mapLimit(probableDuplicates, S3_PARALLEL, (d) =>
      putJsonObject(ref, checkKeys.duplicatedBy(d.docId, docId), DuplicatedBy.parse({ docId, similarity: d.similarity, ...meta, at })),
    );
  }
  const completeness: Completeness | undefined = pageTexts.length > 0 ? checkCompleteness(pageTexts) : undefined;
  const checks = DocumentChecks.parse({ docId, at: new Date().toISOString(), probableDuplicates, completeness });
  await putJsonObject(ref, checkKeys.checks(docId), checks);
  return checks;
}

export function readIntakeChecks(store: ReviewStore, docId: string): Promise<DocumentChecks | undefined> {
  return getJsonObject(bucketOf(store), checkKeys.checks(docId), DocumentChecks);
}

/** Later documents that were linked to this one as probable duplicates, most similar first. */
export async function readDuplicatedBy(store: ReviewStore, docId: string): Promise<DuplicatedBy[]> {
  const ref = bucketOf(store);
  const links = await mapLimit(await listKeys(ref, checkKeys.duplicatedBy(docId)), S3_PARALLEL, (key) => getJsonObject(ref, key, DuplicatedBy));
  return links.filter((l): l is DuplicatedBy => l !== undefined).sort((a, b) => b.similarity - a.similarity);
}

/**
 * What a clerk is shown with a record: the probable duplicates both ways (earlier records
 * this one matches, later ones that match it), each with its file name, channel and review
 * state, and whether every announced page arrived. Undefined completeness: the document was
 * not read yet (or was read before the checks existed).
 */
export interface IntakeChecksView {
  probableDuplicates: {
    docId: string;
    similarity: number;
    /** 'earlier': this document matched one received before it; 'later': one received after it matched this one. */
    direction: 'earlier' | 'later';
    channel?: string;
    receivedAt?: string;
    fileName?: string;
    stage?: string;
    reviewState?: string;
  }[];
  completeness?: Completeness;
  checkedAt?: string;
}

export async function intakeChecksView(store: ReviewStore, docId: string): Promise<IntakeChecksView> {
  const [checks, later] = await Promise.all([readIntakeChecks(store, docId), readDuplicatedBy(store, docId)]);
  const earlier = (checks?.probableDuplicates ?? []).map((d) => ({ ...d, direction: 'earlier' as const }));
  const seen = new Set(earlier.map((d) => d.docId));
  const laterLinks = later
    .filter((d) => !seen.has(d.docId))
    .map((d) => ({ docId: d.docId, similarity: d.similarity, direction: 'later' as const, channel: d.channel, receivedAt: d.receivedAt }));
  const links = [...earlier, ...laterLinks].sort((a, b) => b.similarity - a.similarity);
  const probableDuplicates = await Promise.all(
    links.map(async (d) => {
      const [intake, status] = await Promise.all([store.arrivals.getIntake(d.docId), store.documents.get(d.docId)]);
      return { ...d, fileName: intake?.fileName, channel: d.channel ?? intake?.channel, stage: status?.stage, reviewState: status?.reviewState };
    }),
  );
  return { probableDuplicates, completeness: checks?.completeness, checkedAt: checks?.at };
}
