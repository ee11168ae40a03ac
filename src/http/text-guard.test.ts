import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTokenUser } from '../../test/factories.ts';
import { type ErrorBody, type TestApp, createTestApp, signedInAs } from '../../test/test-app.ts';

// A NUL character cannot be stored in PostgreSQL text: it is refused with a 400 (404 in a path),
// never a 500, on both databases.

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('text holding a NUL character', () => {
  it('is refused by the API with 400 naming the field, and nothing is stored', async () => {
    const { token } = await makeTokenUser(t.db, t.deps, 'manager');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/employers',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ name: 'Acme\u0000 Ltd', type: 'external' }),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json<ErrorBody>().error.fields).toEqual({ name: expect.stringContaining('NUL') as string });
    const count = await t.db
      .selectFrom('employers')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
    const query = await t.app.inject({
      method: 'GET',
      url: '/api/v1/employers?q=a%00b',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(query.statusCode).toBe(400);
    const path = await t.app.inject({
      method: 'GET',
      url: '/api/v1/employers/a%00b',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(path.statusCode).toBe(404);
  });

  it('is refused by a form with 400, and nothing is stored', async () => {
    const { browser } = await signedInAs(t, 'manager');
    const form = await browser.get('/employers/new');
    expect(form.statusCode).toBe(200);
    const res = await browser.post('/employers', { name: 'Acme\u0000 Ltd', type: 'external' });
    expect(res.statusCode).toBe(400);
    const count = await t.db
      .selectFrom('employers')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
  });
});
