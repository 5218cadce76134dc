import { loadCoreConfig } from '@intake/config';
import { openReviewStore, type ReindexReport } from '@intake/storage';

/** One line per part: what the index had wrong compared with the store, and what was done. */
export function formatReindexReport(r: ReindexReport): string {
  return [
    `documents:  ${r.documents.inStore} in the store; ${r.documents.missing} missing from the index, ${r.documents.stale} stale, ${r.documents.extra} with nothing in the store (removed)`,
    `quarantine: ${r.quarantine.inStore} in the store; ${r.quarantine.missing} missing, ${r.quarantine.stale} stale, ${r.quarantine.extra} removed`,
    `audit:      ${r.audit.inStore} events in the store; ${r.audit.missing} missing from the index, ${r.audit.extra} removed`,
    `reindex: ${r.documents.missing + r.documents.stale + r.documents.extra + r.quarantine.missing + r.quarantine.stale + r.quarantine.extra + r.audit.missing + r.audit.extra} differences repaired in ${(r.ms / 1000).toFixed(1)} s`,
  ].join('\n');
}

/**
 * `intake reindex`: rebuild the review index from the S3 store (the system of record) and
 * report what differed. With the embedded default, stop `intake start` first: PGlite's
 * folder is used by one process at a time.
 */
export async function reindexCommand(): Promise<number> {
  const opened = await openReviewStore(loadCoreConfig());
  try {
    const report = await opened.store.reindex({
      onProgress: (done) => process.stderr.write(`  ${done} documents read\r`),
    });
    process.stdout.write(`${formatReindexReport(report)}\n`);
    return 0;
  } finally {
    await opened.close();
  }
}
