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

/** A fresh, empty database: a new SQLite file, or a new PostgreSQL schema. */
export async function createTestDb(options: { migrate?: boolean } = {}): Promise<TestDb> {
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
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('STEPWISE_TEST_DB=postgres needs TEST_DATABASE_URL');
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
      await adminQuery(url, `drop schema if exists ${schema} cascade`);
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
