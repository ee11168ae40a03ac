import { afterEach, describe, expect, it } from 'vitest';
import { createTestDb, TEST_DIALECT, type TestDb } from '../../test/test-db.ts';
import { migrateDownAll, migrateToLatest } from './migrate.ts';
import { sql } from 'kysely';

let testDb: TestDb | undefined;
afterEach(async () => {
  await testDb?.cleanup();
});

/** The tables in this test's own database (on PostgreSQL other schemas hold other tests' tables). */
async function tableNames(t: TestDb): Promise<string[]> {
  const tables = await t.db.introspection.getTables();
  let schema: string | undefined;
  if (TEST_DIALECT === 'postgres') {
    const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(t.db);
    schema = rows[0]?.schema;
  }
  return tables
    .filter((x) => schema === undefined || x.schema === schema)
    .map((x) => x.name)
    .filter((n) => !n.startsWith('kysely_'))
    .sort();
}

describe(`migrations on ${TEST_DIALECT}`, () => {
  it('migrate up creates every table, down removes them all, and up again works', async () => {
    testDb = await createTestDb({ migrate: false, ownDatabase: true });
    const applied = await migrateToLatest(testDb.db);
    expect(applied.length).toBeGreaterThan(0);
    expect(await tableNames(testDb)).toEqual(
      expect.arrayContaining(['api_tokens', 'audit_events', 'audit_head', 'sessions', 'settings', 'sites', 'teams', 'users']),
    );
    expect(await migrateToLatest(testDb.db)).toEqual([]);
    const reverted = await migrateDownAll(testDb.db);
    expect(reverted.sort()).toEqual(applied.sort());
    expect(await tableNames(testDb)).toEqual([]);
    expect(await migrateToLatest(testDb.db)).toEqual(applied);
  });

  it('enforces the foreign key from users to teams', async () => {
    testDb = await createTestDb();
    const now = new Date().toISOString();
    await expect(
      testDb.db
        .insertInto('users')
        .values({
          id: 'u1',
          email: 'x@example.org',
          name: 'X',
          role: 'admin',
          team_id: 'no-such-team',
          active: 1,
          password_hash: 'x',
          totp_secret: null,
          totp_enabled: 0,
          last_sign_in_at: null,
          created_at: now,
          updated_at: now,
          version: 1,
        })
        .execute(),
    ).rejects.toThrow();
  });

  it('runs SQLite in WAL mode with foreign keys on', async () => {
    testDb = await createTestDb();
    if (TEST_DIALECT !== 'sqlite') return;
    const { rows } = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(testDb.db);
    expect(rows[0]?.journal_mode).toBe('wal');
    const fk = await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(testDb.db);
    expect(fk.rows[0]?.foreign_keys).toBe(1);
  });
});
