// SQLite settings only: these open their own files and need no PostgreSQL, so they run once, in
// the SQLite project.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TEST_DIALECT } from '../../test/test-db.ts';
import { ConfigError } from '../config.ts';
import { checkSqliteSettings, createDb, sqliteSettingsProblems } from './create-db.ts';
import type { Database } from './types.ts';

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'stepwise-settings-'));
  file = path.join(dir, 'stepwise.db');
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Whether another connection can take the write lock right now (no waiting). */
function otherCanTakeWriteLock(): boolean {
  const other = new SQLite(file, { timeout: 0 });
  try {
    other.exec('begin immediate');
    other.exec('rollback');
    return true;
  } catch (err) {
    if ((err as { code?: string }).code === 'SQLITE_BUSY') return false;
    throw err;
  } finally {
    other.close();
  }
}

describe.skipIf(TEST_DIALECT !== 'sqlite')('SQLite settings', () => {
  it('opens with WAL, foreign keys, a 5 s busy timeout and synchronous FULL, read back from the connection', async () => {
    const handle = createDb({ kind: 'sqlite', file });
    try {
      const read = async (name: string): Promise<unknown> =>
        Object.values((await sql.raw<Record<string, unknown>>(`pragma ${name}`).execute(handle.db)).rows[0]!)[0];
      expect(await read('journal_mode')).toBe('wal');
      expect(await read('foreign_keys')).toBe(1);
      expect(await read('busy_timeout')).toBeGreaterThanOrEqual(5000);
      expect(await read('synchronous')).toBe(2);
      expect(await read('secure_delete')).toBe(1);
    } finally {
      await handle.destroy();
    }
  });

  it('refuses a connection without the settings, naming every one that is wrong', () => {
    const raw = new SQLite(file);
    try {
      raw.pragma('journal_mode = DELETE');
      raw.pragma('foreign_keys = OFF');
      raw.pragma('busy_timeout = 100');
      raw.pragma('synchronous = NORMAL');
      raw.pragma('secure_delete = OFF');
      expect(sqliteSettingsProblems(raw, file)).toEqual([
        'journal_mode is delete, needs wal',
        'foreign_keys is off, needs on',
        'busy_timeout is 100 ms, needs at least 5000',
        'synchronous is NORMAL, needs FULL',
        'secure_delete is off, needs on',
      ]);
      expect(() => checkSqliteSettings(raw, file)).toThrow(ConfigError);
      expect(() => checkSqliteSettings(raw, file)).toThrow(/synchronous is NORMAL, needs FULL.*will not start/);
      raw.pragma('journal_mode = WAL');
      raw.pragma('foreign_keys = ON');
      raw.pragma('busy_timeout = 5000');
      raw.pragma('synchronous = FULL');
      raw.pragma('secure_delete = ON');
      expect(() => checkSqliteSettings(raw, file)).not.toThrow();
    } finally {
      raw.close();
    }
  });

  it('takes the write lock when a transaction begins, before it reads or writes anything', async () => {
    const handle = createDb({ kind: 'sqlite', file });
    try {
      const trx = await handle.db.startTransaction().execute();
      expect(otherCanTakeWriteLock()).toBe(false);
      await trx.rollback().execute();
      expect(otherCanTakeWriteLock()).toBe(true);
    } finally {
      await handle.destroy();
    }
  });

  it('(control) Kysely’s own SQLite dialect begins without the lock, which is what the test above rules out', async () => {
    const plain = new Kysely<Database>({ dialect: new SqliteDialect({ database: new SQLite(file) }) });
    try {
      await sql`pragma journal_mode = WAL`.execute(plain);
      const trx = await plain.startTransaction().execute();
      expect(otherCanTakeWriteLock()).toBe(true);
      await trx.rollback().execute();
    } finally {
      await plain.destroy();
    }
  });
});
