import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.ts';
import { verifyChain } from '../audit/service.ts';
import { fixedClock } from '../clock.ts';
import { createDeps, type Deps } from '../deps.ts';
import { navigationFor } from '../http/navigation.ts';
import { isValidNhsNumber } from '../participants/rules.ts';
import { ROLES } from '../users/roles.ts';
import { Browser, TEST_SECRET } from '../../test/test-app.ts';
import { createTestDb, type TestDb } from '../../test/test-db.ts';
import { DEMO_PASSWORD, type DemoSignIn, loadDemo } from './index.ts';
import { testNhsNumber } from './nhs-number.ts';

// Loads the whole demo once (a few seconds on SQLite, longer on PostgreSQL), then signs in as
// every demo account and opens every page of its navigation.

let testDb: TestDb;
let deps: Deps;
let app: FastifyInstance;
let signIns: DemoSignIn[];

beforeAll(async () => {
  testDb = await createTestDb();
  // Today, whatever today is: the demo is dated from the clock and must look live on any day.
  deps = createDeps({ secret: TEST_SECRET, clock: fixedClock(new Date()), sessionIdleMinutes: 30, sessionAbsoluteHours: 12 });
  signIns = await loadDemo(testDb.db, deps);
  app = await buildApp({ db: testDb.db, deps, secret: TEST_SECRET, trustProxy: false });
  await app.ready();
}, 180_000);

afterAll(async () => {
  await app?.close();
  await testDb?.cleanup();
});

/** Wording a page uses when it has nothing to show. */
const EMPTY_STATES = [
  /\bNo [^.<]{0,80}\byet\b/,
  /\bThere (are|is) no\b/,
  /no appointments this week/,
  /no matches yet/,
  /No one to show/,
  /Nothing to show yet/,
  /There is nothing to count yet/,
];

function mainOf(html: string): string {
  const m = /<main[\s\S]*?<\/main>/.exec(html);
  return m ? m[0] : html;
}

describe('stepwise demo', () => {
  it('refuses to load into a database that already holds data', async () => {
    await expect(loadDemo(testDb.db, deps)).rejects.toThrow(/already holds data/);
  });

  it('keeps the audit chain intact', async () => {
    const outcome = await verifyChain(testDb.db, deps.auditKey);
    expect(outcome.broken).toBeNull();
    expect(outcome.checked).toBeGreaterThan(1000);
  });

  it('gives everyone an NHS number from the 999 test range with a valid check digit', async () => {
    const rows = await testDb.db.selectFrom('participants').select(['nhs_number', 'programme', 'status']).execute();
    expect(rows.length).toBeGreaterThan(140);
    for (const r of rows) {
      expect(r.nhs_number).toMatch(/^999\d{7}$/);
      expect(isValidNhsNumber(r.nhs_number!)).toBe(true);
    }
    expect(new Set(rows.map((r) => r.nhs_number)).size).toBe(rows.length);
    expect(rows.filter((r) => r.programme === 'follow_on').length).toBeGreaterThanOrEqual(54);
    expect(new Set(rows.map((r) => r.status))).toEqual(new Set(['referred', 'engaged', 'job_search', 'employed', 'discharged']));
  });

  it('loads contacts over two years, some out of hours', async () => {
    const rows = await testDb.db.selectFrom('contacts').select(['started_at', 'out_of_hours']).execute();
    expect(rows.length).toBeGreaterThan(1000);
    expect(rows.filter((r) => Number(r.out_of_hours) === 1).length).toBeGreaterThan(50);
    const first = rows.map((r) => r.started_at).sort()[0]!;
    expect(Date.now() - new Date(first).getTime()).toBeGreaterThan(600 * 86_400_000);
  });

  it('has a demo sign-in for every role', () => {
    expect(new Set(signIns.map((s) => s.role))).toEqual(new Set(ROLES));
  });

  it('shows data, not an empty state, on every navigation page for every demo account', async () => {
    for (const s of signIns) {
      const browser = new Browser(app);
      const res = await browser.signIn(s.email, DEMO_PASSWORD);
      expect(res.statusCode, `sign-in for ${s.email}`).toBe(302);
      for (const item of navigationFor(s.role, '/')) {
        const page = await browser.get(item.href);
        expect(page.statusCode, `${s.email} ${item.href}`).toBe(200);
        const main = mainOf(page.body);
        for (const empty of EMPTY_STATES) expect(main, `${s.email} ${item.href} shows an empty state`).not.toMatch(empty);
      }
    }
  }, 120_000);
});

describe('testNhsNumber', () => {
  it('makes valid numbers in the 999 range', () => {
    for (let i = 0; i < 500; i++) expect(isValidNhsNumber(testNhsNumber(i))).toBe(true);
  });
});
