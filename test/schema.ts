// Reading the live schema (not the declarations) for tests that must cover every table holding a
// person's data: subject access (src/subject-access/coverage.test.ts) and erasure
// (src/erasure/erasure.test.ts).
import { sql } from 'kysely';
import { fixedClock } from '../src/clock.ts';
import type { Db } from '../src/db/types.ts';
import { createDeps, type Deps } from '../src/deps.ts';
import { TEST_SECRET } from './test-app.ts';
import { TEST_DIALECT, type TestDb, createTestDb } from './test-db.ts';

export interface ForeignKey {
  table: string;
  column: string;
  references: string;
}

export async function foreignKeys(db: Db): Promise<ForeignKey[]> {
  if (TEST_DIALECT === 'sqlite') {
    const { rows } = await sql<ForeignKey>`
      select m.name as "table", f."from" as "column", f."table" as "references"
      from sqlite_master m join pragma_foreign_key_list(m.name) f
      where m.type = 'table'
    `.execute(db);
    return rows;
  }
  const { rows } = await sql<ForeignKey>`
    select kcu.table_name as "table", kcu.column_name as "column", ccu.table_name as "references"
    from information_schema.table_constraints tc
    join information_schema.key_column_usage kcu
      on kcu.constraint_schema = tc.constraint_schema and kcu.constraint_name = tc.constraint_name
    join information_schema.constraint_column_usage ccu
      on ccu.constraint_schema = tc.constraint_schema and ccu.constraint_name = tc.constraint_name
    where tc.constraint_type = 'FOREIGN KEY' and tc.table_schema = current_schema()
  `.execute(db);
  return rows;
}

/** Tables with a column named participant_id, foreign key or not. */
export async function tablesWithParticipantId(db: Db): Promise<string[]> {
  if (TEST_DIALECT === 'sqlite') {
    const { rows } = await sql<{ table: string }>`
      select m.name as "table" from sqlite_master m join pragma_table_info(m.name) c
      where m.type = 'table' and c.name = 'participant_id'
    `.execute(db);
    return rows.map((r) => r.table);
  }
  const { rows } = await sql<{ table: string }>`
    select table_name as "table" from information_schema.columns
    where table_schema = current_schema() and column_name = 'participant_id'
  `.execute(db);
  return rows.map((r) => r.table);
}

/**
 * Every table that must be covered or excluded: those with a participant_id column or a foreign
 * key to participants, then, until nothing changes, those with a foreign key to any of them.
 */
export function tablesHoldingPersonData(fks: readonly ForeignKey[], withColumn: readonly string[]): Set<string> {
  const found = new Set<string>(['participants', ...withColumn]);
  for (let grew = true; grew;) {
    grew = false;
    for (const fk of fks)
      if (found.has(fk.references) && !found.has(fk.table)) {
        found.add(fk.table);
        grew = true;
      }
  }
  return found;
}

/** A fresh database with its schema read: the foreign keys and the tables with a participant_id. */
export interface SchemaBed {
  testDb: TestDb;
  deps: Deps;
  fks: ForeignKey[];
  withColumn: string[];
}

export async function openSchemaBed(): Promise<SchemaBed> {
  const testDb = await createTestDb();
  const deps = createDeps({
    secret: TEST_SECRET,
    clock: fixedClock(new Date()),
    sessionIdleMinutes: 30,
    sessionAbsoluteHours: 12,
  });
  return { testDb, deps, fks: await foreignKeys(testDb.db), withColumn: await tablesWithParticipantId(testDb.db) };
}
