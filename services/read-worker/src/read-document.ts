import type { Logger } from '@intake/config';
import { BadInputError, type extractDocumentJob, isStructuredMediaType, PageText, type readDocumentJob } from '@intake/core';
import { unpackStoredContainer, runIntakeChecks } from '@intake/arrivals';
import { containerKind, readDocument, type OcrEngine, type SandboxedReader } from '@intake/documents';
import type { JobProducer } from '@intake/queue';
import type { ReviewStore } from '@intake/storage';

export interface ReadDeps {
  store: ReviewStore;
  extractProducer: JobProducer<typeof extractDocumentJob.schema>;
  /** For the documents inside a container (saved e-mail, .msg, winmail.dat) that reached the reader. */
  readProducer?: JobProducer<typeof readDocumentJob.schema>;
  /** Cap on each document taken out of a container (INTAKE_MAX_FILE_BYTES). */
  maxFileBytes?: number;
  ocr: OcrEngine;
  /** Decoding off the event loop, killed when it runs away (startReadWorker sets one up). */
  reader?: Pick<SandboxedReader, 'read'>;
  limits: { maxPages: number; maxPixelsPerPage: number; pageTimeoutMs: number };
}

/** Stages past the read step: a read job for a document in one of them has nothing left to do. */
const PAST_READ: ReadonlySet<string> = new Set(['extracted', 'superseded', 'quarantined', 'closed']);

/**
 * One document.read job: the original from the store → pages (text layer, OCR or
 * skipped) → page text and images to the store → the extract job. Every write is
 * keyed by the document id, so a retried job overwrites rather than duplicates.
 */
export async function readStoredDocument(deps: ReadDeps, docId: string, log: Logger): Promise<void> {
  const { store } = deps;
  // Idempotent: a read job run again after its document went on (extracted or quarantined) —
  // its process died before the job completed, or Redis lost the completion — does nothing.
  const status = await store.documents.get(docId);
  if (status && PAST_READ.has(status.stage)) {
    log.info({ stage: status.stage }, 'already read and gone on: nothing to do');
    return;
  }
  const bytes = await store.originals.get(docId);
  if (!bytes) throw new Error('original is not in the store yet'); // transient: retried
  if (bytes.byteLength === 0) throw new BadInputError('empty', 'empty file (0 bytes): ask the sender to send the document again');

  // A container is not read: its documents are taken in, each through the intake step, and the container quarantined with what it held.
  if (containerKind(bytes)) {
    if (!deps.readProducer) throw new Error('the read step has no producer for the documents inside a container');
    const intake = await store.arrivals.getIntake(docId);
    await unpackStoredContainer({ store, readProducer: deps.readProducer, maxFileBytes: deps.maxFileBytes ?? 100 * 1024 * 1024 }, docId, bytes, intake);
  }

  const started = Date.now();
  // In the sandbox (worker threads with time and memory limits) when the worker has one.
  const result = deps.reader
    ? await deps.reader.read(bytes, { ...deps.limits, renderImages: true })
    : await readDocument(bytes, { ...deps.limits, ocr: deps.ocr, renderImages: true });
  const structured = isStructuredMediaType(result.mediaType);
  if (!structured && result.pages.every((p) => p.method.startsWith('skipped'))) {
    throw new BadInputError('no-content', 'every page is blank: ask the sender to check the document and send it again');
  }

  // A damaged file's text layer can give impossible values (NaN boxes from a broken transform):
  // that is the file's damage, quarantined corrupt before anything is written, not a result of ours.
  for (const page of result.pages) {
    const { image: _image, ...text } = page;
    const valid = PageText.safeParse(text);
    if (!valid.success)
      throw new BadInputError(
        'corrupt',
        `damaged file: page ${page.page} gives impossible values (${valid.error.issues[0]?.path.slice(0, 1).join('.') ?? 'page'}): ask the sender to send it again`,
      );
  }
  const pages = [];
  for (const page of result.pages) {
    const { image, ...text } = page;
    await store.pages.putPage(docId, text);
    const ext = image ? await store.pages.putImage(docId, page.page, image.data, image.mediaType) : undefined;
    pages.push({ page: page.page, method: page.method, confidence: page.confidence, image: ext, width: page.width, height: page.height });
  }
  const ms = Date.now() - started;
  await store.pages.putManifest({ docId, mediaType: result.mediaType, pages, readAt: new Date().toISOString(), ms });
  // Intake checks on the page text (checks/{docId}.json): probable duplicates of earlier documents, fax completeness.
  const arrival = await store.arrivals.getIntake(docId);
  const checks = await runIntakeChecks(store, docId, result.pages.map((p) => p.text), { channel: arrival?.channel, receivedAt: arrival?.receivedAt });
  if (checks.probableDuplicates.length > 0 || checks.completeness?.status === 'incomplete')
    log.info({ probableDuplicates: checks.probableDuplicates.length, completeness: checks.completeness?.status }, 'intake checks');
  await store.documents.transition(docId, { name: 'read', mediaType: result.mediaType, pages: result.pages.length });
  log.info(
    {
      pages: result.pages.length,
      ocr: result.pages.filter((p) => p.method === 'ocr').length,
      textLayer: result.pages.filter((p) => p.method === 'text-layer').length,
      skipped: result.pages.filter((p) => p.method.startsWith('skipped')).length,
      ms,
    },
    'document read',
  );
  await deps.extractProducer.add({ docId });
}
