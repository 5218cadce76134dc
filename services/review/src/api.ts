import { ReviewState, type ReviewRevision } from '@intake/core';
import { RevisionConflictError, type DocumentStatus } from '@intake/storage';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { Role } from './auth/roles.ts';
import { UserName } from './auth/users.ts';
import { buildCsv } from './csv.ts';
import { buildFhirBundle } from './fhir.ts';
import { checkDocId, HttpError, mapLimit } from './http.ts';
import { compare, contradicts, matchMember, normalize, splitName, type Member } from './members.ts';
import type { ReviewContext } from './server.ts';
import { checkTransition, currentItems, reviewItems, SaveRequest } from './workflow.ts';

const DocParams = z.object({ docId: z.string() });
/** A calendar day in search filters, as the UI's date inputs send it. */
const IsoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const QueueQuery = z.object({
  state: z.union([ReviewState, z.literal('all'), z.literal('quarantined')]).default('all'),
  q: z.string().max(200).optional(),
  member: z.string().max(200).optional(),
  channel: z.string().max(20).optional(),
  from: IsoDay.optional(),
  to: IsoDay.optional(),
  limit: z.coerce.number().int().min(1).max(5000).default(500),
});

/**
 * The queue lists every document's status.json. Reading them all per request is slow
 * past a few hundred documents (one S3 GET each), so the queue is served from a
 * snapshot that is refreshed in the background once it is older than `freshMs`
 * (stale-while-revalidate); only the first request waits. Our own writes go into the
 * snapshot at once, so a clerk sees the state they just saved.
 */
class StatusCache {
  private snapshot?: { at: number; statuses: Map<string, DocumentStatus> };
  private refreshing?: Promise<void>;
  private readonly localWrites = new Map<string, { at: number; status: DocumentStatus }>();
  constructor(
    private readonly ctx: ReviewContext,
    private readonly freshMs = 3000,
  ) {}

  async all(): Promise<DocumentStatus[]> {
    if (!this.snapshot) await this.refresh();
    else if (Date.now() - this.snapshot.at > this.freshMs) {
      this.refresh().catch((error: unknown) =>
        this.ctx.logger.warn({ err: { message: (error as Error).message } }, 'queue refresh failed'),
      );
    }
    return [...this.snapshot!.statuses.values()];
  }

  private refresh(): Promise<void> {
    this.refreshing ??= (async () => {
      const started = Date.now();
      const ids = await this.ctx.store.listDocumentIds();
      const list = await mapLimit(ids, 32, (id) => this.ctx.store.getStatus(id));
      const statuses = new Map<string, DocumentStatus>();
      for (const status of list) if (status) statuses.set(status.docId, status);
      // A save that landed while we were reading wins over what we read before it.
      for (const [id, write] of this.localWrites) {
        if (write.at >= started) statuses.set(id, write.status);
        else this.localWrites.delete(id);
      }
      this.snapshot = { at: started, statuses };
    })().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  put(status: DocumentStatus): void {
    this.snapshot?.statuses.set(status.docId, status);
    this.localWrites.set(status.docId, { at: Date.now(), status });
  }

  private readonly patients = new Map<string, { version: string; terms: string }>();
  /** Searchable patient facts (name, birth date, MRN) of an extracted document, cached until its status changes. */
  async patientTerms(status: DocumentStatus): Promise<string> {
    const version = `${status.stage}@${status.updatedAt}`;
    const hit = this.patients.get(status.docId);
    if (hit && hit.version === version) return hit.terms;
    const patient = status.stage === 'extracted' ? (await this.ctx.store.getExtraction(status.docId))?.patient : undefined;
    const terms = patient
      ? [
          normalize(patient.name ?? ''),
          patient.name ? normalize(splitName(patient.name).last + ' ' + splitName(patient.name).first) : '',
          normalize(patient.birthDate ?? ''),
          normalize(patient.mrn ?? ''),
        ].join('|')
      : '';
    this.patients.set(status.docId, { version, terms });
    return terms;
  }
}

export function registerApi(app: FastifyInstance, ctx: ReviewContext): void {
  const { store, leases, audit } = ctx;
  const statuses = new StatusCache(ctx);
  const who = (request: FastifyRequest) => request.clerk!.username;
  const ip = (request: FastifyRequest) => request.ip;

  async function member(id: string | undefined): Promise<Member | undefined> {
    if (!id) return undefined;
    try {
      return await ctx.members.get(id);
    } catch (error) {
      ctx.logger.warn({ err: { message: (error as Error).message } }, 'member lookup failed');
      return undefined;
    }
  }

  async function latestRevision(docId: string): Promise<ReviewRevision | undefined> {
    const n = await store.latestRevisionNumber(docId);
    return n > 0 ? store.getRevision(docId, n) : undefined;
  }

  // ---- queue ----

  app.get('/api/documents', async (request) => {
    const q = QueueQuery.parse(request.query);
    const all = await statuses.all();
    const text = (q.q ?? q.member ?? '').trim().toLowerCase();
    let memberIds: Set<string> | undefined;
    if (text && ctx.members.kind !== 'none') {
      try {
        memberIds = new Set((await ctx.members.candidates({ text })).map((m) => m.memberId));
      } catch {
        memberIds = undefined;
      }
    }
    const matchesFilters = (s: DocumentStatus) =>
      (!q.channel || s.channel === q.channel) &&
      (!q.from || s.receivedAt.slice(0, 10) >= q.from) &&
      (!q.to || s.receivedAt.slice(0, 10) <= q.to);
    const matchesIds = (s: DocumentStatus) =>
      !text ||
      s.docId.startsWith(text) ||
      (s.memberId ?? '').toLowerCase().includes(text) ||
      Boolean(s.memberId && memberIds?.has(s.memberId));
    const candidates = all.filter(matchesFilters);
    let filtered = candidates.filter(matchesIds);
    // Documents not yet linked to a member: search their own patient name, birth date and MRN.
    if (text && !/^[0-9a-f]{6,64}$/.test(text)) {
      const needle = normalize(text);
      const rest = candidates.filter((s) => !matchesIds(s));
      const terms = await mapLimit(rest, 16, (s) => statuses.patientTerms(s));
      filtered = [...filtered, ...rest.filter((_, i) => needle !== '' && terms[i]!.split('|').some((t) => t.includes(needle)))];
    }
    const counts: Record<string, number> = {
      pending: 0,
      'in-review': 0,
      approved: 0,
      rejected: 0,
      'needs-member-action': 0,
      quarantined: 0,
    };
    for (const s of filtered) {
      if (s.stage === 'quarantined') counts.quarantined!++;
      else counts[s.reviewState] = (counts[s.reviewState] ?? 0) + 1;
    }
    const inState = filtered.filter((s) =>
      q.state === 'all'
        ? true
        : q.state === 'quarantined'
          ? s.stage === 'quarantined'
          : s.stage !== 'quarantined' && s.reviewState === q.state,
    );
    // Oldest first: the queue is worked in arrival order.
    inState.sort((a, b) => a.receivedAt.localeCompare(b.receivedAt) || a.docId.localeCompare(b.docId));
    const page = inState.slice(0, q.limit);
    const holders = await leases.holders(page.map((s) => s.docId));
    // A search (by name, birth date, MRN or member) shows whose records matched: the audit names them.
    await audit.record(who(request), 'queue.view', {
      ip: ip(request),
      detail: {
        state: q.state,
        results: inState.length,
        ...(text ? { searched: true, docIds: page.slice(0, 200).map((s) => s.docId) } : {}),
      },
    });
    return {
      counts,
      total: inState.length,
      documents: page.map((s, i) => ({
        docId: s.docId,
        stage: s.stage,
        state: s.reviewState,
        channel: s.channel,
        receivedAt: s.receivedAt,
        updatedAt: s.updatedAt,
        pages: s.pages,
        items: Object.values(s.itemCounts ?? {}).reduce((a, b) => a + b, 0),
        memberId: s.memberId,
        latestRevision: s.latestRevision,
        quarantineReason: s.quarantineReason,
        leaseHolder: holders[i] ?? undefined,
      })),
    };
  });

  // ---- one record ----

  app.get('/api/documents/:docId', async (request) => {
    const docId = checkDocId(DocParams.parse(request.params).docId);
    const [status, intake, manifest, extraction, revisions, receipts, holder] = await Promise.all([
      store.getStatus(docId),
      store.getIntake(docId),
      store.getReadManifest(docId),
      store.getExtraction(docId),
      store.listRevisions(docId),
      store.listReceipts(docId),
      leases.holder(docId),
    ]);
    if (!status && !intake) throw new HttpError(404, 'no such document');
    const latest = revisions.at(-1);
    const memberId = latest?.memberId ?? status?.memberId;
    const linked = await member(memberId);
    const patient = extraction?.patient ?? {};
    let candidates: Member[] = [];
    try {
      candidates = await ctx.members.candidates({
        name: patient.name,
        birthDate: patient.birthDate,
        mrn: patient.mrn,
        email: receipts[0]?.hints.senderAddress,
        phone: receipts[0]?.hints.faxFrom,
      });
    } catch (error) {
      ctx.logger.warn({ err: { message: (error as Error).message } }, 'member lookup failed');
    }
    const match = matchMember({ patient, hints: receipts.map((r) => r.hints), candidates, linked, linkedId: memberId });
    await audit.record(who(request), 'record.view', { docId, ip: ip(request) });
    return {
      docId,
      state: latest?.state ?? status?.reviewState ?? 'pending',
      stage: status?.stage ?? 'received',
      quarantineReason: status?.quarantineReason,
      intake: intake && {
        fileName: intake.fileName,
        channel: intake.channel,
        receivedAt: intake.receivedAt,
        size: intake.size,
        declaredType: intake.declaredType,
      },
      receipts: receipts.map((r) => ({ channel: r.channel, receivedAt: r.receivedAt, fileName: r.fileName, hints: r.hints })),
      mediaType: manifest?.mediaType ?? extraction?.source.mediaType,
      pages: (manifest?.pages ?? []).map((p) => ({
        page: p.page,
        width: p.width,
        height: p.height,
        image: Boolean(p.image),
        method: p.method,
        confidence: p.confidence,
      })),
      patient,
      items: currentItems(extraction, latest),
      extracted: Boolean(extraction),
      latestRevision: latest?.revision ?? 0,
      revisions: revisions.map((r) => ({ revision: r.revision, state: r.state, by: r.by, at: r.at, note: r.note })),
      memberId,
      member: linked,
      match,
      directory: ctx.members.kind,
      lease: { holder, ttlMs: leases.ttlMs },
    };
  });

  app.get('/api/documents/:docId/pages/:page/image', async (request, reply) => {
    const params = z.object({ docId: z.string(), page: z.coerce.number().int().min(1).max(100_000) }).parse(request.params);
    const docId = checkDocId(params.docId);
    const manifest = await store.getReadManifest(docId);
    const entry = manifest?.pages.find((p) => p.page === params.page);
    if (!entry?.image) throw new HttpError(404, 'no image for that page');
    const bytes = await store.getPageImage(docId, params.page, entry.image);
    if (!bytes) throw new HttpError(404, 'no image for that page');
    await audit.record(who(request), 'record.page.image', { docId, ip: ip(request), detail: { page: params.page } });
    // PHI: no cache (browser or shared) keeps a copy.
    return reply
      .header('cache-control', 'no-store')
      .type(entry.image === 'png' ? 'image/png' : 'image/jpeg')
      .send(bytes);
  });

  app.get('/api/documents/:docId/pages/:page/text', async (request) => {
    const params = z.object({ docId: z.string(), page: z.coerce.number().int().min(1).max(100_000) }).parse(request.params);
    const docId = checkDocId(params.docId);
    const page = await store.getPage(docId, params.page);
    if (!page) throw new HttpError(404, 'no such page');
    await audit.record(who(request), 'record.page.text', { docId, ip: ip(request), detail: { page: params.page } });
    return page;
  });

  app.get('/api/documents/:docId/original', async (request, reply) => {
    const docId = checkDocId(DocParams.parse(request.params).docId);
    const [bytes, manifest] = await Promise.all([store.getOriginal(docId), store.getReadManifest(docId)]);
    if (!bytes) throw new HttpError(404, 'no original for that document');
    await audit.record(who(request), 'record.original', { docId, ip: ip(request) });
    // The type detected from the bytes, and only types a browser will not run as a page here.
    const safe = ['application/pdf', 'image/tiff', 'image/png', 'image/jpeg', 'image/webp', 'image/heic'];
    return reply
      .type(manifest && safe.includes(manifest.mediaType) ? manifest.mediaType : 'application/octet-stream')
      .header('content-disposition', `attachment; filename="${docId.slice(0, 12)}"`)
      .send(bytes);
  });

  app.get('/api/documents/:docId/revisions/:revision', async (request) => {
    const params = z.object({ docId: z.string(), revision: z.coerce.number().int().min(1) }).parse(request.params);
    const docId = checkDocId(params.docId);
    const revision = await store.getRevision(docId, params.revision);
    if (!revision) throw new HttpError(404, 'no such revision');
    await audit.record(who(request), 'record.revisions', { docId, ip: ip(request), detail: { revision: params.revision } });
    return revision;
  });

  // ---- lease ----

  // The UI renews the lease on a timer: background, so an unattended open record still logs off when idle.
  app.post('/api/documents/:docId/lease', { config: { background: true } }, async (request, reply) => {
    const docId = checkDocId(DocParams.parse(request.params).docId);
    const result = await leases.claim(docId, who(request));
    if (!result.ok)
      return reply
        .code(409)
        .send({ error: `${result.holder ?? 'another clerk'} is working on this record`, holder: result.holder });
    return result;
  });

  app.delete('/api/documents/:docId/lease', async (request) => {
    const docId = checkDocId(DocParams.parse(request.params).docId);
    return { released: await leases.release(docId, who(request)) };
  });

  // ---- save a revision ----

  app.post('/api/documents/:docId/revisions', async (request, reply) => {
    const docId = checkDocId(DocParams.parse(request.params).docId);
    const body = SaveRequest.parse(request.body);
    const clerk = request.clerk!;
    if (!(await leases.holds(docId, clerk.username))) {
      const holder = await leases.holder(docId);
      return reply.code(409).send({
        error: holder ? `${holder} holds this record` : 'claim the record first (your claim expired)',
        holder,
        conflict: 'lease',
      });
    }
    const [status, extraction, latest] = await Promise.all([
      store.getStatus(docId),
      store.getExtraction(docId),
      latestRevision(docId),
    ]);
    if (!status) throw new HttpError(404, 'no such document');
    if (status.stage === 'quarantined') throw new HttpError(409, 'the document is quarantined');
    const latestNumber = latest?.revision ?? 0;
    if (body.replaces !== latestNumber) {
      return reply.code(409).send({
        error: `revision ${latestNumber} was saved since you opened the record: reload it`,
        latest: latestNumber,
        conflict: 'revision',
      });
    }
    checkTransition(latest?.state ?? status.reviewState, body.state, clerk.role);
    const items = reviewItems(extraction, body);
    let mismatchConfirmed = false;
    if (body.memberId && body.state === 'approved' && ctx.members.kind !== 'none') {
      const linked = await member(body.memberId);
      if (!linked) throw new HttpError(422, 'the linked member is not in the member roster');
      // Never approve someone else's record silently: a contradiction needs the clerk's explicit confirmation.
      const evidence = compare(extraction?.patient ?? {}, linked);
      if (contradicts(evidence)) {
        if (!body.confirmMismatch) {
          const facts = [
            evidence.name === 'different' && 'name',
            evidence.birthDate === 'different' && 'date of birth',
            evidence.mrn === 'different' && 'MRN',
          ].filter(Boolean);
          return reply.code(409).send({
            error: `member ${linked.memberId} does not match the document's patient (${facts.join(', ')} differ): confirm to approve anyway`,
            conflict: 'member-mismatch',
          });
        }
        mismatchConfirmed = true;
      }
    }
    const revision: ReviewRevision = {
      docId,
      revision: latestNumber + 1,
      replaces: latestNumber,
      state: body.state,
      items,
      memberId: body.memberId,
      by: clerk.username,
      at: new Date().toISOString(),
      note:
        body.note ??
        (mismatchConfirmed ? 'approved although the member does not match the document (confirmed by the clerk)' : undefined),
    };
    try {
      await store.appendRevision(revision);
    } catch (error) {
      if (error instanceof RevisionConflictError) {
        return reply
          .code(409)
          .send({ error: 'another revision was saved first: reload the record', latest: error.latest, conflict: 'revision' });
      }
      throw error;
    }
    const itemCounts: Record<string, number> = {};
    for (const i of items) if (i.decision !== 'rejected') itemCounts[i.item.kind] = (itemCounts[i.item.kind] ?? 0) + 1;
    const next = await store.updateStatus(docId, {
      reviewState: body.state,
      memberId: body.memberId,
      latestRevision: revision.revision,
      itemCounts,
    });
    statuses.put(next);
    const decisions: Record<string, number> = {};
    for (const i of items) decisions[i.decision] = (decisions[i.decision] ?? 0) + 1;
    await audit.record(clerk.username, 'record.save', {
      docId,
      ip: ip(request),
      detail: {
        revision: revision.revision,
        state: body.state,
        decisions,
        ...(mismatchConfirmed ? { memberMismatchConfirmed: true } : {}),
      },
    });
    if (body.state !== 'in-review') await leases.release(docId, clerk.username);
    return { revision: revision.revision, state: revision.state, at: revision.at };
  });

  // ---- export ----

  async function approvedRevision(docId: string, wanted?: number): Promise<ReviewRevision> {
    const revision = wanted ? await store.getRevision(docId, wanted) : await latestRevision(docId);
    if (!revision) throw new HttpError(404, 'no review revision for that document');
    if (revision.state !== 'approved') throw new HttpError(409, 'only an approved record can be exported');
    const latest = wanted ? await store.latestRevisionNumber(docId) : revision.revision;
    if (revision.revision !== latest) {
      throw new HttpError(409, `revision ${revision.revision} was superseded by revision ${latest}: export the current one`);
    }
    return revision;
  }
  const ExportQuery = z.object({ revision: z.coerce.number().int().min(1).optional() });

  app.get('/api/documents/:docId/export/fhir', async (request, reply) => {
    const docId = checkDocId(DocParams.parse(request.params).docId);
    const revision = await approvedRevision(docId, ExportQuery.parse(request.query).revision);
    const [intake, manifest] = await Promise.all([store.getIntake(docId), store.getReadManifest(docId)]);
    const bundle = buildFhirBundle({
      docId,
      revision,
      intake,
      mediaType: manifest?.mediaType,
      member: await member(revision.memberId),
      memberIdSystem: ctx.config.MEMBER_ID_SYSTEM,
    });
    await audit.record(who(request), 'export.fhir', {
      docId,
      ip: ip(request),
      detail: { revision: revision.revision, resources: bundle.entry.length },
    });
    return reply
      .type('application/fhir+json; charset=utf-8')
      .header('content-disposition', `attachment; filename="${docId.slice(0, 12)}-r${revision.revision}.fhir.json"`)
      .send(JSON.stringify(bundle, null, 2));
  });

  app.get('/api/documents/:docId/export/csv', async (request, reply) => {
    const docId = checkDocId(DocParams.parse(request.params).docId);
    const revision = await approvedRevision(docId, ExportQuery.parse(request.query).revision);
    await audit.record(who(request), 'export.csv', { docId, ip: ip(request), detail: { revision: revision.revision } });
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${docId.slice(0, 12)}-r${revision.revision}.csv"`)
      .send(buildCsv(docId, revision));
  });

  // ---- members ----

  app.get('/api/members', async (request) => {
    const q = z.object({ q: z.string().trim().min(1).max(200) }).parse(request.query);
    const found = await ctx.members.candidates({ text: q.q });
    const shown = found.slice(0, 25);
    await audit.record(who(request), 'members.search', {
      ip: ip(request),
      detail: { results: found.length, memberIds: shown.map((m) => m.memberId) },
    });
    return { directory: ctx.members.kind, members: shown };
  });

  // ---- quarantine ----

  app.get('/api/quarantine', async (request) => {
    const q = z.object({ status: z.enum(['open', 'retried', 'closed', 'all']).default('open') }).parse(request.query);
    const records = (await store.listQuarantine()).filter((r) => q.status === 'all' || r.status === q.status);
    records.sort((a, b) => b.at.localeCompare(a.at));
    await audit.record(who(request), 'quarantine.view', { ip: ip(request), detail: { results: records.length } });
    return { records };
  });

  app.post('/api/quarantine/:docId/retry', async (request, reply) => {
    const docId = checkDocId(DocParams.parse(request.params).docId);
    const record = await store.getQuarantine(docId);
    if (!record) throw new HttpError(404, 'no quarantine record for that document');
    if (record.status === 'closed') throw new HttpError(409, 'the quarantine record is closed');
    // Marked before re-queueing: a job that fails again at once writes a fresh open record after this.
    await store.putQuarantine({ ...record, status: 'retried', note: `retried by ${who(request)}` });
    try {
      await ctx.retryDocument(docId);
    } catch (error) {
      await store.putQuarantine(record);
      // RetryNotPossibleError (shared/queue) carries a message written for clerks.
      if ((error as Error).name === 'RetryNotPossibleError') return reply.code(409).send({ error: (error as Error).message });
      throw error;
    }
    await audit.record(who(request), 'quarantine.retry', { docId, ip: ip(request) });
    return { status: 'retried' };
  });

  app.post('/api/quarantine/:docId/close', { config: { role: 'supervisor' } }, async (request) => {
    const docId = checkDocId(DocParams.parse(request.params).docId);
    const body = z.object({ note: z.string().max(500).optional() }).parse(request.body ?? {});
    const record = await store.getQuarantine(docId);
    if (!record) throw new HttpError(404, 'no quarantine record for that document');
    await store.putQuarantine({
      ...record,
      status: 'closed',
      closedBy: who(request),
      closedAt: new Date().toISOString(),
      note: body.note,
    });
    await audit.record(who(request), 'quarantine.close', { docId, ip: ip(request) });
    return { status: 'closed' };
  });

  // ---- audit (supervisor) ----

  app.get('/api/audit', { config: { role: 'supervisor' } }, async (request) => {
    const q = z
      .object({
        actor: z.string().max(64).optional(),
        action: z.string().max(64).optional(),
        docId: z.string().max(64).optional(),
        from: IsoDay.optional(),
        to: IsoDay.optional(),
        limit: z.coerce.number().int().min(1).max(1000).default(200),
      })
      .parse(request.query);
    const events = await audit.search({
      ...q,
      actor: q.actor || undefined,
      action: q.action || undefined,
      docId: q.docId || undefined,
    });
    await audit.record(who(request), 'audit.search', { ip: ip(request), detail: { results: events.length } });
    return { events };
  });

  // ---- local accounts (admin) ----

  app.get('/api/users', { config: { role: 'admin' } }, async () => ({
    users: (await ctx.accounts.list()).map((u) => ({
      username: u.username,
      role: u.role,
      disabled: u.disabled,
      createdAt: u.createdAt,
    })),
  }));

  app.post('/api/users', { config: { role: 'admin' } }, async (request) => {
    const body = z.object({ username: UserName, role: Role, password: z.string().min(12).max(1024) }).parse(request.body);
    await ctx.accounts.upsert(body.username, body.role, body.password);
    // A replaced password ends every session of that account.
    const ended = await ctx.sessions.endAll(body.username);
    await audit.record(who(request), 'user.add', {
      ip: ip(request),
      detail: { username: body.username, role: body.role, sessionsEnded: ended },
    });
    return { username: body.username, role: body.role };
  });

  app.post('/api/users/:username/disable', { config: { role: 'admin' } }, async (request) => {
    const { username } = z.object({ username: UserName }).parse(request.params);
    if (!(await ctx.accounts.setDisabled(username, true))) throw new HttpError(404, 'no such user');
    const ended = await ctx.sessions.endAll(username);
    await audit.record(who(request), 'user.disable', { ip: ip(request), detail: { username, sessionsEnded: ended } });
    return { username, disabled: true };
  });
}
