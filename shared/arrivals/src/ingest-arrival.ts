import { BadInputError, documentId, isBadInput, type Channel, type MemberHints, type readDocumentJob } from '@intake/core';
import {
  containerKind,
  containerLabel,
  defaultContainerLimits,
  emptyContainerReason,
  openContainer,
  type ContainerContents,
  type ContainerKind,
  type ContainerLimits,
  type ContainerSkip,
} from '@intake/documents/containers';
import { ingestDocument, type Arrival, type IngestOutcome, type JobProducer } from '@intake/queue';
import type { ReviewStore } from '@intake/storage';
import { z } from 'zod';
import { bucketOf, getJsonObject, putJsonObject } from './objects.ts';

export interface ArrivalDeps {
  store: ReviewStore;
  readProducer: JobProducer<typeof readDocumentJob.schema>;
  maxFileBytes: number;
  containerLimits?: ContainerLimits;
}

export interface ArrivalOutcome {
  /** The id of the bytes that arrived (the container's, for a container). */
  docId: string;
  /** One per document taken in: the file itself, or each document inside a container (and the container, when parts were left out). */
  documents: IngestOutcome[];
  container?: { kind: ContainerKind; documents: number; skipped: ContainerSkip[] };
}

/** What one container held, kept beside the review store's records: `containers/{docId}.json`. */
export const ContainerRecord = z.object({
  docId: z.string(),
  mediaType: z.string(),
  documents: z.array(z.object({ docId: z.string(), part: z.string(), fileName: z.string(), mediaType: z.string(), source: z.string() })),
  skipped: z.array(z.object({ part: z.string(), fileName: z.string().optional(), size: z.number().optional(), code: z.string(), reason: z.string() })),
  at: z.iso.datetime(),
});
export type ContainerRecord = z.infer<typeof ContainerRecord>;

export const containerRecordKey = (docId: string) => `containers/${docId}.json`;

export function readContainerRecord(store: ReviewStore, docId: string): Promise<ContainerRecord | undefined> {
  return getJsonObject(bucketOf(store), containerRecordKey(docId), ContainerRecord);
}

const QUIET: ReadonlySet<string> = new Set(['inline-logo', 'duplicate']);

function mergeHints(channel: MemberHints | undefined, container: ContainerContents['hints']): MemberHints {
  const out: MemberHints = { ...(channel ?? {}) };
  for (const [k, v] of Object.entries(container)) if (v && !(k in out)) (out as Record<string, string>)[k] = v;
  return out;
}

/** Each document of an opened container through the durable intake step, then the container's record. */
async function ingestContents(deps: ArrivalDeps, arrival: Arrival, containerId: string, contents: ContainerContents): Promise<IngestOutcome[]> {
  const outcomes: IngestOutcome[] = [];
  const hints = mergeHints(arrival.hints, contents.hints);
  for (const doc of contents.documents) {
    outcomes.push(
      await ingestDocument(deps, {
        bytes: doc.bytes,
        channel: arrival.channel,
        fileName: doc.fileName,
        declaredType: doc.mediaType,
        receivedAt: arrival.receivedAt,
        origin: `${arrival.origin ?? arrival.fileName}#${doc.part}`,
        hints,
        gateway: arrival.gateway,
        container: { docId: containerId, part: doc.part, mediaType: contents.kind },
      }),
    );
  }
  const record: ContainerRecord = {
    docId: containerId,
    mediaType: contents.kind,
    documents: contents.documents.map((d) => ({ docId: d.sha256, part: d.part, fileName: d.fileName, mediaType: d.mediaType, source: d.source })),
    skipped: contents.skipped,
    at: new Date().toISOString(),
  };
  await putJsonObject(bucketOf(deps.store), containerRecordKey(containerId), ContainerRecord.parse(record));
  return outcomes;
}

/**
 * The intake step every channel uses for what it received. A document goes through
 * ingestDocument as it is. A container (saved e-mail, .msg, winmail.dat) is opened and
 * each document inside goes through ingestDocument on its own, its receipt naming the
 * container and the part; the container itself is taken in too when something in it was
 * left out or nothing in it was usable, so that the read step records why (quarantine),
 * and so does a container that cannot be opened. Nothing is dropped unseen.
 */
export async function ingestArrival(deps: ArrivalDeps, arrival: Arrival): Promise<ArrivalOutcome> {
  const kind = arrival.bytes.byteLength <= deps.maxFileBytes ? containerKind(arrival.bytes) : undefined;
  if (!kind) {
    const outcome = await ingestDocument(deps, arrival);
    return { docId: outcome.docId, documents: [outcome] };
  }
  const containerId = documentId(arrival.bytes);
  let contents: ContainerContents;
  try {
    contents = await openContainer(arrival.bytes, deps.containerLimits ?? defaultContainerLimits);
  } catch (error) {
    if (!isBadInput(error)) throw error;
    const outcome = await ingestDocument(deps, arrival); // the read step quarantines it with the reason
    return { docId: containerId, documents: [outcome], container: { kind, documents: 0, skipped: [] } };
  }
  const documents = await ingestContents(deps, arrival, containerId, contents);
  if (contents.documents.length === 0 || contents.skipped.some((s) => !QUIET.has(s.code))) documents.push(await ingestDocument(deps, arrival));
  return { docId: containerId, documents, container: { kind, documents: contents.documents.length, skipped: contents.skipped } };
}

/**
 * The read step's side of containers: a container that reached the reader (taken in
 * because parts were left out, or by a path that does not open containers) has its
 * documents taken in — idempotent, content ids — and is then recorded as bad input with
 * what it held and what was left out, for the clerk. Always throws BadInputError.
 */
export async function unpackStoredContainer(
  deps: ArrivalDeps,
  docId: string,
  bytes: Uint8Array,
  intake: { channel: Channel; fileName: string; receivedAt: string; origin?: string; hints?: MemberHints } | undefined,
): Promise<never> {
  const kind = containerKind(bytes)!;
  const label = containerLabel(kind);
  const contents = await openContainer(bytes, deps.containerLimits ?? defaultContainerLimits); // BadInputError when damaged
  const arrival: Arrival = {
    bytes,
    channel: intake?.channel ?? 'upload',
    fileName: intake?.fileName ?? `${docId.slice(0, 12)}`,
    receivedAt: intake ? new Date(intake.receivedAt) : new Date(),
    origin: intake?.origin,
    hints: intake?.hints,
  };
  await ingestContents(deps, arrival, docId, contents);
  const loud = contents.skipped.filter((s) => !QUIET.has(s.code));
  if (contents.documents.length === 0) throw new BadInputError('no-content', emptyContainerReason(contents));
  const taken = `${contents.documents.length} ${contents.documents.length === 1 ? 'document' : 'documents'} in it taken in as their own records`;
  if (loud.length > 0) {
    const more = loud.length > 1 ? ` (and ${loud.length - 1} more)` : '';
    throw new BadInputError('unsupported-type', `${label}: ${taken}; part ${loud[0]!.part} left out: ${loud[0]!.reason}${more}`);
  }
  throw new BadInputError('other', `${label}: ${taken}; nothing else to read in it (close this entry)`);
}
