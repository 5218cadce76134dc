import { QuarantineRecord } from '@intake/core';
import { migrate } from './migrate.ts';
import { editDistance, identifierKey, MIN_FUZZY_WORD, nameWords, parseBirthDate, readSearch } from './search-terms.ts';
import { openSql, type IndexLocation, type Sql } from './sql.ts';

/** A document as the index holds it: the fields of its status.json in the store. */
export interface IndexedDocument {
  docId: string;
  stage: string;
  reviewState: string;
  channel: string;
  receivedAt: string;
  updatedAt: string;
  mediaType?: string;
  pages?: number;
  itemCounts?: Record<string, number>;
  memberId?: string;
  latestRevision: number;
  quarantineReason?: string;
  sender?: string;
  documentType?: string;
  documentTypeSuggested?: string;
  /** The clerk who confirmed or changed the type. */
  documentTypeBy?: string;
  patient?: { name?: string; birthDate?: string; mrn?: string };
  /** Its pages name more than one patient. */
  mixedPatients?: boolean;
  /** Made from other documents' pages: which, and which pages. */
  derivedFrom?: { docId: string; pages: number[] }[];
  claimedBy?: string;
  version: number;
}

export interface IndexedAuditEvent {
  at: string;
  actor: string;
  action: string;
  docId?: string;
  detail?: Record<string, unknown>;
  ip?: string;
}

/** The queue's states: the review states, and the two stages that leave the review queue. */
export type QueueState =
  | 'pending'
  | 'in-review'
  | 'approved'
  | 'rejected'
  | 'needs-member-action'
  | 'quarantined'
  | 'closed'
  | 'superseded';
export const QUEUE_STATES: readonly QueueState[] = [
  'pending',
  'in-review',
  'approved',
  'rejected',
  'needs-member-action',
  'quarantined',
  'closed',
  'superseded',
];
/** States that leave the queue: not in 'all'. */
const OUT_OF_QUEUE: readonly QueueState[] = ['closed', 'superseded'];
/** The review states a clerk still works on. */
export const OPEN_QUEUE_STATES: readonly QueueState[] = ['pending', 'in-review', 'needs-member-action'];

export interface QueueQuery {
  /** 'all': every state but closed and superseded; 'open': pending, in review, needs member action. */
  state: QueueState | 'all' | 'open';
  /** A document type id. */
  documentType?: string;
  /** Only documents whose pages name different patients. */
  mixedPatients?: boolean;
  /** Only documents last claimed by this clerk. */
  claimedBy?: string;
  /** Received before this instant (ISO): an age filter ("over 24 h"). */
  receivedBefore?: string;
  /** Keyset cursor: only documents after this one in queue order (received, id). */
  after?: { receivedAt: string; docId: string };
  text?: string;
  /** Member ids a directory found for the text: their documents match too. */
  memberIds?: string[];
  channel?: string;
  /** Received on or after this UTC day (yyyy-mm-dd). */
  from?: string;
  /** Received on or before this UTC day. */
  to?: string;
  limit: number;
}

export interface QueuePage {
  counts: Record<QueueState, number>;
  total: number;
  documents: IndexedDocument[];
}

export interface AuditQuery {
  actor?: string;
  /** A prefix: "record." finds every record action. */
  action?: string;
  docId?: string;
  /** UTC days, inclusive. */
  from?: string;
  to?: string;
  limit: number;
}

export function queueState(doc: Pick<IndexedDocument, 'stage' | 'reviewState'>): QueueState {
  if (doc.stage === 'quarantined' || doc.stage === 'closed' || doc.stage === 'superseded') return doc.stage;
  return doc.reviewState as QueueState;
}

const DOC_COLUMNS = [
  'doc_id',
  'stage',
  'review_state',
  'queue_state',
  'channel',
  'received_at',
  'updated_at',
  'media_type',
  'pages',
  'item_count',
  'item_counts',
  'member_id',
  'member_id_norm',
  'latest_revision',
  'quarantine_reason',
  'sender',
  'document_type',
  'patient_name',
  'name_tokens',
  'birth_date',
  'mrn_norm',
  'claimed_by',
  'version',
  'mixed_patients',
  'document_type_suggested',
  'document_type_by',
  'derived_from',
] as const;
const DOC_TYPES = [
  'text',
  'text',
  'text',
  'text',
  'text',
  'timestamptz',
  'timestamptz',
  'text',
  'int',
  'int',
  'jsonb',
  'text',
  'text',
  'int',
  'text',
  'text',
  'text',
  'text',
  'text[]',
  'text',
  'text',
  'text',
  'int',
  'boolean',
  'text',
  'text',
  'jsonb',
];

function documentValues(doc: IndexedDocument): unknown[] {
  const itemCount = Object.values(doc.itemCounts ?? {}).reduce((a, b) => a + b, 0);
  const birth = doc.patient?.birthDate ? (parseBirthDate(doc.patient.birthDate) ?? doc.patient.birthDate) : null;
  return [
    doc.docId,
    doc.stage,
    doc.reviewState,
    queueState(doc),
    doc.channel,
    doc.receivedAt,
    doc.updatedAt,
    doc.mediaType ?? null,
    doc.pages ?? null,
    itemCount,
    doc.itemCounts ? JSON.stringify(doc.itemCounts) : null,
    doc.memberId ?? null,
    identifierKey(doc.memberId) ?? null,
    doc.latestRevision,
    doc.quarantineReason ?? null,
    doc.sender ?? null,
    doc.documentType ?? null,
    doc.patient?.name ?? null,
    nameWords(doc.patient?.name),
    birth,
    identifierKey(doc.patient?.mrn) ?? null,
    doc.claimedBy ?? null,
    doc.version,
    doc.mixedPatients === true,
    doc.documentTypeSuggested ?? null,
    doc.documentTypeBy ?? null,
    doc.derivedFrom?.length ? JSON.stringify(doc.derivedFrom) : null,
  ];
}

type DocRow = {
  doc_id: string;
  stage: string;
  review_state: string;
  channel: string;
  received_at: Date | string;
  updated_at: Date | string;
  media_type: string | null;
  pages: number | null;
  item_counts: Record<string, number> | string | null;
  member_id: string | null;
  latest_revision: number;
  quarantine_reason: string | null;
  sender: string | null;
  document_type: string | null;
  patient_name: string | null;
  birth_date: string | null;
  claimed_by: string | null;
  version: number;
  mixed_patients: boolean | null;
  document_type_suggested: string | null;
  document_type_by: string | null;
  derived_from: { docId: string; pages: number[] }[] | string | null;
};

/** What a queue page shows (not the search columns): less to read and convert per row. */
const PAGE_COLUMNS =
  'doc_id, stage, review_state, channel, received_at, updated_at, media_type, pages, item_counts, member_id, latest_revision, quarantine_reason, sender, document_type, patient_name, birth_date, claimed_by, version, mixed_patients, document_type_suggested, document_type_by, derived_from';

const iso = (v: Date | string) => (v instanceof Date ? v.toISOString() : new Date(v).toISOString());
const json = <T>(v: T | string | null): T | undefined =>
  v === null ? undefined : typeof v === 'string' ? (JSON.parse(v) as T) : v;

function fromRow(r: DocRow): IndexedDocument {
  return {
    docId: r.doc_id,
    stage: r.stage,
    reviewState: r.review_state,
    channel: r.channel,
    receivedAt: iso(r.received_at),
    updatedAt: iso(r.updated_at),
    mediaType: r.media_type ?? undefined,
    pages: r.pages ?? undefined,
    itemCounts: json(r.item_counts),
    memberId: r.member_id ?? undefined,
    latestRevision: r.latest_revision,
    quarantineReason: r.quarantine_reason ?? undefined,
    sender: r.sender ?? undefined,
    documentType: r.document_type ?? undefined,
    patient:
      r.patient_name || r.birth_date ? { name: r.patient_name ?? undefined, birthDate: r.birth_date ?? undefined } : undefined,
    claimedBy: r.claimed_by ?? undefined,
    version: r.version,
    mixedPatients: r.mixed_patients ? true : undefined,
    documentTypeSuggested: r.document_type_suggested ?? undefined,
    documentTypeBy: r.document_type_by ?? undefined,
    derivedFrom: json(r.derived_from),
  };
}

const nextDay = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString();

/**
 * The review index in PostgreSQL (PGlite in-process for the embedded default): what the
 * queue, search, counts and audit views read. Derived from the S3 store, written after it
 * and idempotently (a document row only moves to a newer version), so it can always be
 * rebuilt from S3 (`intake reindex`).
 */
export class ReviewIndex {
  private constructor(readonly sql: Sql) {}

  get kind(): Sql['kind'] {
    return this.sql.kind;
  }

  /** Open the index and bring its schema up to date. */
  static async open(location: IndexLocation): Promise<ReviewIndex> {
    const sql = await openSql(location);
    try {
      await migrate(sql);
    } catch (error) {
      await sql.close();
      throw error;
    }
    return new ReviewIndex(sql);
  }

  close(): Promise<void> {
    return this.sql.close();
  }

  // ---- writes ----

  /** Insert or update document rows; a row already at a newer version is left alone. */
  async putDocuments(docs: IndexedDocument[]): Promise<void> {
    if (docs.length === 0) return;
    const columns = DOC_COLUMNS.map(() => [] as unknown[]);
    const words = new Set<string>();
    for (const doc of docs) {
      documentValues(doc).forEach((v, i) => columns[i]!.push(v));
      for (const w of nameWords(doc.patient?.name)) words.add(w);
    }
    // text[] per row does not unnest into rows of arrays: name_tokens travels as one text per row, split back here.
    const tokensAt = DOC_COLUMNS.indexOf('name_tokens');
    columns[tokensAt] = (columns[tokensAt] as string[][]).map((t) => t.join(' '));
    const select = DOC_COLUMNS.map((c, i) =>
      c === 'name_tokens' ? `COALESCE(string_to_array(NULLIF(u.c${i}, ''), ' '), '{}')` : `u.c${i}`,
    ).join(', ');
    const unnest = DOC_COLUMNS.map((c, i) => `$${i + 1}::${c === 'name_tokens' ? 'text' : DOC_TYPES[i]}[]`).join(', ');
    const aliases = DOC_COLUMNS.map((_, i) => `c${i}`).join(', ');
    const updates = DOC_COLUMNS.filter((c) => c !== 'doc_id')
      .map((c) => `${c} = EXCLUDED.${c}`)
      .join(', ');
    await this.sql.query(
      `INSERT INTO documents (${DOC_COLUMNS.join(', ')})
       SELECT ${select}
       FROM unnest(${unnest}) AS u(${aliases})
       ON CONFLICT (doc_id) DO UPDATE SET ${updates} WHERE documents.version <= EXCLUDED.version`,
      columns,
    );
    if (words.size) {
      const list = [...words];
      await this.sql.query(
        `INSERT INTO name_words (word, length) SELECT w, length(w) FROM unnest($1::text[]) AS w ON CONFLICT (word) DO NOTHING`,
        [list],
      );
    }
  }

  putDocument(doc: IndexedDocument): Promise<void> {
    return this.putDocuments([doc]);
  }

  async putQuarantine(records: QuarantineRecord[]): Promise<void> {
    if (records.length === 0) return;
    const parsed = records.map((r) => QuarantineRecord.parse(r));
    await this.sql.query(
      `INSERT INTO quarantine (doc_id, stage, code, status, at, channel, record)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::text[], $7::jsonb[])
       ON CONFLICT (doc_id) DO UPDATE SET stage = EXCLUDED.stage, code = EXCLUDED.code, status = EXCLUDED.status,
         at = EXCLUDED.at, channel = EXCLUDED.channel, record = EXCLUDED.record`,
      [
        parsed.map((r) => r.docId),
        parsed.map((r) => r.stage),
        parsed.map((r) => r.code),
        parsed.map((r) => r.status),
        parsed.map((r) => r.at),
        parsed.map((r) => r.channel ?? null),
        parsed.map((r) => JSON.stringify(r)),
      ],
    );
  }

  /** Audit events by their store key; a key already there is left alone. Returns how many were new. */
  async putAudit(events: { key: string; event: IndexedAuditEvent }[]): Promise<number> {
    if (events.length === 0) return 0;
    const rows = await this.sql.query<{ n: number | string }>(
      `WITH ins AS (
         INSERT INTO audit_events (key, at, actor, action, doc_id, event)
         SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::jsonb[])
         ON CONFLICT (key) DO NOTHING RETURNING 1)
       SELECT count(*) AS n FROM ins`,
      [
        events.map((e) => e.key),
        events.map((e) => e.event.at),
        events.map((e) => e.event.actor),
        events.map((e) => e.event.action),
        events.map((e) => e.event.docId ?? null),
        events.map((e) => JSON.stringify(e.event)),
      ],
    );
    return Number(rows[0]?.n ?? 0);
  }

  async deleteDocuments(docIds: string[]): Promise<void> {
    if (docIds.length) await this.sql.query(`DELETE FROM documents WHERE doc_id = ANY($1::text[])`, [docIds]);
  }

  async deleteQuarantine(docIds: string[]): Promise<void> {
    if (docIds.length) await this.sql.query(`DELETE FROM quarantine WHERE doc_id = ANY($1::text[])`, [docIds]);
  }

  async deleteAudit(keys: string[]): Promise<void> {
    if (keys.length) await this.sql.query(`DELETE FROM audit_events WHERE key = ANY($1::text[])`, [keys]);
  }

  // ---- reads ----

  async getDocument(docId: string): Promise<IndexedDocument | undefined> {
    const rows = await this.sql.query<DocRow>(`SELECT * FROM documents WHERE doc_id = $1`, [docId]);
    return rows[0] ? fromRow(rows[0]) : undefined;
  }

  /** Every document's version (for reindex). */
  async documentVersions(): Promise<Map<string, number>> {
    const rows = await this.sql.query<{ doc_id: string; version: number }>(`SELECT doc_id, version FROM documents`);
    return new Map(rows.map((r) => [r.doc_id, r.version]));
  }

  async quarantineStamps(): Promise<Map<string, string>> {
    const rows = await this.sql.query<{ doc_id: string; record: unknown }>(`SELECT doc_id, record FROM quarantine`);
    return new Map(rows.map((r) => [r.doc_id, typeof r.record === 'string' ? r.record : JSON.stringify(r.record)]));
  }

  /** Audit keys under a day prefix of the store's layout (yyyy/mm/dd), for reindex. */
  async auditKeysBetween(fromKey: string, toKey: string): Promise<Set<string>> {
    const rows = await this.sql.query<{ key: string }>(`SELECT key FROM audit_events WHERE key >= $1 AND key < $2`, [
      fromKey,
      toKey,
    ]);
    return new Set(rows.map((r) => r.key));
  }

  /** Delete audit rows whose store day (`audit/yyyy/mm/dd/`) is not among `days`; returns how many. */
  async deleteAuditOutsideDays(days: string[]): Promise<number> {
    const rows = await this.sql.query<{ n: number | string }>(
      `WITH del AS (DELETE FROM audit_events WHERE NOT (substr(key, 1, 17) = ANY($1::text[])) RETURNING 1) SELECT count(*) AS n FROM del`,
      [days],
    );
    return Number(rows[0]?.n ?? 0);
  }

  async auditCount(): Promise<number> {
    const rows = await this.sql.query<{ n: number | string }>(`SELECT count(*) AS n FROM audit_events`);
    return Number(rows[0]?.n ?? 0);
  }

  /** Name words within one typo of `word` (exact only for short words), and those it begins. */
  private async wordVariants(word: string): Promise<string[]> {
    if (word.length < MIN_FUZZY_WORD) {
      const rows = await this.sql.query<{ word: string }>(
        `SELECT word FROM name_words WHERE word = $1 OR (length(word) > $2 AND word LIKE $3)`,
        [word, word.length, `${word}%`],
      );
      return rows.map((r) => r.word);
    }
    const rows = await this.sql.query<{ word: string }>(
      `SELECT word FROM name_words
        WHERE (length BETWEEN $2 AND $3 AND levenshtein_less_equal(word, $1, 2) <= 2)
           OR word LIKE $4`,
      [word, word.length - 1, word.length + 1, `${word.replace(/[%_\\]/g, '')}%`],
    );
    return rows.map((r) => r.word).filter((w) => w.startsWith(word) || editDistance(w, word, 1) <= 1);
  }

  /** The WHERE clause of a queue query (without the state), with its parameters. */
  private async queueFilter(q: QueueQuery): Promise<{ where: string[]; params: unknown[] } | undefined> {
    const where: string[] = [];
    const params: unknown[] = [];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    if (q.channel) where.push(`channel = ${p(q.channel)}`);
    if (q.documentType) where.push(`document_type = ${p(q.documentType)}`);
    if (q.mixedPatients) where.push(`mixed_patients`);
    if (q.claimedBy) where.push(`claimed_by = ${p(q.claimedBy)}`);
    if (q.receivedBefore) where.push(`received_at < ${p(q.receivedBefore)}::timestamptz`);
    if (q.from) where.push(`received_at >= ${p(`${q.from}T00:00:00Z`)}::timestamptz`);
    if (q.to) where.push(`received_at < ${p(nextDay(q.to))}::timestamptz`);
    const terms = readSearch(q.text);
    const any: string[] = [];
    if (q.memberIds?.length)
      any.push(`member_id_norm = ANY(${p(q.memberIds.map((m) => identifierKey(m)).filter(Boolean))}::text[])`);
    switch (terms.kind) {
      case 'empty':
        break;
      case 'docId':
        any.push(`doc_id LIKE ${p(`${terms.prefix}%`)}`);
        break;
      case 'birthDate':
        any.push(`birth_date = ${p(terms.birthDate)}`);
        break;
      case 'text': {
        if (terms.words.length) {
          const all: string[] = [];
          for (const word of terms.words.slice(0, 6)) {
            const variants = await this.wordVariants(word);
            all.push(variants.length ? `name_tokens && ${p(variants)}::text[]` : 'false');
          }
          any.push(`(${all.join(' AND ')})`);
        }
        break;
      }
    }
    if (terms.kind !== 'empty' && terms.identifier) {
      const id = p(terms.identifier);
      any.push(`mrn_norm = ${id}`, `member_id_norm = ${id}`);
    }
    if (terms.kind !== 'empty') where.push(any.length ? `(${any.join(' OR ')})` : 'false');
    return { where, params };
  }

  /** One page of the queue (oldest first) with the counts per state of everything the filters match. */
  async queue(q: QueueQuery): Promise<QueuePage> {
    const filter = (await this.queueFilter(q))!;
    const base = filter.where.length ? `WHERE ${filter.where.join(' AND ')}` : '';
    // Unfiltered, the counts are kept by a trigger (migration 002); filtered, counted over the match.
    const countRows = await this.sql.query<{ queue_state: QueueState; n: number | string }>(
      filter.where.length
        ? `SELECT queue_state, count(*) AS n FROM documents ${base} GROUP BY queue_state`
        : `SELECT queue_state, n FROM queue_counts`,
      filter.params,
    );
    const counts = Object.fromEntries(QUEUE_STATES.map((s) => [s, 0])) as Record<QueueState, number>;
    for (const r of countRows) counts[r.queue_state] = Number(r.n);
    const params = [...filter.params];
    const where = [...filter.where];
    if (q.state === 'all') {
      params.push(OUT_OF_QUEUE);
      where.push(`NOT (queue_state = ANY($${params.length}::text[]))`);
    } else if (q.state === 'open') {
      params.push(OPEN_QUEUE_STATES);
      where.push(`queue_state = ANY($${params.length}::text[])`);
    } else {
      params.push(q.state);
      where.push(`queue_state = $${params.length}`);
    }
    if (q.after) {
      params.push(q.after.receivedAt, q.after.docId);
      where.push(`(received_at, doc_id) > ($${params.length - 1}::timestamptz, $${params.length})`);
    }
    params.push(q.limit);
    const rows = await this.sql.query<DocRow>(
      `SELECT ${PAGE_COLUMNS} FROM documents WHERE ${where.join(' AND ')} ORDER BY received_at, doc_id LIMIT $${params.length}`,
      params,
    );
    const total =
      q.state === 'all'
        ? QUEUE_STATES.filter((s) => !OUT_OF_QUEUE.includes(s)).reduce((n, s) => n + counts[s], 0)
        : q.state === 'open'
          ? OPEN_QUEUE_STATES.reduce((n, s) => n + counts[s], 0)
          : counts[q.state];
    return { counts, total, documents: rows.map(fromRow) };
  }

  async quarantineList(status: 'open' | 'retried' | 'closed' | 'all', limit = 1000): Promise<QuarantineRecord[]> {
    const rows = await this.sql.query<{ record: unknown }>(
      status === 'all'
        ? `SELECT record FROM quarantine ORDER BY at DESC LIMIT $1`
        : `SELECT record FROM quarantine WHERE status = $2 ORDER BY at DESC LIMIT $1`,
      status === 'all' ? [limit] : [limit, status],
    );
    return rows.map((r) => QuarantineRecord.parse(typeof r.record === 'string' ? JSON.parse(r.record) : r.record));
  }

  /** Audit events, newest first. */
  async auditSearch(q: AuditQuery): Promise<IndexedAuditEvent[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    if (q.actor) where.push(`actor = ${p(q.actor)}`);
    if (q.action) where.push(`action LIKE ${p(`${q.action.replace(/[%_\\]/g, '')}%`)}`);
    if (q.docId) where.push(`doc_id = ${p(q.docId)}`);
    if (q.from) where.push(`at >= ${p(`${q.from}T00:00:00Z`)}::timestamptz`);
    if (q.to) where.push(`at < ${p(nextDay(q.to))}::timestamptz`);
    const rows = await this.sql.query<{ event: unknown }>(
      `SELECT event FROM audit_events ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY at DESC, key DESC LIMIT ${p(q.limit)}`,
      params,
    );
    return rows.map((r) => (typeof r.event === 'string' ? JSON.parse(r.event) : r.event) as IndexedAuditEvent);
  }
}
