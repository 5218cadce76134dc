import { createHash } from 'node:crypto';

/** Content-derived id: the sha-256 of the bytes, hex. Same bytes, same id, every time. */
export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** A document id is the sha-256 of its original bytes. */
export function documentId(bytes: Uint8Array): string {
  return sha256Hex(bytes);
}

/** A BullMQ job id for a step on a document: no ':' (BullMQ reserves it). */
export function jobId(step: string, docId: string, version = 1): string {
  if (!/^[a-z][a-z0-9.-]*$/.test(step)) throw new Error(`invalid job step name: ${step}`);
  if (!/^[0-9a-f]{64}$/.test(docId)) throw new Error('invalid document id');
  return `${step}-v${version}-${docId}`;
}

/** Short form for logs and UI; not unique enough to key anything on. */
export function shortId(id: string): string {
  return id.slice(0, 12);
}
