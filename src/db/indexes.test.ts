import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { columnsNamed, indexLeadingColumns } from '../../test/schema.ts';
import { TEST_DIALECT, type TestDb, createTestDb } from '../../test/test-db.ts';

// A person's records are found by the person, their job or their internship. Each such column
// must lead an index, or every page about the person, the subject access export and erasure read
// the whole table (migration 2026_11_28_100000 added the ones that were missing).
const LOOKUP_COLUMNS = ['participant_id', 'placement_id', 'cohort_intern_id'];

let testDb: TestDb;
beforeAll(async () => {
  testDb = await createTestDb();
}, 60_000);
afterAll(async () => {
  await testDb?.cleanup();
});

describe(`indexes on ${TEST_DIALECT}`, () => {
  it('has an index starting with every person, job and internship column', async () => {
    const indexed = await indexLeadingColumns(testDb.db);
    const columns = await columnsNamed(testDb.db, LOOKUP_COLUMNS);
    expect(columns.length).toBeGreaterThan(30);
    expect(indexed.has('support_plans.participant_id')).toBe(true);
    expect(columns.filter((c) => !indexed.has(c))).toEqual([]);
  });
});
