import SQLite from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TEST_DIALECT } from '../../test/test-db.ts';
import { withStatementCache } from './statement-cache.ts';

// SQLite alone: PostgreSQL's driver keeps no statements, so the PostgreSQL pass has nothing to add.
describe.skipIf(TEST_DIALECT !== 'sqlite')('the prepared statement cache for SQLite', () => {
  let sqlite: SQLite.Database;
  beforeEach(() => {
    sqlite = new SQLite(':memory:');
    sqlite.exec('create table t (n integer); insert into t values (1), (2), (3);');
  });
  afterEach(() => {
    if (sqlite.open) sqlite.close();
  });

  it('gives back the statement already prepared for the same SQL, and its answers are right', () => {
    const db = withStatementCache(sqlite);
    const first = db.prepare('select n from t where n > ?');
    const again = db.prepare('select n from t where n > ?');
    expect(again).toBe(first);
    expect(again.all([1])).toEqual([{ n: 2 }, { n: 3 }]);
    expect(db.prepare('select n from t where n < ?')).not.toBe(first);
  });

  it('prepares a fresh statement while the cached one is still being read row by row', () => {
    const db = withStatementCache(sqlite);
    const sql = 'select n from t order by n';
    const streaming = db.prepare(sql).iterate([]);
    expect(streaming.next().value).toEqual({ n: 1 });
    // The same query again, mid-stream: it must run in full, and the stream must carry on.
    expect(db.prepare(sql).all([])).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    expect([...streaming]).toEqual([{ n: 2 }, { n: 3 }]);
  });

  it('keeps only the most recently used statements', () => {
    const db = withStatementCache(sqlite, 2);
    const a = db.prepare('select 1');
    const b = db.prepare('select 2');
    expect(db.prepare('select 1')).toBe(a); // now "select 2" is the least recently used
    db.prepare('select 3');
    expect(db.prepare('select 1')).toBe(a);
    expect(db.prepare('select 2')).not.toBe(b);
  });

  it('closes the database', () => {
    withStatementCache(sqlite).close();
    expect(sqlite.open).toBe(false);
  });
});
