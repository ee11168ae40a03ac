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
  return (await columnsNamed(db, ['participant_id'])).map((c) => c.slice(0, c.indexOf('.')));
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

/** Each `table.column` that is the first column of an index (a primary key and a unique constraint count). */
export async function indexLeadingColumns(db: Db): Promise<Set<string>> {
  if (TEST_DIALECT === 'sqlite') {
    const { rows } = await sql<{ table: string; column: string }>`
      select m.name as "table", ii.name as "column"
      from sqlite_master m join pragma_index_list(m.name) il join pragma_index_info(il.name) ii
      where m.type = 'table' and ii.seqno = 0
    `.execute(db);
    return new Set(rows.map((r) => `${r.table}.${r.column}`));
  }
  const { rows } = await sql<{ table: string; column: string }>`
    select t.relname as "table", a.attname as "column"
    from pg_index i
    join pg_class t on t.oid = i.indrelid
    join pg_namespace n on n.oid = t.relnamespace
    join pg_attribute a on a.attrelid = t.oid and a.attnum = i.indkey[0]
    where n.nspname = current_schema()
  `.execute(db);
  return new Set(rows.map((r) => `${r.table}.${r.column}`));
}

/** Every `table.column` named `name` in the live schema. */
export async function columnsNamed(db: Db, names: readonly string[]): Promise<string[]> {
  if (TEST_DIALECT === 'sqlite') {
    const { rows } = await sql<{ table: string; column: string }>`
      select m.name as "table", c.name as "column" from sqlite_master m join pragma_table_info(m.name) c
      where m.type = 'table' and c.name in (${sql.join(names)})
    `.execute(db);
    return rows.map((r) => `${r.table}.${r.column}`).sort();
  }
  const { rows } = await sql<{ table: string; column: string }>`
    select table_name as "table", column_name as "column" from information_schema.columns
    where table_schema = current_schema() and column_name in (${sql.join(names)})
  `.execute(db);
  return rows.map((r) => `${r.table}.${r.column}`).sort();
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
