import { generateSync } from 'otplib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Browser, createTestApp, type TestApp } from '../../test/test-app.ts';
import { makeUser } from '../../test/factories.ts';
import { SYSTEM_CONTEXT } from '../audit/service.ts';
import * as settings from '../settings/service.ts';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

let lastRedirect = '';
const codeFor = (secret: string) => generateSync({ secret, epoch: Math.floor(t.clock.now().getTime() / 1000) });

async function enrol(b: Browser): Promise<string> {
  const page = await b.get('/account/second-factor');
  expect(page.body).toContain('Set up your second factor');
  expect(page.body).toContain('aria-label="QR code for your authenticator app"');
  const secret = /name="secret" value="([A-Z2-7]+)"/.exec(page.body)?.[1];
  if (!secret) throw new Error('no secret on the page');
  const wrong = await b.post('/account/second-factor', { secret, code: '000000' });
  expect(wrong.statusCode).toBe(400);
  expect(wrong.body).toContain('Enter the 6-digit code shown in your authenticator app now');
  expect(wrong.body).toContain(`value="${secret}"`); // the same QR code again, not a new one
  const ok = await b.post('/account/second-factor', { secret, code: codeFor(secret) });
  expect(ok.statusCode).toBe(302);
  lastRedirect = String(ok.headers.location);
  return secret;
}

describe('second factor', () => {
  it('once enrolled, asks for a code after the password and lets nothing through until it is right', async () => {
    const user = await makeUser(t.db, t.deps);
    const b = new Browser(t.app);
    await b.signIn(user.email);
    const secret = await enrol(b);
    expect(lastRedirect).toBe('/account?done=second-factor');
    expect((await b.get(lastRedirect)).body).toContain('Second factor turned on');

    const next = new Browser(t.app);
    const signIn = await next.signIn(user.email);
    expect(signIn.headers.location).toBe('/sign-in/second-factor');
    const home = await next.get('/');
    expect(home.statusCode).toBe(302);
    expect(home.headers.location).toBe('/sign-in/second-factor');
    const api = await t.app.inject({ method: 'GET', url: '/api/v1/me', cookies: next.cookies });
    expect(api.statusCode).toBe(401);

    await next.get('/sign-in/second-factor');
    const wrong = await next.post('/sign-in/second-factor', { code: '123456' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('Enter the 6-digit code');
    const right = await next.post('/sign-in/second-factor', { code: codeFor(secret) });
    expect(right.statusCode).toBe(302);
    expect((await next.get('/')).body).toContain(`Welcome, ${user.name}`);
  });

  it('stores the secret encrypted, never as typed', async () => {
    const user = await makeUser(t.db, t.deps);
    const b = new Browser(t.app);
    await b.signIn(user.email);
    const secret = await enrol(b);
    const row = await t.db.selectFrom('users').select('totp_secret').where('id', '=', user.id).executeTakeFirstOrThrow();
    expect(row.totp_secret).toBeTruthy();
    expect(row.totp_secret).not.toContain(secret);
  });

  it('makes everyone set one up when the service requires it', async () => {
    await settings.updateSettings(t.db, t.deps, SYSTEM_CONTEXT, { requireSecondFactor: true });
    const user = await makeUser(t.db, t.deps);
    const b = new Browser(t.app);
    const res = await b.signIn(user.email);
    expect(res.headers.location).toBe('/account/second-factor');
    expect((await b.get('/')).headers.location).toBe('/sign-in/second-factor');
    const page = await b.get('/account/second-factor');
    expect(page.body).toContain('Your service asks everyone to use a second factor');
    await enrol(b);
    expect((await b.get('/')).body).toContain(`Welcome, ${user.name}`);
  });

  it('locks the code step after repeated wrong codes', async () => {
    const user = await makeUser(t.db, t.deps);
    const b = new Browser(t.app);
    await b.signIn(user.email);
    const secret = await enrol(b);
    const next = new Browser(t.app);
    await next.signIn(user.email);
    await next.get('/sign-in/second-factor');
    for (let i = 0; i < 5; i++) {
      await next.post('/sign-in/second-factor', { code: '000000' });
      t.clock.advance(11_000);
    }
    const locked = await next.post('/sign-in/second-factor', { code: codeFor(secret) });
    expect(locked.statusCode).toBe(429);
  });
});
