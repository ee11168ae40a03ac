import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, cookiesFrom, type TestApp } from '../../test/test-app.ts';
import { TEST_PASSWORD, makeUser } from '../../test/factories.ts';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
});

async function signInOver(proto: 'http' | 'https') {
  t = await createTestApp({ trustProxy: true });
  const user = await makeUser(t.db, t.deps);
  const headers = { 'x-forwarded-proto': proto };
  const page = await t.app.inject({ method: 'GET', url: '/sign-in', headers });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
  const res = await t.app.inject({
    method: 'POST',
    url: '/sign-in',
    headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
    cookies: cookiesFrom(page),
    payload: new URLSearchParams({ _csrf: csrf, email: user.email, password: TEST_PASSWORD }).toString(),
  });
  expect(res.statusCode).toBe(302);
  return { page, res };
}

describe('cookies', () => {
  it('are Secure, HttpOnly and SameSite=Lax behind HTTPS', async () => {
    const { page, res } = await signInOver('https');
    const session = res.cookies.find((c) => c.name === 'stepwise_session');
    expect(session).toMatchObject({ secure: true, httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(page.cookies.find((c) => c.name === 'stepwise_csrf')).toMatchObject({ secure: true, httpOnly: true });
  });

  it('are not marked Secure over plain HTTP, so a local install still works', async () => {
    const { res } = await signInOver('http');
    expect(res.cookies.find((c) => c.name === 'stepwise_session')?.secure).toBeFalsy();
  });
});
