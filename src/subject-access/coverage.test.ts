import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_CONTEXT } from '../audit/service.ts';
import type { Deps } from '../deps.ts';
import { loadDemo } from '../demo/index.ts';
import { type ForeignKey, openSchemaBed, tablesHoldingPersonData } from '../../test/schema.ts';
import { TEST_DIALECT, type TestDb } from '../../test/test-db.ts';
import { COVERED_TABLES, EXCLUDED_TABLES, type Row, collectTables, subjectAccessExport } from './service.ts';

// The export must cover every table that holds a person's data. This reads the live schema (not
// the declarations) and fails, naming the table, when a table that points at a person, or at a
// table that does, is neither exported nor left out on purpose with a reason. Then it loads the
// demo and checks, row by row through the schema's own foreign keys, that each person's export
// holds every row that belongs to them and none that belongs to anyone else.

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

describe(`subject access coverage on ${TEST_DIALECT}`, () => {
  it('covers or deliberately excludes every table that points at a person, directly or through a covered table', () => {
    expect(fks.length).toBeGreaterThan(50);
    const covered = new Set(COVERED_TABLES.map((c) => c.table));
    const needed = tablesHoldingPersonData(fks, withColumn);
    const missing = [...needed].filter((t) => !covered.has(t) && !(t in EXCLUDED_TABLES)).sort();
    expect(missing, `tables holding a person's data that the subject access export neither covers nor excludes`).toEqual([]);
    // The check finds what it should: the known child tables are reached through their parents.
    for (const t of [
      'contact_revisions',
      'referral_contact_attempts',
      'match_stage_changes',
      'intern_attendance',
      'atw_claim_lines',
    ])
      expect(needed.has(t)).toBe(true);
  });

  it('would name a new table that points at a person', () => {
    const extra: ForeignKey[] = [...fks, { table: 'new_things', column: 'participant_id', references: 'participants' }];
    const covered = new Set(COVERED_TABLES.map((c) => c.table));
    const needed = tablesHoldingPersonData(extra, withColumn);
    expect([...needed].filter((t) => !covered.has(t) && !(t in EXCLUDED_TABLES))).toEqual(['new_things']);
  });

  it('declares only tables and columns that exist, with every parent declared before its children', () => {
    const tables = new Set(fks.map((f) => f.table));
    const seen = new Set<string>();
    for (const c of COVERED_TABLES) {
      expect(tables.has(c.table) || c.table === 'participants', c.table).toBe(true);
      for (const s of c.sources)
        if (s.kind === 'parent') {
          expect(seen.has(s.parent), `${c.table} is found through ${s.parent}, declared after it`).toBe(true);
          expect(
            fks.some((f) => f.table === c.table && f.column === s.column && f.references === s.parent),
            `${c.table}.${s.column} is a foreign key to ${s.parent}`,
          ).toBe(true);
        } else if (s.column === 'participant_id') expect(withColumn, c.table).toContain(c.table);
      seen.add(c.table);
    }
    for (const [t, reason] of Object.entries(EXCLUDED_TABLES)) expect(reason.length, t).toBeGreaterThan(10);
  });
});

describe(`subject access export of the demo on ${TEST_DIALECT}`, () => {
  let people: string[];
  /** table → row key → the person the row belongs to, worked out from the schema's foreign keys. */
  const owners = new Map<string, Map<string, string>>();
  const rowsOf = new Map<string, Row[]>();
  const keyOf = (r: Row) => JSON.stringify(r);

  beforeAll(async () => {
    await loadDemo(testDb.db, deps);
    people = (await testDb.db.selectFrom('participants').select('id').execute()).map((r) => r.id);
    const idOwner = new Map<string, Map<string, string>>();
    for (const c of COVERED_TABLES) {
      const { rows } = await sql<Row>`select * from ${sql.table(c.table)}`.execute(testDb.db);
      rowsOf.set(c.table, rows);
      const byKey = new Map<string, string>();
      const byId = new Map<string, string>();
      for (const r of rows) {
        let owner: string | undefined;
        if (c.table === 'participants') owner = String(r.id);
        else if (typeof r.participant_id === 'string') owner = r.participant_id;
        else
          for (const fk of fks.filter((f) => f.table === c.table)) {
            const value = r[fk.column];
            owner ??= typeof value === 'string' ? idOwner.get(fk.references)?.get(value) : undefined;
          }
        if (owner === undefined) continue;
        byKey.set(keyOf(r), owner);
        if (typeof r.id === 'string') byId.set(r.id, owner);
      }
      owners.set(c.table, byKey);
      idOwner.set(c.table, byId);
    }
  }, 120_000);

  it('has data in every covered table but those the demo cannot fill, so the check below means something', () => {
    // Each with why the demo service has none; any other empty table fails.
    const emptyInDemo: Record<string, string> = {
      contact_revisions: 'the demo logs contacts but never edits one',
      absences: 'no intern in the demo cohorts has an absence recorded',
      retention_reviews: 'every demo record is dated from today, so none is past its retention period',
    };
    const empty = COVERED_TABLES.filter((c) => (rowsOf.get(c.table) ?? []).length === 0).map((c) => c.table);
    expect(empty.filter((t) => !(t in emptyInDemo))).toEqual([]);
  });

  it('gives each demo person every row of theirs in every covered table, and no one else’s', async () => {
    expect(people.length).toBeGreaterThan(100);
    const exported = new Map<string, Set<string>>(COVERED_TABLES.map((c) => [c.table, new Set<string>()]));
    for (const id of people) {
      const tables = await collectTables(testDb.db, id);
      for (const c of COVERED_TABLES)
        for (const r of tables[c.table] ?? []) {
          const key = keyOf(r);
          const owner = owners.get(c.table)?.get(key);
          if (owner !== id)
            throw new Error(`${c.table} row ${key.slice(0, 120)} belongs to ${String(owner)}, exported for ${id}`);
          exported.get(c.table)!.add(key);
        }
    }
    for (const c of COVERED_TABLES) {
      const mine = [...(owners.get(c.table)?.keys() ?? [])];
      const left = mine.filter((k) => !exported.get(c.table)!.has(k));
      expect(left, `${c.table} rows that belong to a person but were not in their export`).toEqual([]);
      // Every row of a covered table belongs to someone in the demo, except an employer contact
      // made on no one's behalf.
      const nobodys = (rowsOf.get(c.table) ?? []).filter((r) => !owners.get(c.table)?.has(keyOf(r)));
      expect(
        nobodys.every((r) => 'participant_id' in r && r.participant_id === null),
        c.table,
      ).toBe(true);
    }
  }, 120_000);

  it('exports the richest demo person through the service, with their audit trail and the export audited', async () => {
    const { rows } = await sql<{ participant_id: string; n: number }>`
      select participant_id, count(*) as n from contacts group by participant_id order by count(*) desc limit 1
    `.execute(testDb.db);
    const id = rows[0]!.participant_id;
    const p = await testDb.db.selectFrom('participants').select(['team_id']).where('id', '=', id).executeTakeFirstOrThrow();
    const manager = await testDb.db
      .selectFrom('users')
      .select(['id', 'team_id'])
      .where('role', '=', 'manager')
      .where('team_id', '=', p.team_id)
      .executeTakeFirstOrThrow();
    const viewer = { userId: manager.id, role: 'manager' as const, teamId: manager.team_id };
    const data = await subjectAccessExport(testDb.db, deps, SYSTEM_CONTEXT, viewer, id, 'json');
    expect(data.participant.id).toBe(id);
    expect((data.tables.contacts ?? []).length).toBe(Number(rows[0]!.n));
    expect(data.audit.some((e) => e.action === 'participant.created' || e.entity_id === id)).toBe(true);
    // JSON as served: dates stay strings.
    const round = JSON.parse(JSON.stringify(data)) as typeof data;
    expect(typeof round.tables.contacts?.[0]?.started_at).toBe('string');
    const last = await testDb.db.selectFrom('audit_events').selectAll().orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(last).toMatchObject({ action: 'subject_access.exported', entity_type: 'participant', entity_id: id });
    expect(JSON.parse(last.details!)).toMatchObject({ format: 'json' });
  });
});
