import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/test-app.ts';
import { TEST_PASSWORD, makeUser } from '../../test/factories.ts';
import { toCount } from '../db/records.ts';
import { purgeIdempotencyKeys } from '../http/idempotency.ts';
import * as auth from './service.ts';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

const ctx = { actorUserId: null, actorLabel: null, clientAddress: '192.0.2.1', requestId: null };
const count = async (table: 'sessions' | 'sign_in_throttle' | 'idempotency_keys') =>
  toCount(
    (
      await t.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('housekeeping', () => {
  it('removes idle sessions, old throttle records and day-old idempotency keys, and keeps live ones', async () => {
    const user = await makeUser(t.db, t.deps);
    await auth.signIn(t.db, t.deps, ctx, { email: user.email, password: TEST_PASSWORD });
    await expect(auth.signIn(t.db, t.deps, ctx, { email: 'ghost@example.org', password: 'wrong-password-1' })).rejects.toThrow();
    await t.db
      .insertInto('idempotency_keys')
      .values({
        user_id: user.id,
        key: 'k-00000001',
        method: 'POST',
        path: '/x',
        status_code: 201,
        body: '{}',
        created_at: t.clock.now().toISOString(),
      })
      .execute();
    await auth.purgeExpired(t.db, t.deps);
    await purgeIdempotencyKeys(t.db, t.deps);
    expect([await count('sessions'), await count('sign_in_throttle'), await count('idempotency_keys')]).toEqual([1, 2, 1]);

    t.clock.advance(25 * 3_600_000);
    await auth.purgeExpired(t.db, t.deps);
    await purgeIdempotencyKeys(t.db, t.deps);
    expect([await count('sessions'), await count('sign_in_throttle'), await count('idempotency_keys')]).toEqual([0, 0, 0]);
  });
});
