import { randomUUID } from 'node:crypto';
import cookie from '@fastify/cookie';
import Fastify, { type LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, createTestApp, type ErrorBody, type TestApp } from '../../test/test-app.ts';
import { TEST_PASSWORD, makeTokenUser } from '../../test/factories.ts';
import { ROLES, type Role } from '../users/roles.ts';
import { access } from './access.ts';
import { ACCESS_RULES, allows, ruleFor } from './access-rules.ts';
import { identity } from './identity.ts';

// Walks every registered route for every role (and for nobody signed in), and checks that the
// answer agrees with the central access table.

let t: TestApp;
let anonymous: Browser;
const browsers = new Map<Role, Browser>();
const tokens = new Map<Role, string>();

beforeAll(async () => {
  t = await createTestApp();
  for (const role of ROLES) {
    const { user, token } = await makeTokenUser(t.db, t.deps, role);
    tokens.set(role, token);
    const b = new Browser(t.app);
    await b.signIn(user.email, TEST_PASSWORD);
    await b.get('/account');
    browsers.set(role, b);
  }
  anonymous = new Browser(t.app);
  await anonymous.get('/sign-in'); // a CSRF token, as a real visitor's browser would have
});
afterAll(async () => {
  await t.close();
});

function concrete(url: string): string {
  return url.replace(/:[A-Za-z_]+/g, () => randomUUID()).replace(/\*$/, 'no-such-file.css');
}

async function call(method: string, url: string, role: Role | null): Promise<LightMyRequestResponse> {
  const path = concrete(url);
  if (url.startsWith('/api/')) {
    return t.app.inject({
      method: method as 'GET',
      url: path,
      headers: role ? { authorization: `Bearer ${tokens.get(role)}` } : {},
      ...(method === 'GET' ? {} : { payload: {} }),
    });
  }
  const b = role ? browsers.get(role)! : anonymous;
  if (method === 'GET') return t.app.inject({ method: 'GET', url: path, cookies: b.cookies });
  return t.app.inject({
    method: method as 'POST',
    url: path,
    cookies: b.cookies,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: b.csrf }).toString(),
  });
}

// Signing out would end the session the later checks use, so it goes last.
const routes = () => [...t.app.registeredRoutes].sort((a, b) => Number(a.url === '/sign-out') - Number(b.url === '/sign-out'));

describe('access rules', () => {
  it('declares a rule for every registered route', () => {
    const missing = t.app.registeredRoutes.filter((r) => !ruleFor(r.method, r.url)).map((r) => `${r.method} ${r.url}`);
    expect(missing).toEqual([]);
  });

  it('declares no rule for a route that does not exist', () => {
    const registered = new Set(t.app.registeredRoutes.map((r) => `${r.method} ${r.url}`));
    expect(Object.keys(ACCESS_RULES).filter((k) => !registered.has(k))).toEqual([]);
  });

  // Some 300 routes for six roles and no one signed in, one request each: seconds alone, longer on a busy machine.
  it('answers every route for every role as its rule says', { timeout: 180_000 }, async () => {
    const contradictions: string[] = [];
    for (const { method, url } of routes()) {
      const rule = ruleFor(method, url);
      if (!rule) continue;
      for (const role of [null, ...ROLES]) {
        const res = await call(method, url, role);
        const who = role ?? 'nobody';
        const allowed = allows(rule, role);
        const refused =
          res.statusCode === 401 ||
          res.statusCode === 403 ||
          (res.statusCode === 302 && /^\/sign-in(\?next=|$)/.test(String(res.headers.location)));
        if (res.statusCode >= 500) contradictions.push(`${method} ${url} as ${who}: ${res.statusCode}`);
        else if (allowed && refused)
          contradictions.push(`${method} ${url} as ${who}: refused (${res.statusCode}) but the rule allows it`);
        else if (!allowed && !refused)
          contradictions.push(`${method} ${url} as ${who}: answered ${res.statusCode} but the rule refuses it`);
        else if (!allowed && role !== null && res.statusCode !== 403)
          contradictions.push(`${method} ${url} as ${who}: expected 403, got ${res.statusCode}`);
      }
    }
    expect(contradictions).toEqual([]);
  });

  it('refuses a commissioner token on every person-level API route with 403 in the JSON error shape', async () => {
    const personLevel = t.app.registeredRoutes.filter((r) => {
      const rule = ruleFor(r.method, r.url);
      return r.url.startsWith('/api/') && rule && !allows(rule, 'commissioner');
    });
    expect(personLevel.length).toBeGreaterThan(0);
    for (const r of personLevel) {
      const res = await call(r.method, r.url, 'commissioner');
      expect(res.statusCode, `${r.method} ${r.url}`).toBe(403);
      expect(res.json<ErrorBody>()).toEqual({ error: { code: 'forbidden', message: expect.any(String) as string } });
    }
  });

  it('refuses a route that has no rule, for everyone, even an administrator', async () => {
    const app = Fastify();
    await app.register(cookie);
    await app.register(identity, { db: t.db, deps: t.deps });
    await app.register(access);
    app.get('/undeclared-test-route', async () => 'should never be seen');
    app.get('/healthz', async () => 'declared public');
    const admin = { authorization: `Bearer ${tokens.get('admin')}` };
    const undeclared = await app.inject({ method: 'GET', url: '/undeclared-test-route', headers: admin });
    expect(undeclared.statusCode).toBe(403);
    expect(undeclared.body).not.toContain('should never be seen');
    expect((await app.inject({ method: 'GET', url: '/undeclared-test-route' })).statusCode).toBe(403);
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    await app.close();
  });
});
