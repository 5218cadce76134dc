import { sha256Hex, type IntakeRecord } from '@intake/core';
import { canApply, type DocumentStatus, type PageSource, type ReadManifest, type ReviewStore, type Rotation } from '@intake/storage';
import { DomainError } from '../errors.ts';
import type { Leases } from '../leases.ts';

/**
 * Indexing: split a document by page groups, move pages between documents, merge a
 * continuation into an existing record. Each result is a new document (its own id) whose
 * pages are copies of the source pages (text and image), whose status records where every
 * page came from (`derivedFrom`), and which is queued for extraction; the sources are
 * superseded (`split` / `moved` / `merged`, naming the new documents). Original bytes are
 * never touched. The new documents are written before the sources are superseded, and their
 * ids are fixed by the source pages and the sources' versions, so an operation cut short is
 * simply done again.
 */
export interface DeriveDeps {
  store: ReviewStore;
  leases: Pick<Leases, 'holder' | 'release' | 'claim'>;
  /** Queue the extract job of a new document. */
  extract: (docId: string) => Promise<void>;
}

export interface PageRef {
  docId: string;
  page: number;
}

export interface DerivedDocument {
  docId: string;
  /** Where each of its pages came from, in order. */
  pages: PageRef[];
}

interface Source {
  docId: string;
  status: DocumentStatus;
  manifest: ReadManifest;
  intake?: IntakeRecord;
  /** This operation took the lease (the clerk did not have the record open). */
  claimed: boolean;
}

/** A source document as it must be for its pages to change: extracted, open for review, not held by another clerk. */
async function openSource(deps: DeriveDeps, docId: string, actor: string): Promise<Source> {
  const [status, manifest, intake] = await Promise.all([
    deps.store.documents.get(docId),
    deps.store.pages.getManifest(docId),
    deps.store.arrivals.getIntake(docId),
  ]);
  if (!status) throw new DomainError('not-found', 'no such document');
  if (!canApply(status, 'split')) {
    const what = status.stage === 'extracted' ? status.reviewState : status.stage;
    throw new DomainError(
      'conflict',
      what === 'approved' || what === 'rejected'
        ? `the record is ${what}: a supervisor reopens it before its pages change`
        : `the document is ${what}: its pages cannot change now`,
      { conflict: 'state' },
    );
  }
  if (!manifest || manifest.pages.length === 0) throw new DomainError('conflict', 'the document has no pages', { conflict: 'state' });
  // The operation holds the record (claimed, or renewed when the clerk has it open): two clerks
  // splitting one document at once would otherwise both write new documents.
  const before = await deps.leases.holder(docId);
  const claim = await deps.leases.claim(docId, actor);
  if (!claim.ok) {
    throw new DomainError('conflict', `${claim.holder ?? 'another clerk'} is working on this record`, { conflict: 'lease', holder: claim.holder });
  }
  return { docId, status, manifest, intake, claimed: before !== actor };
}

/** Open the sources (in order), run `fn`; when it fails, give back the leases this operation took. */
async function withSources<T>(deps: DeriveDeps, docIds: string[], actor: string, fn: (sources: Source[]) => Promise<T>): Promise<T> {
  const sources: Source[] = [];
  try {
    for (const id of docIds) sources.push(await openSource(deps, id, actor));
    return await fn(sources);
  } catch (error) {
    for (const s of sources) if (s.claimed) await deps.leases.release(s.docId, actor);
    throw error;
  }
}

const pageList = (pages: number[]) => {
  const runs: string[] = [];
  for (let i = 0; i < pages.length; i++) {
    let j = i;
    while (j + 1 < pages.length && pages[j + 1] === pages[j]! + 1) j++;
    runs.push(i === j ? `${pages[i]}` : `${pages[i]}-${pages[j]}`);
    i = j;
  }
  return runs.join(',');
};

/** Consecutive pages of one source as one provenance entry. */
function provenance(refs: PageRef[]): PageSource[] {
  const out: PageSource[] = [];
  for (const r of refs) {
    const last = out.at(-1);
    if (last && last.docId === r.docId) last.pages.push(r.page);
    else out.push({ docId: r.docId, pages: [r.page] });
  }
  return out;
}

/** Write one new document made of `refs` (copies of the source pages), then queue its extraction. */
async function writeDerived(
  deps: DeriveDeps,
  sources: Map<string, Source>,
  refs: PageRef[],
  options: { operation: 'split' | 'move' | 'merge'; base: Source; memberId?: string; actor: string },
): Promise<DerivedDocument> {
  const { store } = deps;
  const versions = [...new Set(refs.map((r) => r.docId))].map((id) => [id, sources.get(id)!.status.version]);
  const docId = sha256Hex(JSON.stringify({ derived: options.operation, refs, versions }));
  const existing = await store.documents.get(docId);
  if (!existing) {
    const manifestPages: ReadManifest['pages'] = [];
    const rotations: Record<string, Rotation> = {};
    for (const [i, ref] of refs.entries()) {
      const n = i + 1;
      const source = sources.get(ref.docId)!;
      const entry = source.manifest.pages.find((p) => p.page === ref.page);
      const text = await store.pages.getPage(ref.docId, ref.page);
      if (!entry || !text) throw new DomainError('conflict', `page ${ref.page} of a source document is missing`);
      await store.pages.putPage(docId, { ...text, page: n });
      let image: 'png' | 'jpg' | undefined;
      if (entry.image) {
        const bytes = await store.pages.getImage(ref.docId, ref.page, entry.image);
        if (bytes) image = await store.pages.putImage(docId, n, bytes, entry.image === 'png' ? 'image/png' : 'image/jpeg');
      }
      manifestPages.push({ ...entry, page: n, image });
      const rotation = source.status.rotations?.[String(ref.page)];
      if (rotation) rotations[String(n)] = rotation;
    }
    const base = options.base;
    await store.pages.putManifest({
      docId,
      mediaType: base.manifest.mediaType,
      pages: manifestPages,
      readAt: new Date().toISOString(),
      ms: 0,
    });
    // The arrival of the pages: the source's channel, time and sender hints, and where they came from.
    const from = provenance(refs);
    const fileName = base.intake?.fileName ?? `${base.docId.slice(0, 12)}`;
    await store.arrivals.record({
      docId,
      channel: base.intake?.channel ?? (base.status.channel as IntakeRecord['channel']),
      fileName: `${fileName} (${options.operation}: ${from.map((f) => `${f.docId.slice(0, 12)} p${pageList(f.pages)}`).join(' + ')})`,
      declaredType: base.intake?.declaredType,
      receivedAt: base.intake?.receivedAt ?? base.status.receivedAt,
      size: 0,
      origin: `${options.operation}:${from.map((f) => `${f.docId}#${pageList(f.pages)}`).join('+')}`,
      hints: base.intake?.hints ?? {},
      gateway: base.intake?.gateway,
    });
    await store.documents.transition(
      docId,
      {
        name: 'derived',
        channel: base.status.channel,
        receivedAt: base.status.receivedAt,
        sender: base.status.sender,
        mediaType: base.manifest.mediaType,
        pages: refs.length,
        derivedFrom: from,
        memberId: options.memberId,
        rotations,
      },
      options.actor,
    );
  }
  // Queued again when it exists: a cut-short operation may have stopped before this (the job id makes it one job).
  if (!existing || existing.stage === 'read') await deps.extract(docId);
  return { docId, pages: refs };
}

async function supersede(
  deps: DeriveDeps,
  source: Source,
  name: 'split' | 'moved' | 'merged',
  into: string[],
  actor: string,
): Promise<void> {
  await deps.store.documents.transition(source.docId, { name, into }, actor);
  await deps.leases.release(source.docId, actor);
}

function checkPages(source: Source, pages: number[], what: string): void {
  const have = new Set(source.manifest.pages.map((p) => p.page));
  for (const p of pages) if (!have.has(p)) throw new DomainError('invalid', `${what}: the document has no page ${p}`);
  if (new Set(pages).size !== pages.length) throw new DomainError('invalid', `${what}: a page is listed twice`);
}

/** Split a document into new documents, one per group of pages (every page exactly once). */
export async function splitDocument(
  deps: DeriveDeps,
  input: { docId: string; groups: number[][]; actor: string },
): Promise<DerivedDocument[]> {
  return withSources(deps, [input.docId], input.actor, async ([source]) => split(deps, source!, input));
}

async function split(deps: DeriveDeps, source: Source, input: { groups: number[][]; actor: string }): Promise<DerivedDocument[]> {
  const groups = input.groups.filter((g) => g.length > 0);
  if (groups.length < 2) throw new DomainError('invalid', 'a split needs at least two groups of pages');
  const all = groups.flat();
  checkPages(source, all, 'split');
  if (all.length !== source.manifest.pages.length) throw new DomainError('invalid', 'split: every page goes into one of the groups');
  const sources = new Map([[source.docId, source]]);
  const out: DerivedDocument[] = [];
  for (const group of groups) {
    out.push(
      await writeDerived(
        deps,
        sources,
        group.map((page) => ({ docId: source.docId, page })),
        { operation: 'split', base: source, actor: input.actor },
      ),
    );
  }
  await supersede(deps, source, 'split', out.map((d) => d.docId), input.actor);
  return out;
}

/** Move pages of one document to the end of another: both are replaced by new documents. */
export async function movePages(
  deps: DeriveDeps,
  input: { docId: string; pages: number[]; to: string; actor: string },
): Promise<{ source: DerivedDocument | null; target: DerivedDocument }> {
  if (input.to === input.docId) throw new DomainError('invalid', 'move: the pages are in that document already');
  return withSources(deps, [input.docId, input.to], input.actor, async ([source, target]) => move(deps, source!, target!, input));
}

async function move(
  deps: DeriveDeps,
  source: Source,
  target: Source,
  input: { pages: number[]; actor: string },
): Promise<{ source: DerivedDocument | null; target: DerivedDocument }> {
  if (input.pages.length === 0) throw new DomainError('invalid', 'move: name the pages to move');
  checkPages(source, input.pages, 'move');
  const moving = new Set(input.pages);
  const sources = new Map([
    [source.docId, source],
    [target.docId, target],
  ]);
  const remaining = source.manifest.pages.map((p) => p.page).filter((p) => !moving.has(p));
  const targetRefs = [
    ...target.manifest.pages.map((p) => ({ docId: target.docId, page: p.page })),
    ...input.pages.map((page) => ({ docId: source.docId, page })),
  ];
  const newTarget = await writeDerived(deps, sources, targetRefs, {
    operation: 'move',
    base: target,
    memberId: target.status.memberId,
    actor: input.actor,
  });
  const newSource = remaining.length
    ? await writeDerived(
        deps,
        sources,
        remaining.map((page) => ({ docId: source.docId, page })),
        { operation: 'move', base: source, memberId: source.status.memberId, actor: input.actor },
      )
    : null;
  await supersede(deps, target, 'moved', [newTarget.docId], input.actor);
  await supersede(deps, source, 'moved', newSource ? [newSource.docId, newTarget.docId] : [newTarget.docId], input.actor);
  return { source: newSource, target: newTarget };
}

/** A continuation (this document) merged into an existing record: the record's pages, then these. */
export async function mergeInto(
  deps: DeriveDeps,
  input: { docId: string; into: string; actor: string },
): Promise<DerivedDocument> {
  if (input.into === input.docId) throw new DomainError('invalid', 'merge: a document cannot be merged into itself');
  return withSources(deps, [input.docId, input.into], input.actor, async ([continuation, record]) =>
    merge(deps, continuation!, record!, input.actor),
  );
}

async function merge(deps: DeriveDeps, continuation: Source, record: Source, actor: string): Promise<DerivedDocument> {
  const sources = new Map([
    [record.docId, record],
    [continuation.docId, continuation],
  ]);
  const refs = [
    ...record.manifest.pages.map((p) => ({ docId: record.docId, page: p.page })),
    ...continuation.manifest.pages.map((p) => ({ docId: continuation.docId, page: p.page })),
  ];
  const merged = await writeDerived(deps, sources, refs, {
    operation: 'merge',
    base: record,
    memberId: record.status.memberId ?? continuation.status.memberId,
    actor,
  });
  await supersede(deps, record, 'merged', [merged.docId], actor);
  await supersede(deps, continuation, 'merged', [merged.docId], actor);
  return merged;
}

/** Turn a page (a view transform over the stored image; the image and the original are not changed). */
export async function rotatePage(
  deps: { store: ReviewStore; leases: Pick<Leases, 'holder'> },
  input: { docId: string; page: number; rotation: Rotation; actor: string },
): Promise<{ page: number; rotation: Rotation }> {
  const { store } = deps;
  const [status, manifest] = await Promise.all([store.documents.get(input.docId), store.pages.getManifest(input.docId)]);
  if (!status) throw new DomainError('not-found', 'no such document');
  if (!manifest?.pages.some((p) => p.page === input.page)) throw new DomainError('not-found', 'no such page');
  const holder = await deps.leases.holder(input.docId);
  if (holder && holder !== input.actor) throw new DomainError('conflict', `${holder} is working on this record`, { conflict: 'lease', holder });
  if (!canApply(status, 'rotated')) {
    throw new DomainError('conflict', `the document is ${status.stage === 'extracted' ? status.reviewState : status.stage}: its pages cannot change now`, {
      conflict: 'state',
    });
  }
  const next = await store.documents.transition(input.docId, { name: 'rotated', page: input.page, rotation: input.rotation }, input.actor);
  return { page: input.page, rotation: next.rotations?.[String(input.page)] ?? 0 };
}
