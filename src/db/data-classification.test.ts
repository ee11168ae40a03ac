import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, TEST_DIALECT, type TestDb } from '../../test/test-db.ts';

const DOC = new URL('../../docs/data-classification.md', import.meta.url);
const CLASSES = ['personal', 'special category', 'neither'];

interface Documented {
  table: string;
  column: string;
  classification: string;
  line: number;
}

/** The rows of every markdown table in the document whose header is `Table | Column | Classification`. */
function documented(markdown: string): Documented[] {
  const rows: Documented[] = [];
  let inTable = false;
  markdown.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line.startsWith('|')) {
      inTable = false;
      return;
    }
    const cells = line
      .slice(1, line.endsWith('|') ? -1 : undefined)
      .split('|')
      .map((c) => c.trim().replace(/^`|`$/g, ''));
    if (/^table$/i.test(cells[0] ?? '') && /^column$/i.test(cells[1] ?? '')) {
      inTable = true;
      return;
    }
    if (!inTable || cells.every((c) => /^:?-+:?$/.test(c))) return;
    rows.push({ table: cells[0] ?? '', column: cells[1] ?? '', classification: cells[2] ?? '', line: i + 1 });
  });
  return rows;
}

/** Every `table.column` in this test's own database, leaving out Kysely's and the engine's own tables. */
async function actualColumns(t: TestDb): Promise<string[]> {
  if (TEST_DIALECT === 'sqlite') {
    const { rows } = await sql<{ table_name: string; column_name: string }>`
      select m.name as table_name, c.name as column_name
      from sqlite_master m join pragma_table_info(m.name) c
      where m.type = 'table' and m.name not like 'sqlite\_%' escape '\\' and m.name not like 'kysely\_%' escape '\\'
    `.execute(t.db);
    return rows.map((r) => `${r.table_name}.${r.column_name}`);
  }
  const { rows } = await sql<{ table_name: string; column_name: string }>`
    select c.table_name, c.column_name
    from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
    where c.table_schema = current_schema() and t.table_type = 'BASE TABLE' and c.table_name not like 'kysely\_%'
  `.execute(t.db);
  return rows.map((r) => `${r.table_name}.${r.column_name}`);
}

let testDb: TestDb;
beforeAll(async () => {
  testDb = await createTestDb();
});
afterAll(async () => {
  await testDb.cleanup();
});

describe(`data classification (docs/data-classification.md) on ${TEST_DIALECT}`, () => {
  const rows = documented(readFileSync(DOC, 'utf8'));

  it('lists every table and column the migrations create, and none that they do not', async () => {
    const actual = new Set(await actualColumns(testDb));
    const listed = new Set(rows.map((r) => `${r.table}.${r.column}`));
    expect(actual.size).toBeGreaterThan(100);
    const missing = [...actual].filter((c) => !listed.has(c)).sort();
    const gone = [...listed].filter((c) => !actual.has(c)).sort();
    expect({ 'not in the document': missing, 'in the document but not the database': gone }).toEqual({
      'not in the document': [],
      'in the document but not the database': [],
    });
  });

  it('classifies each column once, as personal, special category or neither', () => {
    const bad = rows
      .filter((r) => !CLASSES.includes(r.classification))
      .map((r) => `line ${r.line}: ${r.table}.${r.column} is "${r.classification}"`);
    const counts = new Map<string, number>();
    for (const r of rows) counts.set(`${r.table}.${r.column}`, (counts.get(`${r.table}.${r.column}`) ?? 0) + 1);
    const twice = [...counts].filter(([, n]) => n > 1).map(([c]) => `${c} is listed more than once`);
    expect([...bad, ...twice]).toEqual([]);
  });

  it('marks the health, convictions and benefits the profile and notes hold as special category', () => {
    const classOf = (c: string) => rows.find((r) => `${r.table}.${r.column}` === c)?.classification;
    for (const c of ['profile_versions.data', 'contacts.notes', 'benefit_calculations.household', 'referrals.notes']) {
      expect(classOf(c), c).toBe('special category');
    }
  });
});
