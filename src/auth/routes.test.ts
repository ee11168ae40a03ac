import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Browser, createTestApp, type TestApp } from '../../test/test-app.ts';
import { TEST_PASSWORD, makeUser } from '../../test/factories.ts';
import * as audit from '../audit/service.ts';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp({ setupToken: 'one-time-setup-token' });
});
afterEach(async () => {
  await t.close();
});

const actionsOf = async () => (await audit.listEvents(t.db, {}, 200)).items.map((e) => e.action);

describe('first-run set-up', () => {
  it('asks for the console link when the token is missing or wrong', async () => {
    const b = new Browser(t.app);
    const res = await b.get('/setup?token=guess');
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('Use the set-up link');
  });

  it('creates the first admin, signs them in, and is never offered again', async () => {
    const b = new Browser(t.app);
    expect((await b.get('/setup?token=one-time-setup-token')).body).toContain('Create administrator account');
    const res = await b.post('/setup?token=one-time-setup-token', {
      name: 'Ada Admin',
      email: 'Ada@Example.org',
      password: TEST_PASSWORD,
    });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/');
    const home = await b.get('/');
    expect(home.body).toContain('Welcome, Ada Admin');
    const again = await new Browser(t.app).get('/setup?token=one-time-setup-token');
    expect(again.statusCode).toBe(404);
    expect(await actionsOf()).toContain('user.created');
  });

  it('keeps the name and email typed when the password is too weak', async () => {
    const b = new Browser(t.app);
    await b.get('/setup?token=one-time-setup-token');
    const res = await b.post('/setup?token=one-time-setup-token', {
      name: 'Ada Admin',
      email: 'ada@example.org',
      password: 'short',
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('There is a problem');
    expect(res.body).toContain('Password must be at least 12 characters');
    expect(res.body).toContain('value="Ada Admin"');
    expect(res.body).toContain('value="ada@example.org"');
    expect(res.body).not.toContain('value="short"');
  });
});

describe('signing in and out', () => {
  it('signs in with the right password and shows the home page', async () => {
    const user = await makeUser(t.db, t.deps, { role: 'practitioner' });
    const b = new Browser(t.app);
    const res = await b.signIn(user.email);
    expect(res.statusCode).toBe(302);
    const home = await b.get('/');
    expect(home.statusCode).toBe(200);
    expect(home.body).toContain(`Welcome, ${user.name}`);
    expect(res.cookies.find((c) => c.name === 'stepwise_session')).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
  });

  it('gives the same message for a wrong password and an unknown email, and audits both', async () => {
    const user = await makeUser(t.db, t.deps);
    const b = new Browser(t.app);
    await b.get('/sign-in');
    const wrong = await b.post('/sign-in', { email: user.email, password: 'not-the-password-1' });
    const unknown = await b.post('/sign-in', { email: 'nobody@example.org', password: 'not-the-password-1' });
    for (const res of [wrong, unknown]) {
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain('Enter a correct email address and password');
    }
    expect(wrong.body).toContain(`value="${user.email}"`);
    expect((await actionsOf()).filter((a) => a === 'auth.sign_in_failed')).toHaveLength(2);
  });

  it('slows down and then locks an account after repeated failures, without revealing whether it exists', async () => {
    const user = await makeUser(t.db, t.deps);
    for (const email of [user.email, 'ghost@example.org']) {
      const b = new Browser(t.app);
      await b.get('/sign-in');
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) {
        statuses.push((await b.post('/sign-in', { email, password: 'wrong-password-x' })).statusCode);
        t.clock.advance(11_000); // past the short waits, inside the 15-minute window
      }
      expect(statuses.slice(0, 4)).toEqual([400, 400, 400, 400]);
      const locked = await b.post('/sign-in', { email, password: TEST_PASSWORD });
      expect(locked.statusCode).toBe(429);
      expect(locked.body).toContain('Too many attempts to sign in');
    }
    t.clock.advance(16 * 60_000);
    const b = new Browser(t.app);
    expect((await b.signIn(user.email)).statusCode).toBe(302);
  });

  it('makes you wait a few seconds after the third failure', async () => {
    const user = await makeUser(t.db, t.deps);
    const b = new Browser(t.app);
    await b.get('/sign-in');
    for (let i = 0; i < 3; i++) await b.post('/sign-in', { email: user.email, password: 'wrong-password-x' });
    const res = await b.post('/sign-in', { email: user.email, password: TEST_PASSWORD });
    expect(res.statusCode).toBe(429);
    expect(res.body).toMatch(/Wait \d+ seconds/);
  });

  it('signs out, ends the session on the server, and audits it', async () => {
    const user = await makeUser(t.db, t.deps);
    const b = new Browser(t.app);
    await b.signIn(user.email);
    const stolen = { ...b.cookies };
    const out = await b.post('/sign-out');
    expect(out.statusCode).toBe(302);
    expect(out.headers.location).toContain('/sign-in');
    const replay = await t.app.inject({ method: 'GET', url: '/', cookies: stolen });
    expect(replay.statusCode).toBe(302);
    expect(replay.headers.location).toBe('/sign-in?next=%2F');
    expect(await actionsOf()).toEqual(expect.arrayContaining(['auth.signed_in', 'auth.signed_out']));
  });

  it('issues a new session id at every sign-in', async () => {
    const user = await makeUser(t.db, t.deps);
    const b = new Browser(t.app);
    await b.signIn(user.email);
    const first = b.cookies.stepwise_session;
    await b.signIn(user.email);
    expect(b.cookies.stepwise_session).toBeDefined();
    expect(b.cookies.stepwise_session).not.toBe(first);
  });

  it('ends a session left idle for longer than 30 minutes', async () => {
    const user = await makeUser(t.db, t.deps);
    const b = new Browser(t.app);
    await b.signIn(user.email);
    t.clock.advance(29 * 60_000);
    expect((await b.get('/')).statusCode).toBe(200);
    t.clock.advance(31 * 60_000);
    expect((await b.get('/')).statusCode).toBe(302);
  });

  it('ends a session 12 hours after sign-in however active it is', async () => {
    const user = await makeUser(t.db, t.deps);
    const b = new Browser(t.app);
    await b.signIn(user.email);
    for (let i = 0; i < 25; i++) {
      t.clock.advance(29 * 60_000);
      await b.get('/');
    }
    expect((await b.get('/')).statusCode).toBe(302);
  });

  it('refuses a form posted without the CSRF token', async () => {
    const user = await makeUser(t.db, t.deps);
    const b = new Browser(t.app);
    await b.signIn(user.email);
    const res = await b.post('/account/tokens', { name: 'x' }, { csrf: false });
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('This form has expired');
  });

  it('sends someone who is not signed in to the sign-in page and back afterwards', async () => {
    const user = await makeUser(t.db, t.deps);
    const b = new Browser(t.app);
    const res = await b.get('/account');
    expect(res.headers.location).toBe('/sign-in?next=%2Faccount');
    await b.get(res.headers.location as string);
    const signedIn = await b.post('/sign-in', { email: user.email, password: TEST_PASSWORD, next: '/account' });
    expect(signedIn.headers.location).toBe('/account');
  });

  it('never redirects to another site after sign-in', async () => {
    const user = await makeUser(t.db, t.deps);
    const b = new Browser(t.app);
    await b.get('/sign-in');
    const res = await b.post('/sign-in', { email: user.email, password: TEST_PASSWORD, next: '//evil.example.org/' });
    expect(res.headers.location).toBe('/');
  });
});
