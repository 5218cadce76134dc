import { readdir, readFile } from 'node:fs/promises';
import type { Sql } from './sql.ts';

const MIGRATIONS_DIR = new URL('./migrations/', import.meta.url);

/** The migrations in the repository, in order: `NNN_name.sql`. */
export async function listMigrations(): Promise<{ version: number; name: string; sql: string }[]> {
  const files = (await readdir(MIGRATIONS_DIR)).filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f)).sort();
  return Promise.all(
    files.map(async (file) => ({
      version: Number(file.slice(0, 3)),
      name: file.slice(4, -4),
      sql: await readFile(new URL(file, MIGRATIONS_DIR), 'utf8'),
    })),
  );
}

/**
 * Apply the migrations not yet applied, each in its own transaction, under an advisory
 * lock so two processes starting together do not both run one. Returns the versions applied.
 */
export async function migrate(sql: Sql): Promise<number[]> {
  const migrations = await listMigrations();
  return sql.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(7316001)`);
    await tx.exec(
      `CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const done = new Set((await tx.query<{ version: number }>(`SELECT version FROM schema_migrations`)).map((r) => r.version));
    const applied: number[] = [];
    for (const m of migrations) {
      if (done.has(m.version)) continue;
      await tx.exec(m.sql);
      await tx.query(`INSERT INTO schema_migrations (version, name) VALUES ($1, $2)`, [m.version, m.name]);
      applied.push(m.version);
    }
    return applied;
  });
}
