import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BENCH_PASSWORD, SCALE_1, benchEmail } from '../bench/fixtures.ts';
import { HoldsDataError, buildLargeService, parseBenchDataArgs } from '../bench/large-service.ts';
import { signIn } from '../src/auth/service.ts';
import { isOutOfHours } from '../src/calendar/bank-holidays.ts';
import { systemClock } from '../src/clock.ts';
import type { DatabaseTarget } from '../src/config.ts';
import { createDb, type DbHandle } from '../src/db/create-db.ts';
import { createDeps } from '../src/deps.ts';
import { TEST_DIALECT, createTestDb, type TestDb } from './test-db.ts';

// The synthetic large service at a tiny scale, on the database this run tests: a temporary SQLite
// folder, or a PostgreSQL schema of its own (the generator only touches the current schema).
const SCALE = 0.002;
const TODAY = '2026-11-25';
const quiet = () => undefined;

let target: DatabaseTarget;
let cleanup: () => Promise<void>;
let open: () => DbHandle;

beforeEach(async () => {
  if (TEST_DIALECT === 'sqlite') {
    const dir = mkdtempSync(path.join(tmpdir(), 'stepwise-bench-data-'));
    target = { kind: 'sqlite', file: path.join(dir, 'stepwise.db') };
    open = () => createDb(target);
    cleanup = async () => rmSync(dir, { recursive: true, force: true });
  } else {
    const schemaHolder: TestDb = await createTestDb({ migrate: false });
    const schema = new URL(schemaHolder.url).searchParams.get('options')!.replace('-c search_path=', '');
    target = { kind: 'postgres', url: process.env.TEST_DATABASE_URL!, schema };
    open = () => schemaHolder;
    cleanup = () => schemaHolder.cleanup();
  }
});
afterEach(async () => {
  await cleanup();
});

const build = (reset = false) => buildLargeService({ target, scale: SCALE, seed: 7, today: TODAY, reset, log: quiet });

describe('npm run bench:data', () => {
  it('writes each count of SCALE_1 times the scale, with valid foreign keys and derived fields as the app writes them', async () => {
    const summary = await build();
    expect(summary.participants).toBe(Math.round(SCALE_1.participants * SCALE));
    expect(summary.contacts).toBe(Math.round(SCALE_1.contacts * SCALE));
    expect(summary.employers).toBe(Math.round(SCALE_1.employers * SCALE));
    expect(summary.vacancies).toBe(Math.round(SCALE_1.vacancies * SCALE));
    expect(summary.placements).toBe(Math.round(SCALE_1.placements * SCALE));
    // One practitioner (never fewer), their manager, and one clinician, commissioner and admin.
    expect(summary.users).toBe(5);
    expect(summary.referrals).toBe(summary.participants);

    const handle = open();
    const db = handle.db;
    try {
      if (TEST_DIALECT === 'sqlite') {
        const { rows } = await sql`pragma foreign_key_check`.execute(db);
        expect(rows).toEqual([]);
        const { rows: mode } = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(db);
        expect(mode[0]?.journal_mode).toBe('wal');
      }
      // practitioner1's caseload: 20 active people, each with contacts and a profile.
      const practitioner = await db
        .selectFrom('users')
        .selectAll()
        .where('email', '=', benchEmail('practitioner', 1))
        .executeTakeFirstOrThrow();
      const caseload = await db
        .selectFrom('participants')
        .select(['id', 'status'])
        .where('practitioner_id', '=', practitioner.id)
        .where('status', '!=', 'discharged')
        .execute();
      expect(caseload).toHaveLength(20);
      for (const person of caseload) {
        const contacts = await db.selectFrom('contacts').select('id').where('participant_id', '=', person.id).execute();
        const profile = await db.selectFrom('profile_versions').select('id').where('participant_id', '=', person.id).execute();
        expect(contacts.length).toBeGreaterThan(5);
        expect(profile.length).toBeGreaterThan(0);
      }
      const sample = await db.selectFrom('contacts').select(['started_at', 'out_of_hours']).limit(2000).execute();
      for (const c of sample) expect(Number(c.out_of_hours)).toBe(isOutOfHours(new Date(c.started_at)) ? 1 : 0);
      expect(sample.some((c) => Number(c.out_of_hours) === 1)).toBe(true);

      // Every bench user signs in with the shared password alone.
      const deps = createDeps({ secret: 'x'.repeat(40), clock: systemClock, sessionIdleMinutes: 30, sessionAbsoluteHours: 12 });
      const ctx = { actorUserId: null, actorLabel: null, clientAddress: '192.0.2.9', requestId: null };
      for (const email of [benchEmail('admin', 1), benchEmail('practitioner', 1), benchEmail('manager', 1)]) {
        const result = await signIn(db, deps, ctx, { email, password: BENCH_PASSWORD });
        expect(result.secondFactor).toBe('none');
      }
    } finally {
      if (TEST_DIALECT === 'sqlite') await handle.destroy();
    }
  });

  it('refuses a database that holds data, and with --reset builds the same service again from the same seed', async () => {
    const first = await build();
    const names = async () => {
      const handle = open();
      try {
        return await handle.db
          .selectFrom('participants')
          .select(['id', 'given_name', 'family_name', 'status'])
          .orderBy('id')
          .execute();
      } finally {
        if (TEST_DIALECT === 'sqlite') await handle.destroy();
      }
    };
    const before = await names();
    await expect(build()).rejects.toBeInstanceOf(HoldsDataError);
    const second = await build(true);
    expect(second).toEqual(first);
    expect(await names()).toEqual(before);
  });

  it('reads its arguments', () => {
    expect(parseBenchDataArgs(['--scale', '0.01', '--reset', '--today', '2026-01-02'])).toEqual({
      scale: 0.01,
      seed: 20261125,
      today: '2026-01-02',
      reset: true,
    });
    expect(() => parseBenchDataArgs(['--scale', '0'])).toThrow(/--scale/);
  });
});
