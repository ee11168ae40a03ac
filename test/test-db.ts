import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createDb, type DbHandle } from '../src/db/create-db.ts';
import { migrateToLatest } from '../src/db/migrate.ts';

/** Which database this test run uses: set per Vitest project (see vitest.config.ts). */
export const TEST_DIALECT: 'sqlite' | 'postgres' = process.env.STEPWISE_TEST_DB === 'postgres' ? 'postgres' : 'sqlite';

export interface TestDb extends DbHandle {
  /** A DATABASE_URL naming this same database, for code that reads configuration. */
  url: string;
  /** Removes the database (file or schema) after closing it. */
  cleanup(): Promise<void>;
}

/**
 * A fresh, empty database: a new SQLite file, or a new PostgreSQL schema. `ownDatabase` gives a
 * PostgreSQL test a database of its own, for tests whose DDL must not race other tests' catalog
 * reads (the migration test drops columns and tables).
 */
export async function createTestDb(options: { migrate?: boolean; ownDatabase?: boolean } = {}): Promise<TestDb> {
  const migrate = options.migrate ?? true;
  if (TEST_DIALECT === 'sqlite') {
    const dir = mkdtempSync(path.join(tmpdir(), 'stepwise-test-'));
    const handle = createDb({ kind: 'sqlite', file: path.join(dir, 'test.db') });
    if (migrate) await migrateToLatest(handle.db);
    return {
      ...handle,
      url: `file:${path.join(dir, 'test.db')}`,
      async cleanup() {
        await handle.destroy();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const shared = process.env.TEST_DATABASE_URL;
  if (!shared) throw new Error('STEPWISE_TEST_DB=postgres needs TEST_DATABASE_URL');
  let url = shared;
  let database: string | null = null;
  if (options.ownDatabase) {
    database = `stepwise_test_${randomBytes(6).toString('hex')}`;
    await adminQuery(shared, `create database ${database}`);
    const own = new URL(shared);
    own.pathname = `/${database}`;
    url = own.toString();
  }
  const schema = `test_${randomBytes(6).toString('hex')}`;
  await adminQuery(url, `create schema ${schema}`);
  const handle = createDb({ kind: 'postgres', url, schema });
  if (migrate) await migrateToLatest(handle.db);
  const scoped = new URL(url);
  scoped.searchParams.set('options', `-c search_path=${schema}`);
  return {
    ...handle,
    url: scoped.toString(),
    async cleanup() {
      await handle.destroy();
      if (database) await adminQuery(shared, `drop database if exists ${database}`);
      else await adminQuery(url, `drop schema if exists ${schema} cascade`);
    },
  };
}

async function adminQuery(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}
