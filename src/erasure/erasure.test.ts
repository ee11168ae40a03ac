import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_CONTEXT, verifyChain } from '../audit/service.ts';
import { logContact } from '../contacts/service.ts';
import { copyDatabase } from '../db/backup.ts';
import type { Db } from '../db/types.ts';
import type { Deps } from '../deps.ts';
import { loadDemo } from '../demo/index.ts';
import { isRole } from '../users/roles.ts';
import { type ForeignKey, openSchemaBed, tablesHoldingPersonData } from '../../test/schema.ts';
import { TEST_DIALECT, type TestDb } from '../../test/test-db.ts';
import { KEPT_AFTER_ERASURE, carryOut, erasureOrder, recordRequest } from './service.ts';

// Erasure must reach every table that holds a person's data, and leave nothing readable behind.
// The first part reads the live schema (not the declarations) and fails, naming the table, when a
// table that points at a person, directly or through another table, is neither erased nor kept on
// purpose; and checks the order deletes children before parents. The second loads the demo,
// erases its richest person, and follows the schema's own foreign keys to count what is left of
// them: nothing but the request. On SQLite it then reads the raw bytes of the database file, its
// write-ahead log and a backup made afterwards for their name, NHS number and a note.

/** Not erased and not kept: the tables erasure would miss. */
function missed(needed: Set<string>): string[] {
  const erased = new Set(erasureOrder().map((c) => c.table));
  return [...needed].filter((t) => !erased.has(t) && !(t in KEPT_AFTER_ERASURE)).sort();
}

/**
 * Every row left that belongs to the person, found through the schema alone: rows whose
 * participant_id (or participants' own id) is theirs, then rows pointing at any row found, until
 * nothing new turns up. Table → number of rows.
 */
async function rowsLeftOf(
  db: Db,
  fks: readonly ForeignKey[],
  withColumn: readonly string[],
  pid: string,
): Promise<Record<string, number>> {
  const ids = new Map<string, Set<string>>();
  const counts: Record<string, number> = {};
  const add = (table: string, rows: Record<string, unknown>[]) => {
    if (rows.length === 0) return false;
    const set = ids.get(table) ?? new Set<string>();
    const before = set.size;
    for (const r of rows) set.add(typeof r.id === 'string' ? r.id : JSON.stringify(r));
    ids.set(table, set);
    counts[table] = set.size;
    return set.size > before;
  };
  const where = async (table: string, column: string, values: string[]) =>
    values.length === 0
      ? []
      : (
          await sql<
            Record<string, unknown>
          >`select * from ${sql.table(table)} where ${sql.ref(column)} in (${sql.join(values)})`.execute(db)
        ).rows;
  add('participants', await where('participants', 'id', [pid]));
  for (const t of withColumn) add(t, await where(t, 'participant_id', [pid]));
  for (let grew = true; grew;) {
    grew = false;
    for (const fk of fks) {
      // Another person's record that merely links to this one is not theirs (erasure unlinks it).
      if (fk.table === 'participants') continue;
      const parents = [...(ids.get(fk.references) ?? [])].filter((v) => !v.startsWith('{'));
      if (add(fk.table, await where(fk.table, fk.column, parents))) grew = true;
    }
  }
  return counts;
}

let testDb: TestDb;
let deps: Deps;
let fks: ForeignKey[];
let withColumn: string[];

beforeAll(async () => {
  ({ testDb, deps, fks, withColumn } = await openSchemaBed());
}, 60_000);
afterAll(async () => {
  await testDb?.cleanup();
});

describe(`erasure coverage on ${TEST_DIALECT}`, () => {
  it('erases, or deliberately keeps, every table that points at a person directly or through another table', () => {
    expect(fks.length).toBeGreaterThan(50);
    expect(missed(tablesHoldingPersonData(fks, withColumn)), 'tables holding a person’s data that erasure would leave').toEqual(
      [],
    );
    for (const [t, reason] of Object.entries(KEPT_AFTER_ERASURE)) expect(reason.length, t).toBeGreaterThan(10);
  });

  it('would name a new table that points at a person, or at one of their rows', () => {
    const extra: ForeignKey[] = [
      ...fks,
      { table: 'new_things', column: 'participant_id', references: 'participants' },
      { table: 'new_notes', column: 'contact_id', references: 'contacts' },
    ];
    expect(missed(tablesHoldingPersonData(extra, withColumn))).toEqual(['new_notes', 'new_things']);
  });

  it('deletes every table before the tables it points at, and the person last', () => {
    const order = erasureOrder().map((c) => c.table);
    expect(order.at(-1)).toBe('participants');
    for (const fk of fks) {
      const child = order.indexOf(fk.table);
      const parent = order.indexOf(fk.references);
      if (child >= 0 && parent >= 0 && fk.table !== fk.references)
        expect(child, `${fk.table}.${fk.column} points at ${fk.references}, so it must be deleted first`).toBeLessThan(parent);
    }
  });
});

describe(`erasing a demo person on ${TEST_DIALECT}`, () => {
  let pid: string;
  let needles: Record<string, string>;
  let counts: Record<string, number>;
  const dir = mkdtempSync(path.join(tmpdir(), 'stepwise-erasure-'));
  const bytesOf = (f: string) =>
    Buffer.concat([readFileSync(f), existsSync(`${f}-wal`) ? readFileSync(`${f}-wal`) : Buffer.alloc(0)]);
  let before: Buffer | null = null;

  beforeAll(async () => {
    await loadDemo(testDb.db, deps);
    // The demo person with an NHS number and the most contact notes. Demo notes repeat from
    // person to person, so one written only for them is added, as their practitioner would.
    const { rows } = await sql<{ participant_id: string }>`
      select c.participant_id from contacts c join participants p on p.id = c.participant_id
      where p.nhs_number is not null and c.notes is not null
      group by c.participant_id order by count(*) desc, c.participant_id limit 1
    `.execute(testDb.db);
    pid = rows[0]!.participant_id;
    const p = await testDb.db.selectFrom('participants').selectAll().where('id', '=', pid).executeTakeFirstOrThrow();
    if (!p.nhs_number) throw new Error('the demo person needs an NHS number');
    const by = await testDb.db
      .selectFrom('users')
      .select(['id', 'role', 'team_id'])
      .where('id', '=', p.practitioner_id)
      .executeTakeFirstOrThrow();
    if (!isRole(by.role)) throw new Error(`unknown role ${by.role}`);
    const note = 'Worried about the Thursday bus to the garden centre; sister drives on Fridays';
    await logContact(testDb.db, deps, SYSTEM_CONTEXT, { userId: by.id, role: by.role, teamId: by.team_id }, pid, {
      startedAt: deps.clock.now().toISOString(),
      durationMinutes: 30,
      mode: 'face_to_face',
      place: 'community',
      purpose: 'engagement',
      notes: note,
    });
    needles = {
      'NHS number': p.nhs_number,
      'name as stored': `${p.given_name}${p.family_name}`,
      'search name': p.search_name,
      note,
    };
    if (TEST_DIALECT === 'sqlite') before = bytesOf(testDb.url.replace(/^file:/, ''));

    const manager = await testDb.db
      .selectFrom('users')
      .select(['id', 'team_id'])
      .where('role', '=', 'manager')
      .where('team_id', '=', p.team_id)
      .executeTakeFirstOrThrow();
    const viewer = { userId: manager.id, role: 'manager' as const, teamId: manager.team_id };
    const request = await recordRequest(testDb.db, deps, SYSTEM_CONTEXT, viewer, pid, {
      receivedOn: '2026-01-31',
      requestedBy: 'the person',
    });
    expect(request.dueOn).toBe('2026-02-28');
    counts = (await carryOut(testDb.db, deps, SYSTEM_CONTEXT, viewer, request.id)).counts;
  }, 240_000);
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('leaves no row of theirs in any table but the request, and the audit chain still verifies', async () => {
    expect(Object.keys(counts).length).toBeGreaterThan(5);
    expect(counts.contacts).toBeGreaterThan(0);
    expect(await rowsLeftOf(testDb.db, fks, withColumn, pid)).toEqual({ erasure_requests: 1 });
    const verified = await verifyChain(testDb.db, deps.auditKey);
    expect(verified.broken).toBeNull();
    expect(verified.checked).toBeGreaterThan(100);
    const tombstone = await testDb.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'erasure.carried_out')
      .executeTakeFirstOrThrow();
    expect(tombstone.entity_id).toBe(pid);
    for (const value of Object.values(needles)) expect(tombstone.details).not.toContain(value);
    // No audit event anywhere holds their name, NHS number or a note of theirs.
    for (const [what, value] of Object.entries(needles)) {
      const found = await testDb.db.selectFrom('audit_events').select('seq').where('details', 'like', `%${value}%`).execute();
      expect(found, what).toEqual([]);
    }
  });

  describe.skipIf(TEST_DIALECT !== 'sqlite')('in the SQLite files themselves', () => {
    it('leaves no trace of their name, NHS number or a note in the database file, its write-ahead log or a backup made after', async () => {
      const dbFile = testDb.url.replace(/^file:/, '');
      for (const [what, value] of Object.entries(needles)) expect(before!.includes(value), `${what} was there before`).toBe(true);
      const after = bytesOf(dbFile);
      for (const [what, value] of Object.entries(needles))
        expect(after.includes(value), `${what} in the database file or log`).toBe(false);
      // The write-ahead log was emptied after the commit.
      expect(existsSync(`${dbFile}-wal`) ? readFileSync(`${dbFile}-wal`).length : 0).toBe(0);
      const backup = path.join(dir, 'after.db');
      await copyDatabase(dbFile, backup);
      const copied = bytesOf(backup);
      expect(copied.length).toBeGreaterThan(100_000);
      for (const [what, value] of Object.entries(needles)) expect(copied.includes(value), `${what} in the backup`).toBe(false);
    });
  });
});
