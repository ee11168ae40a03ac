import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TEST_DIALECT, type TestDb, createTestDb } from '../../test/test-db.ts';
import { afterCommit, inRequestTransaction, openRequestTransaction, startAfterCommit } from './request-transaction.ts';

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb({ migrate: false });
  await sql`create table probe (id integer primary key, label varchar(50) not null unique)`.execute(t.db);
});
afterAll(async () => {
  await t.cleanup();
});
beforeEach(async () => {
  await sql`delete from probe`.execute(t.db);
});

const labels = async () =>
  (await sql<{ label: string }>`select label from probe order by id`.execute(t.db)).rows.map((r) => r.label);
const add = (id: number, label: string) => sql`insert into probe (id, label) values (${id}, ${label})`.execute(t.db);

describe(`a request's transaction on ${TEST_DIALECT}`, () => {
  it('keeps nothing of the request until it commits, then keeps all of it', async () => {
    const tx = openRequestTransaction();
    await tx.run(async () => {
      await add(1, 'first');
      await t.db.transaction().execute(async () => add(2, 'second'));
    });
    // Another request (outside the scope) waits on SQLite's one connection, so look from inside.
    expect(await tx.run(labels)).toEqual(['first', 'second']);
    await tx.commit();
    expect(await labels()).toEqual(['first', 'second']);
  });

  it('keeps nothing at all when the request is rolled back, its services’ committed transactions included', async () => {
    const tx = openRequestTransaction();
    await tx.run(async () => {
      await t.db.transaction().execute(async () => add(1, 'made by a service'));
    });
    await tx.rollback();
    expect(await labels()).toEqual([]);
  });

  it('rolls back a failed service transaction alone, keeping the rest of the request', async () => {
    const tx = openRequestTransaction();
    await tx.run(async () => {
      await add(1, 'kept');
      await expect(
        t.db.transaction().execute(async (trx) => {
          await sql`insert into probe (id, label) values (2, 'undone')`.execute(trx);
          throw new Error('the service refuses');
        }),
      ).rejects.toThrow('the service refuses');
      await add(3, 'after');
    });
    await tx.commit();
    expect(await labels()).toEqual(['kept', 'after']);
  });

  it('carries on after a refused statement outside any service transaction (a duplicate key)', async () => {
    const tx = openRequestTransaction();
    await tx.run(async () => {
      await add(1, 'same');
      await expect(add(2, 'same')).rejects.toThrow();
      await add(3, 'other');
    });
    await tx.commit();
    expect(await labels()).toEqual(['same', 'other']);
  });

  it('runs work queued with afterCommit only after the commit, and never after a rollback', async () => {
    const seen: string[][] = [];
    const committed = openRequestTransaction();
    await committed.run(async () => {
      await add(1, 'erased');
      expect(inRequestTransaction()).toBe(true);
      await afterCommit(async () => {
        expect(inRequestTransaction()).toBe(false);
        seen.push(await labels());
      });
      expect(seen).toEqual([]);
    });
    await committed.commit();
    expect(seen).toEqual([['erased']]);

    const rolledBack = openRequestTransaction();
    await rolledBack.run(async () => {
      await add(2, 'never');
      await afterCommit(async () => {
        seen.push(['should not run']);
      });
    });
    await rolledBack.rollback();
    expect(seen).toEqual([['erased']]);
  });

  it('starts background work only once the request has committed, outside its transaction, and never after a rollback', async () => {
    const started: string[] = [];
    const tx = openRequestTransaction();
    let finished: Promise<string[]> | undefined;
    await tx.run(async () => {
      await add(1, 'import row');
      finished = startAfterCommit(async () => {
        started.push(inRequestTransaction() ? 'inside' : 'outside');
        // Its own transactions are real ones, on a connection of their own.
        await t.db.transaction().execute(async (trx) => {
          await sql`insert into probe (id, label) values (2, 'batch')`.execute(trx);
        });
        return labels();
      });
      await new Promise((r) => setTimeout(r, 20));
      expect(started).toEqual([]);
    });
    await tx.commit();
    expect(await finished).toEqual(['import row', 'batch']);
    expect(started).toEqual(['outside']);

    const rolledBack = openRequestTransaction();
    let never: Promise<unknown> | undefined;
    await rolledBack.run(async () => {
      never = startAfterCommit(async () => started.push('should not start'));
    });
    await rolledBack.rollback();
    await expect(never).rejects.toThrow('rolled back');
    expect(started).toEqual(['outside']);
  });

  it('outside a request runs afterCommit work at once and each query on its own', async () => {
    const seen: string[] = [];
    expect(inRequestTransaction()).toBe(false);
    await afterCommit(async () => {
      seen.push('ran');
    });
    expect(seen).toEqual(['ran']);
    await add(1, 'alone');
    expect(await labels()).toEqual(['alone']);
  });

  it('lets other requests through once it has ended, whichever way', async () => {
    for (const end of ['commit', 'rollback'] as const) {
      const tx = openRequestTransaction();
      await tx.run(() => add(1, end));
      await tx[end]();
      expect(tx.open).toBe(false);
      // Would wait for ever on SQLite's one connection if the request had kept it.
      await sql`delete from probe`.execute(t.db);
    }
    expect(await labels()).toEqual([]);
  });
});
