// What `intake reconcile` (main.ts) takes from the workspace, by name.
export { createLogger, loadCoreConfig } from '@intake/config';
export { extractDocumentJob, readDocumentJob } from '@intake/core';
export { formatReconcileReport, openServiceRuntime, reconcile, sweepStoreOf } from '@intake/queue';
