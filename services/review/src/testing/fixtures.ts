import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createLogger, loadReviewConfig, type Logger, type ReviewConfig } from '@intake/config';
import { sha256Hex, type ExtractionResult, type Item, type MemberHints } from '@intake/core';
import { createRedis, ensureRedis, type RedisHandle } from '@intake/queue';
import { openReviewStore, type OpenedStore, type ReviewStore } from '@intake/storage';
import type { Redis } from 'ioredis';
import sharp from 'sharp';
import { LocalAccounts } from '../auth/users.ts';
import { startReviewServer } from '../server.ts';

/** Synthetic test data only: invented names, dates and numbers. */

const RUN = randomBytes(8).toString('hex');

export const PAGE_W = 1275;
export const PAGE_H = 1650;

/** A letter-size page image (150 dpi) with the given lines drawn at the given boxes. */
export async function renderPage(
  lines: { text: string; bbox: [number, number, number, number] }[],
  pageNo: number,
): Promise<Buffer> {
  const esc = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${PAGE_W}" height="${PAGE_H}">
  <rect width="100%" height="100%" fill="#fff"/>
  <text x="100" y="120" font-family="DejaVu Sans, sans-serif" font-size="40" fill="#000">Riverside Family Clinic — page ${pageNo}</text>
  ${lines.map((l) => `<text x="${l.bbox[0]}" y="${l.bbox[3] - 8}" font-family="DejaVu Sans, sans-serif" font-size="${Math.round((l.bbox[3] - l.bbox[1]) * 0.75)}" fill="#111">${esc(l.text)}</text>`).join('\n  ')}
</svg>`;
  return sharp(Buffer.from(svg)).png({ compressionLevel: 6, palette: true }).toBuffer();
}

export interface SeedOptions {
  /** Distinguishes documents: the original bytes include it. */
  tag: string;
  pages?: number;
  channel?: 'fax' | 'email';
  receivedAt?: string;
  patient?: ExtractionResult['patient'];
  hints?: MemberHints;
  items?: Item[];
  /** Left as received (waiting to be read: no pages, no extraction). */
  stage?: 'received';
  /** Quarantined on arrival (by the store's one quarantine path) instead of read and extracted. */
  quarantine?: { stage: 'intake' | 'read' | 'extract'; code: string; reason: string; attempts?: number };
}

export function sampleItems(): Item[] {
  return [
    {
      kind: 'medication',
      name: 'lisinopril',
      display: 'Lisinopril 10 mg tablet',
      strength: '10 mg',
      dose: '1 tablet',
      route: 'oral',
      frequency: 'daily',
      date: '2019-03-01',
      status: 'active',
      codes: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '314076' }],
      negated: false,
      confidence: 0.93,
      evidence: { page: 1, text: 'Lisinopril 10 mg tab PO daily', bbox: [100, 300, 900, 340] },
    },
    {
      kind: 'medication',
      name: 'metformin',
      display: 'Metformin 500 mg tablet',
      strength: '500 mg',
      frequency: 'twice daily',
      status: 'active',
      codes: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '861007' }],
      negated: false,
      confidence: 0.71,
      evidence: { page: 1, text: 'Metformin 500 mg BID', bbox: [100, 360, 800, 400] },
    },
    {
      kind: 'allergy',
      substance: 'penicillin',
      display: 'Penicillin — hives',
      reaction: 'hives',
      severity: 'moderate',
      codes: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '7980' }],
      negated: false,
      confidence: 0.9,
      evidence: { page: 1, text: 'Allergies: penicillin (hives)', bbox: [100, 460, 900, 500] },
    },
    {
      kind: 'immunization',
      vaccine: 'influenza',
      display: 'Influenza vaccine',
      date: '2025-10-02',
      lot: 'FLU123',
      codes: [{ system: 'http://hl7.org/fhir/sid/cvx', code: '158' }],
      negated: false,
      confidence: 0.88,
      evidence: { page: 1, text: 'Flu shot 10/02/2025 lot FLU123', bbox: [100, 560, 1000, 600] },
    },
    {
      kind: 'screening',
      type: 'colonoscopy',
      display: 'Colonoscopy',
      date: '2021-06',
      result: 'normal',
      codes: [],
      negated: false,
      confidence: 0.8,
      evidence: { page: 2, text: 'Colonoscopy 06/2021 normal', bbox: [100, 300, 900, 340] },
    },
    {
      kind: 'screening',
      type: 'psa',
      display: 'PSA',
      date: '2024-01-15',
      result: '1.2 ng/mL',
      codes: [{ system: 'http://loinc.org', code: '2857-1' }],
      negated: false,
      confidence: 0.8,
      evidence: { page: 2, text: 'PSA 1.2 ng/mL (01/15/2024)', bbox: [100, 360, 900, 400] },
    },
    {
      kind: 'condition',
      name: 'essential hypertension',
      display: 'Hypertension',
      onset: '2018',
      status: 'active',
      codes: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'I10' }],
      negated: false,
      confidence: 0.95,
      evidence: { page: 2, text: 'HTN since 2018', bbox: [100, 460, 700, 500] },
    },
    {
      kind: 'surgery',
      name: 'appendectomy',
      display: 'Appendectomy',
      date: '2005',
      codes: [],
      negated: false,
      confidence: 0.85,
      evidence: { page: 2, text: 'Appendectomy 2005', bbox: [100, 560, 700, 600] },
    },
    {
      kind: 'provider',
      name: 'Dana Whitfield',
      display: 'Dana Whitfield, MD',
      organization: 'Riverside Family Clinic',
      phone: '555-0100',
      fax: '555-0101',
      role: 'primary care',
      codes: [{ system: 'http://hl7.org/fhir/sid/us-npi', code: '1234567893' }],
      negated: false,
      confidence: 0.9,
      evidence: { page: 1, text: 'Dana Whitfield, MD', bbox: [100, 180, 700, 220] },
    },
  ];
}

/** Seed one extracted document straight into the store (no OCR pipeline). */
export async function seedDocument(store: ReviewStore, options: SeedOptions): Promise<string> {
  const pages = options.pages ?? 2;
  // A per-run nonce: Redis may be shared between runs, so leases from an earlier run must not collide.
  const bytes = Buffer.from(`%PDF-1.4 synthetic test document ${options.tag} ${RUN}`);
  const docId = sha256Hex(bytes);
  const channel = options.channel ?? 'fax';
  const receivedAt = options.receivedAt ?? new Date().toISOString();
  await store.originals.put(docId, bytes, 'application/pdf');
  await store.arrivals.record({
    docId,
    channel,
    fileName: `${options.tag}.pdf`,
    receivedAt,
    size: bytes.length,
    hints: options.hints ?? {},
    declaredType: 'application/pdf',
  });
  await store.documents.transition(docId, { name: 'received', channel, receivedAt, sender: options.hints?.senderAddress });
  if (options.quarantine) {
    await store.quarantineDocument({ docId, ...options.quarantine });
    return docId;
  }
  if (options.stage === 'received') return docId;
  const items = options.items ?? sampleItems();
  const manifestPages = [];
  // One image per distinct layout, reused: a 100-page fixture need not render 100 PNGs.
  const imageCache = new Map<string, Buffer>();
  for (let page = 1; page <= pages; page++) {
    const lines = items
      .filter((i) => i.evidence?.page === page && i.evidence.bbox)
      .map((i) => ({ text: i.evidence!.text, bbox: i.evidence!.bbox! }));
    const key = `${page <= 2 ? page : 'blank'}`;
    let image = imageCache.get(key);
    if (!image) {
      image = await renderPage(lines, page);
      imageCache.set(key, image);
    }
    await store.pages.putImage(docId, page, image, 'image/png');
    await store.pages.putPage(docId, {
      page,
      method: 'ocr',
      text: lines.map((l) => l.text).join('\n'),
      lines: lines.map((l) => ({ text: l.text, bbox: l.bbox, confidence: 0.9, words: [] })),
      width: PAGE_W,
      height: PAGE_H,
      rotation: 0,
      confidence: 0.9,
    });
    manifestPages.push({ page, method: 'ocr', confidence: 0.9, image: 'png' as const, width: PAGE_W, height: PAGE_H });
  }
  await store.pages.putManifest({
    docId,
    mediaType: 'application/pdf',
    pages: manifestPages,
    readAt: new Date().toISOString(),
    ms: 1,
  });
  const extraction: ExtractionResult = {
    source: { file: `${options.tag}.pdf`, sha256: docId, mediaType: 'application/pdf', pages, channel },
    patient: options.patient ?? { name: 'Alice Newman', birthDate: '1970-05-01', mrn: '12345678' },
    items,
  };
  await store.extractions.put(docId, extraction);
  const itemCounts: Record<string, number> = {};
  for (const i of items) itemCounts[i.kind] = (itemCounts[i.kind] ?? 0) + 1;
  await store.documents.transition(docId, { name: 'read', mediaType: 'application/pdf', pages });
  const { name, birthDate, mrn } = extraction.patient;
  await store.documents.transition(docId, { name: 'extracted', itemCounts, patient: { name, birthDate, mrn } });
  return docId;
}

export const ROSTER_CSV = `member_id,first_name,last_name,birth_date,mrn,email,phone
M1001,Alice,Newman,1970-05-01,12345678,alice.newman@example.org,555-0199
M1002,Bob,Okafor,1962-11-23,,bob.okafor@example.org,555-0142
M1003,Carla,Newman,1998-02-14,,carla.newman@example.org,555-0177
`;

export interface TestEnv {
  dir: string;
  config: ReviewConfig;
  opened: OpenedStore;
  store: ReviewStore;
  redisHandle: RedisHandle;
  redis: Redis;
  url: string;
  retried: string[];
  close(): Promise<void>;
}

/** A real review server over the embedded S3 API and a real Redis, with a clerk, a supervisor and an admin. */
export async function startTestEnv(env: Record<string, string> = {}, options: { logger?: Logger } = {}): Promise<TestEnv> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'intake-review-'));
  await writeFile(path.join(dir, 'roster.csv'), ROSTER_CSV, { mode: 0o600 });
  const config = loadReviewConfig({
    NODE_ENV: 'test',
    INTAKE_DATA_DIR: dir,
    S3_BUCKET: 'review-test',
    REVIEW_PORT: '0',
    REVIEW_BOOTSTRAP_ADMIN: 'false',
    MEMBER_ROSTER_CSV: path.join(dir, 'roster.csv'),
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    // Hermetic: this environment's own Redis keys (sessions, leases, sign-in counters), so
    // nothing another run or deployment did on a shared Redis changes an outcome here.
    INTAKE_QUEUE_PREFIX: `rt${randomBytes(6).toString('hex')}`,
    LOG_LEVEL: 'silent',
    ...env,
  });
  const accounts = new LocalAccounts(config.REVIEW_USERS_FILE);
  await accounts.upsert('clerk1', 'clerk', 'clerk1-password-123');
  await accounts.upsert('clerk2', 'clerk', 'clerk2-password-123');
  await accounts.upsert('super1', 'supervisor', 'super1-password-123');
  await accounts.upsert('admin1', 'admin', 'admin1-password-123');
  const redisHandle = await ensureRedis({ url: config.REDIS_URL, autostart: true, dataDir: path.join(dir, 'redis') });
  const redis = createRedis(redisHandle.url);
  const opened = await openReviewStore(config);
  const retried: string[] = [];
  const server = await startReviewServer({
    config,
    store: opened.store,
    redis,
    logger: options.logger ?? createLogger({ level: 'silent' }),
    retryDocument: async (docId, actor) => {
      // The store's own retry (entry marked, `retried` transition); the job it would queue is only recorded.
      await opened.store.retryDocument(docId, actor);
      retried.push(docId);
    },
  });
  return {
    dir,
    config,
    opened,
    store: opened.store,
    redisHandle,
    redis,
    url: server.url,
    retried,
    async close() {
      await server.close();
      await redis.quit();
      await opened.close();
      await redisHandle.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A logger that keeps every line it is given, to prove what the service logs (and what it does not). */
export function recordingLogger(lines: string[]): Logger {
  const log =
    (level: string) =>
    (...args: unknown[]) => {
      lines.push(`${level} ${JSON.stringify(args)}`);
    };
  const logger = {
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    debug: log('debug'),
    trace: log('trace'),
    fatal: log('fatal'),
    level: 'info',
  } as Record<string, unknown>;
  logger.child = () => logger;
  return logger as unknown as Logger;
}

/** What a test reads from an answer: any JSON shape. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON answers
export type Answer = { status: number; body: any; headers: Headers; text: string };

/** A signed-in HTTP client over real HTTP (fetch), carrying the session cookie and the CSRF token. */
export class Clerk {
  constructor(
    readonly base: string,
    readonly cookie: string,
    readonly csrf: string,
  ) {}

  static async login(base: string, username: string, password = `${username}-password-123`): Promise<Clerk> {
    const res = await fetch(`${base}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    if (res.status !== 200) throw new Error(`login ${username}: ${res.status}`);
    const body = (await res.json()) as { csrf: string };
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
    return new Clerk(base, cookie, body.csrf);
  }

  async send(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
    const res = await fetch(`${this.base}${path}`, {
      method,
      redirect: 'manual',
      headers: {
        cookie: this.cookie,
        'x-csrf-token': this.csrf,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON
    }
    return { status: res.status, body: parsed, headers: res.headers, text };
  }
  get(path: string) {
    return this.send('GET', path);
  }
  post(path: string, body: unknown = {}) {
    return this.send('POST', path, body);
  }
}
