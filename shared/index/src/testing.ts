import { randomBytes } from 'node:crypto';
import type { IndexLocation } from './sql.ts';

/** The PostgreSQL the integration tests use (`.ci/run` starts one): its own schema per test run. */
export const TEST_DATABASE_URL = process.env.INTAKE_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A fresh schema name, so concurrent runs sharing the database never see each other's rows. */
export function testSchema(tag: string): string {
  return `t_${tag.replace(/[^a-z0-9]/g, '_').slice(0, 30)}_${randomBytes(4).toString('hex')}`;
}

/** Both index back ends the tests run against: PGlite in memory and PostgreSQL in a schema of their own. */
export function testIndexLocations(tag: string): [name: 'pglite' | 'postgres', location: () => IndexLocation][] {
  return [
    ['pglite', () => ({})],
    ['postgres', () => ({ url: TEST_DATABASE_URL, schema: testSchema(tag) })],
  ];
}

/** Drop a test schema (PostgreSQL only). */
export async function dropTestSchema(location: IndexLocation): Promise<void> {
  if (!location.url || !location.schema) return;
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: location.url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${location.schema} CASCADE`);
  } finally {
    await client.end();
  }
}
