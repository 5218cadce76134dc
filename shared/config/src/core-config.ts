import path from 'node:path';
import { z } from 'zod';
import { envBool, envInt, envOptional, parseEnv } from './env.ts';

/**
 * The settings every process shares. Each service adds its own section (see
 * imap.ts, review.ts) so that one schema documents every variable.
 */
export const CoreEnv = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Log lines: 'json' (one object a line), 'pretty' (pino-pretty), 'auto': pretty on a terminal outside production, else JSON. */
  LOG_FORMAT: z.enum(['auto', 'json', 'pretty']).default('auto'),
  /** Where the embedded default keeps its state (S3 folder, Redis data, fax archive). */
  INTAKE_DATA_DIR: z.string().default('.data'),

  REDIS_URL: z.string().default('redis://127.0.0.1:6379'),
  /** Start a redis-server child process when nothing answers at REDIS_URL (embedded default, tests). */
  INTAKE_REDIS_AUTOSTART: envBool(true),
  /** Redis key prefix for the BullMQ queues, so several deployments (or tests) can share one Redis. */
  INTAKE_QUEUE_PREFIX: z.string().regex(/^[a-zA-Z0-9_-]+$/).default('intake'),

  /** Unset: run the embedded S3-compatible server on a local folder. */
  S3_ENDPOINT: envOptional(),
  S3_BUCKET: z.string().default('intake-review'),
  S3_REGION: z.string().default('us-east-1'),
  S3_FORCE_PATH_STYLE: envBool(true),
  /** Server-side encryption requested on every write. */
  S3_SSE: z.enum(['AES256', 'aws:kms']).default('AES256'),
  S3_KMS_KEY_ID: envOptional(),
  /** Port for the embedded S3 server (0 picks a free one). */
  INTAKE_S3_PORT: envInt(0, 0, 65535),

  /** The review index's PostgreSQL (postgres://…). Unset: PGlite, in-process, under INTAKE_DATA_DIR/index. */
  DATABASE_URL: envOptional(),

  INTAKE_MAX_PAGES: envInt(300, 1),
  INTAKE_MAX_PIXELS_PER_PAGE: envInt(60_000_000, 1_000_000),
  INTAKE_MAX_FILE_BYTES: envInt(100 * 1024 * 1024, 1024),
  INTAKE_OCR_WORKERS: envInt(0, 0, 64),
  /** OCR engine of the CLI and the workers alike: Debian's tesseract CLI, tesseract.js, or 'auto' (native when installed). */
  INTAKE_OCR_ENGINE: z.enum(['auto', 'native', 'tesseract.js']).default('auto'),
  INTAKE_OCR_PAGE_TIMEOUT_MS: envInt(120_000, 1000),
  INTAKE_OCR_CONCURRENCY: envInt(2, 1, 64),
  INTAKE_EXTRACT_CONCURRENCY: envInt(4, 1, 64),

  FAX_DROP_DIR: z.string().default('samples'),
  /** Where taken files are moved; unset: leave them in place (dedup by content keeps it idempotent). */
  FAX_ARCHIVE_DIR: envOptional(),
  FAX_POLL_MS: envInt(1000, 50),
  /** File endings the fax drop takes, comma-separated, or `*` for every file; unset: document types. */
  FAX_DROP_EXTENSIONS: envOptional().transform((v) =>
    v === undefined ? undefined : v.split(',').map((e) => e.trim().toLowerCase().replace(/^\./, '')).filter(Boolean),
  ),
  /** An S3 prefix a cloud fax gateway writes into (e.g. `fax-inbox/`); unset: no S3 drop. */
  FAX_DROP_S3_PREFIX: envOptional(),
  /** The bucket of FAX_DROP_S3_PREFIX; unset: S3_BUCKET. */
  FAX_DROP_S3_BUCKET: envOptional(),
  /** Where taken objects are moved (copy, then delete); must not be under FAX_DROP_S3_PREFIX. */
  FAX_ARCHIVE_S3_PREFIX: z.string().default('fax-archive/'),
  /** Gateway metadata field names per sender hint, e.g. `faxFrom=CallerNumber|ANI;faxStation=CSID` (see services/fax-drop/README.md). */
  FAX_SIDECAR_FIELDS: envOptional(),
});
export type CoreConfig = z.infer<typeof CoreEnv>;

/**
 * The AWS SDK prints a NodeVersionSupportWarning at every start on Node 20 (its releases after
 * January 2027 need Node 22). We support both (package.json engines), so this one notice is
 * turned off through the SDK's own switch; every other warning still prints. Called by
 * loadCoreConfig, which every entry point runs before it makes an S3 client.
 */
export function quietAwsSdkNodeVersionNotice(env: NodeJS.ProcessEnv = process.env): void {
  env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
}

export function loadCoreConfig(env: NodeJS.ProcessEnv = process.env): CoreConfig {
  quietAwsSdkNodeVersionNotice(); // the SDK reads process.env
  return parseEnv(CoreEnv, env);
}

export function dataPath(config: Pick<CoreConfig, 'INTAKE_DATA_DIR'>, ...parts: string[]): string {
  return path.resolve(config.INTAKE_DATA_DIR, ...parts);
}
