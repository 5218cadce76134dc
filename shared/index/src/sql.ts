import { chmod, mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';

/** Folders 0700, files 0600 (a data folder made by an earlier version, or under a looser umask). */
async function restrictModes(dir: string): Promise<void> {
  await chmod(dir, 0o700);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) await restrictModes(full);
    else if (entry.isFile()) await chmod(full, 0o600);
  }
}

/** The little the index needs from a PostgreSQL driver: PGlite in-process, or `pg` against a server. */
export interface Sql {
  readonly kind: 'pglite' | 'postgres';
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /** Several statements, no parameters (migrations). */
  exec(text: string): Promise<void>;
  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface IndexLocation {
  /** postgres://… : a PostgreSQL server. */
  url?: string;
  /** PGlite's data folder (when no url); undefined: in memory. */
  dataDir?: string;
  /** A schema of its own (tests share one database); created when missing. */
  schema?: string;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export async function openSql(location: IndexLocation): Promise<Sql> {
  if (location.schema !== undefined && !SCHEMA_NAME.test(location.schema)) throw new Error('invalid schema name');
  return location.url ? openPostgres(location.url, location.schema) : openPglite(location.dataDir, location.schema);
}

async function openPglite(dataDir: string | undefined, schema: string | undefined): Promise<Sql> {
  const [{ PGlite }, { fuzzystrmatch }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('@electric-sql/pglite/contrib/fuzzystrmatch'),
  ]);
  if (dataDir) {
    // PGlite creates its files with the process umask and no mode of its own, and they hold
    // patient names: this process creates nothing readable by other users from here on.
    process.umask(process.umask() | 0o077);
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
  }
  // A smaller buffer cache than PostgreSQL's default 128 MB: PGlite's memory is the review process's own.
  const db = await PGlite.create(dataDir, { extensions: { fuzzystrmatch }, postgresqlconf: ['shared_buffers=64MB'] });
  // A new data folder is unpacked with modes of its own: restricted once it is there.
  if (dataDir) await restrictModes(dataDir);
  if (schema) await db.exec(`CREATE SCHEMA IF NOT EXISTS ${schema}; SET search_path TO ${schema}, public;`);
  type Q = { query: (t: string, p?: unknown[]) => Promise<{ rows: unknown[] }>; exec: (t: string) => Promise<unknown> };
  const wrap = (q: Q): Omit<Sql, 'transaction' | 'close'> => ({
    kind: 'pglite',
    async query<T>(text: string, params?: unknown[]) {
      return (await q.query(text, params)).rows as T[];
    },
    async exec(text: string) {
      await q.exec(text);
    },
  });
  const base = wrap(db as unknown as Q);
  const sql: Sql = {
    ...base,
    async transaction<T>(fn: (tx: Sql) => Promise<T>) {
      return db.transaction(async (tx) => {
        const inner = wrap(tx as unknown as Q);
        return fn({ ...inner, transaction: (f) => f(sql), close: async () => {} });
      }) as Promise<T>;
    },
    async close() {
      await db.close();
    },
  };
  return sql;
}

async function openPostgres(url: string, schema: string | undefined): Promise<Sql> {
  const { default: pg } = await import('pg');
  if (schema) {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    } finally {
      await admin.end();
    }
  }
  // The schema is set at connection start-up, so every pooled connection has it.
  const pool = new pg.Pool({ connectionString: url, max: 8, options: schema ? `-c search_path=${schema},public` : undefined });
  // A connection in the pool that the server drops must not take the process down.
  pool.on('error', () => undefined);
  type Client = { query: (t: string, p?: unknown[]) => Promise<{ rows: unknown[] }> };
  const wrap = (c: Client): Omit<Sql, 'transaction' | 'close'> => ({
    kind: 'postgres',
    async query<T>(text: string, params?: unknown[]) {
      return (await c.query(text, params)).rows as T[];
    },
    async exec(text: string) {
      await c.query(text);
    },
  });
  const sql: Sql = {
    ...wrap(pool),
    async transaction<T>(fn: (tx: Sql) => Promise<T>) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const out = await fn({ ...wrap(client), transaction: (f) => f(sql), close: async () => {} });
        await client.query('COMMIT');
        return out;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    async close() {
      await pool.end();
    },
  };
  return sql;
}
