import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../src/app.ts';
import { fixedClock } from '../src/clock.ts';
import { createDeps, type Deps } from '../src/deps.ts';
import type { Db } from '../src/db/types.ts';
import type { Role } from '../src/users/roles.ts';
import { TEST_PASSWORD, makeUser } from './factories.ts';
import { createTestDb, type TestDb } from './test-db.ts';

export const TEST_SECRET = 'test-secret-that-is-long-enough-for-stepwise-0123456789';

export interface TestApp {
  app: FastifyInstance;
  db: Db;
  deps: Deps;
  clock: ReturnType<typeof fixedClock>;
  testDb: TestDb;
  close(): Promise<void>;
}

/** The real app over a fresh test database, with a clock the test controls. */
export async function createTestApp(
  options: { now?: string; setupToken?: string; trustProxy?: boolean; apiRateLimit?: number } = {},
): Promise<TestApp> {
  const testDb = await createTestDb();
  const clock = fixedClock(options.now ?? '2026-11-25T10:00:00Z');
  const deps = createDeps({ secret: TEST_SECRET, clock, sessionIdleMinutes: 30, sessionAbsoluteHours: 12 });
  // A limit no test reaches, unless a test asks for one (src/http/rate-limit.test.ts).
  const app = await buildApp({
    db: testDb.db,
    deps,
    secret: TEST_SECRET,
    trustProxy: options.trustProxy ?? false,
    apiRateLimit: options.apiRateLimit ?? 1_000_000,
  });
  app.setupToken = options.setupToken;
  await app.ready();
  return {
    app,
    db: testDb.db,
    deps,
    clock,
    testDb,
    async close() {
      await app.close();
      await testDb.cleanup();
    },
  };
}

/** Cookies a browser would send back, taken from a response's set-cookie headers. */
export function cookiesFrom(res: LightMyRequestResponse, jar: Record<string, string> = {}): Record<string, string> {
  for (const c of res.cookies) {
    if (c.value === '' || (c.expires && c.expires.getTime() < Date.now())) delete jar[c.name];
    else jar[c.name] = c.value;
  }
  return jar;
}

/** A browser-like session: a cookie jar and the CSRF token from the last page it loaded. */
export class Browser {
  cookies: Record<string, string> = {};
  csrf = '';
  constructor(private readonly app: FastifyInstance) {}

  async get(url: string): Promise<LightMyRequestResponse> {
    const res = await this.app.inject({ method: 'GET', url, cookies: this.cookies });
    cookiesFrom(res, this.cookies);
    const m = /name="_csrf" value="([^"]+)"/.exec(res.body);
    if (m?.[1]) this.csrf = m[1];
    return res;
  }

  /** Posts a form as a browser would, with the CSRF token of the last page loaded. */
  async post(url: string, form: Record<string, string> = {}, options: { csrf?: boolean } = {}): Promise<LightMyRequestResponse> {
    if (!this.csrf && options.csrf !== false) await this.get('/sign-in');
    const body = new URLSearchParams({ ...(options.csrf === false ? {} : { _csrf: this.csrf }), ...form }).toString();
    const res = await this.app.inject({
      method: 'POST',
      url,
      cookies: this.cookies,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: body,
    });
    cookiesFrom(res, this.cookies);
    return res;
  }

  async signIn(email: string, password = TEST_PASSWORD): Promise<LightMyRequestResponse> {
    await this.get('/sign-in');
    const res = await this.post('/sign-in', { email, password });
    await this.get('/');
    return res;
  }
}

/** A signed-in browser for a new user with the given role. */
export async function signedInAs(
  t: TestApp,
  role: Role,
  teamId: string | null = null,
): Promise<{ browser: Browser; user: Awaited<ReturnType<typeof makeUser>> }> {
  const user = await makeUser(t.db, t.deps, { role, teamId });
  const browser = new Browser(t.app);
  const res = await browser.signIn(user.email);
  if (res.statusCode !== 302) throw new Error(`sign-in failed for ${role}: ${res.statusCode}`);
  return { browser, user };
}

/** The JSON error shape of DESIGN.md section 3. */
export interface ErrorBody {
  error: { code: string; message: string; fields?: Record<string, string> };
}
