import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTokenUser } from '../../test/factories.ts';
import { type ErrorBody, type TestApp, createTestApp } from '../../test/test-app.ts';
import { loadConfig } from '../config.ts';

// The API's rate limit: past the limit a caller gets 429 with Retry-After, in the API's error
// shape; other callers and the pages carry on.

let t: TestApp;
const LIMIT = 5;

beforeAll(async () => {
  t = await createTestApp({ apiRateLimit: LIMIT });
});
afterAll(async () => {
  await t.close();
});

const me = (token: string) => t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } });

describe('API rate limit', () => {
  it('answers 429 with Retry-After once a token passes the limit, and other tokens carry on', async () => {
    const { token } = await makeTokenUser(t.db, t.deps, 'practitioner');
    const { token: other } = await makeTokenUser(t.db, t.deps, 'manager');
    for (let i = 0; i < LIMIT; i++) {
      const ok = await me(token);
      expect(ok.statusCode).toBe(200);
      expect(ok.headers['x-ratelimit-remaining']).toBe(String(LIMIT - i - 1));
    }
    const refused = await me(token);
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(refused.json<ErrorBody>()).toEqual({
      error: { code: 'too_many_requests', message: expect.stringMatching(/try again/i) as string },
    });
    expect((await me(other)).statusCode).toBe(200);
  });

  it('counts calls without a token by address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i <= LIMIT; i++) statuses.push((await t.app.inject({ method: 'GET', url: '/api/v1/me' })).statusCode);
    expect(statuses.slice(0, LIMIT).every((s) => s === 401)).toBe(true);
    expect(statuses[LIMIT]).toBe(429);
  });

  it('leaves pages alone', async () => {
    for (let i = 0; i < LIMIT * 2; i++) {
      const page = await t.app.inject({ method: 'GET', url: '/sign-in' });
      expect(page.statusCode).toBe(200);
      expect(page.headers['x-ratelimit-limit']).toBeUndefined();
    }
  });

  it('is 600 a minute unless STEPWISE_API_RATE_LIMIT says otherwise (0 turns it off)', () => {
    expect(loadConfig({}).apiRateLimit).toBe(600);
    expect(loadConfig({ STEPWISE_API_RATE_LIMIT: '50' }).apiRateLimit).toBe(50);
    expect(loadConfig({ STEPWISE_API_RATE_LIMIT: '0' }).apiRateLimit).toBe(0);
    expect(() => loadConfig({ STEPWISE_API_RATE_LIMIT: 'lots' })).toThrow(/STEPWISE_API_RATE_LIMIT/);
  });
});
