import { documentId, type readDocumentJob, type Channel, type MemberHints } from '@intake/core';
import { IllegalTransitionError, type ReviewStore } from '@intake/storage';
import type { JobProducer } from './queues.ts';

export interface Arrival {
  bytes: Uint8Array;
  channel: Channel;
  fileName: string;
  declaredType?: string;
  /** When the channel received it; also makes the receipt id stable across a retry of the same arrival. */
  receivedAt: Date;
  origin?: string;
  hints?: MemberHints;
  /** What a fax gateway said about this arrival (sidecar file, S3 object metadata), kept on the receipt. */
  gateway?: Record<string, string>;
  /** The container (saved e-mail, .msg, winmail.dat) this document came out of. */
  container?: { docId: string; part: string; mediaType: string };
}

export interface IngestOutcome {
  docId: string;
  /** First time these bytes were seen. */
  isNew: boolean;
  /** A read job was queued (or was already queued) for it. */
  queued: boolean;
  /** Quarantined at intake (e.g. over the size limit or empty); the original is kept. */
  quarantined?: string;
}

/**
 * The one durable intake step every channel uses: original to S3, a receipt, the
 * status, and only then the read job. Each step is idempotent (content ids, job ids),
 * so a channel that crashes half way simply does it again. A repeat of bytes already
 * read or quarantined adds a receipt and queues nothing: nothing is processed twice.
 */
export async function ingestDocument(
  deps: { store: ReviewStore; readProducer: JobProducer<typeof readDocumentJob.schema>; maxFileBytes: number },
  arrival: Arrival,
): Promise<IngestOutcome> {
  const { store } = deps;
  const docId = documentId(arrival.bytes);
  await store.originals.put(docId, arrival.bytes, arrival.declaredType ?? 'application/octet-stream');
  const receivedAt = arrival.receivedAt.toISOString();
  const { isNew } = await store.arrivals.record({
    docId,
    channel: arrival.channel,
    fileName: arrival.fileName,
    declaredType: arrival.declaredType,
    receivedAt,
    size: arrival.bytes.byteLength,
    origin: arrival.origin,
    hints: arrival.hints ?? {},
    gateway: arrival.gateway,
    container: arrival.container,
  });
  let status = await store.documents.get(docId);
  if (!status) {
    const sender = arrival.hints?.senderAddress ?? arrival.hints?.faxFrom;
    try {
      status = await store.documents.transition(docId, { name: 'received', channel: arrival.channel, receivedAt, sender });
    } catch (error) {
      // Another delivery of the same bytes created it first.
      if (!(error instanceof IllegalTransitionError)) throw error;
      status = await store.documents.get(docId);
    }
  }
  if (status?.stage !== 'received') return { docId, isNew, queued: false };

  const tooBig = arrival.bytes.byteLength > deps.maxFileBytes;
  const empty = arrival.bytes.byteLength === 0;
  if (tooBig || empty) {
    const reason = empty
      ? 'empty file (0 bytes): ask the sender to send the document again'
      : `file is larger than the ${Math.round(deps.maxFileBytes / 1048576)} MB limit: ask the sender to split it or send fewer pages`;
    await store.quarantineDocument({ docId, stage: 'intake', code: empty ? 'empty' : 'too-large', reason, attempts: 0 });
    return { docId, isNew, queued: false, quarantined: reason };
  }
  await deps.readProducer.add({ docId });
  return { docId, isNew, queued: true };
}
