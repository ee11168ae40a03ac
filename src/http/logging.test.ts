import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.ts';
import * as appointments from '../appointments/service.ts';
import { SYSTEM_CONTEXT } from '../audit/service.ts';
import { fixedClock } from '../clock.ts';
import { createDeps } from '../deps.ts';
import { loggerOptions } from '../server.ts';
import { Browser, TEST_SECRET } from '../../test/test-app.ts';
import { TEST_PASSWORD, makeTokenUser, makeUser } from '../../test/factories.ts';
import { createTestDb, type TestDb } from '../../test/test-db.ts';

let logged = '';
const sink = new Writable({
  write(chunk: Buffer, _enc, done) {
    logged += chunk.toString();
    done();
  },
});

let testDb: TestDb;
beforeAll(async () => {
  testDb = await createTestDb();
});
afterAll(async () => {
  await testDb.cleanup();
});

describe('logs', () => {
  it('never contain passwords, tokens, cookies or query strings, even at trace level', async () => {
    const deps = createDeps({
      secret: TEST_SECRET,
      clock: fixedClock('2026-11-25T10:00:00Z'),
      sessionIdleMinutes: 30,
      sessionAbsoluteHours: 12,
    });
    const app = await buildApp({
      db: testDb.db,
      deps,
      secret: TEST_SECRET,
      logger: { ...loggerOptions({ logLevel: 'trace' }), stream: sink },
    });
    const user = await makeUser(testDb.db, deps);
    const { token } = await makeTokenUser(testDb.db, deps, 'admin');
    const b = new Browser(app);
    await b.signIn(user.email, TEST_PASSWORD);
    await b.post('/sign-in', { email: user.email, password: 'wrong-Secret-value-77' });
    await app.inject({ method: 'GET', url: '/setup?token=very-secret-setup-token' });
    await app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } });
    await app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${token}-wrong` } });
    await app.close();

    expect(logged).toContain('"path":"/sign-in"');
    for (const secret of [
      TEST_PASSWORD,
      'wrong-Secret-value-77',
      'very-secret-setup-token',
      token,
      b.cookies.stepwise_session!,
    ]) {
      expect(logged).not.toContain(secret);
    }
  });

  it('never contain a calendar feed address, whose token is the only key to it', async () => {
    logged = '';
    const deps = createDeps({
      secret: TEST_SECRET,
      clock: fixedClock('2026-11-25T10:00:00Z'),
      sessionIdleMinutes: 30,
      sessionAbsoluteHours: 12,
    });
    const app = await buildApp({
      db: testDb.db,
      deps,
      secret: TEST_SECRET,
      logger: { ...loggerOptions({ logLevel: 'info' }), stream: sink },
    });
    const user = await makeUser(testDb.db, deps, { role: 'practitioner' });
    const token = await appointments.createFeed(testDb.db, deps, SYSTEM_CONTEXT, user.id);
    const res = await app.inject({ method: 'GET', url: `/calendar/${token}.ics` });
    await app.inject({ method: 'GET', url: '/calendar/swc_a-wrong-guess-at-a-feed-token.ics' });
    await app.close();

    expect(res.statusCode).toBe(200);
    expect(logged).toContain('"path":"/calendar/');
    expect(logged).not.toContain(token);
    expect(logged).not.toContain('a-wrong-guess-at-a-feed-token');
  });
});
