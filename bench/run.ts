// `npm run bench`: builds the synthetic data set in fresh databases and times what users wait for.
// SQLite always; PostgreSQL too when BENCH_DATABASE_URL (or TEST_DATABASE_URL) is set.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import pg from 'pg';
import { createDb, type DbHandle } from '../src/db/create-db.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import * as participants from '../src/participants/service.ts';
import { buildApp } from '../src/app.ts';
import { signIn } from '../src/auth/service.ts';
import { systemClock } from '../src/clock.ts';
import { createDeps } from '../src/deps.ts';
import { hashPassword } from '../src/users/service.ts';
import { matchingBenchmark } from './matching.ts';
import { outcomeBenchmark } from './outcomes.ts';
import { loadContacts, loadParticipants } from './synthetic.ts';

const PARTICIPANTS = Number(process.env.BENCH_PARTICIPANTS ?? 20_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 200);
const CONTACTS = Number(process.env.BENCH_CONTACTS ?? 2_000_000);
// BENCH_SUITE=matching runs only the matching cases (issue 5), without the 2 million contacts;
// BENCH_SUITE=outcomes only the outcome report (issue 9), with them.
const SUITE = process.env.BENCH_SUITE;
const REPORT_RUNS = Number(process.env.BENCH_REPORT_RUNS ?? 40);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function time(label: string, runs: number, fn: (i: number) => Promise<unknown>): Promise<string> {
  for (let i = 0; i < 10; i++) await fn(i); // warm caches and statement preparation
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn(i);
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  const line = `| ${label} | ${percentile(samples, 50).toFixed(2)} | ${percentile(samples, 95).toFixed(2)} | ${samples[samples.length - 1]!.toFixed(2)} |`;
  process.stdout.write(`${line}\n`);
  return line;
}

/**
 * The practitioner dashboard as a person gets it: a signed-in `GET /caseload` through the whole
 * app (session, access rule, queries, alerts, template), for a full caseload of 20 people with
 * five years of contacts, in a database of CONTACTS contacts.
 */
async function dashboardBenchmark(handle: DbHandle, service: Awaited<ReturnType<typeof loadParticipants>>): Promise<void> {
  const db = handle.db;
  const start = performance.now();
  await loadContacts(db, CONTACTS);
  // A live database's statistics are kept current by autovacuum (PostgreSQL) or ANALYZE; after a
  // bulk load they are not yet, and the planner would be guessing.
  await sql`analyze`.execute(db);
  process.stdout.write(
    `\n${CONTACTS.toLocaleString('en-GB')} contacts over 5 years loaded in ${((performance.now() - start) / 1000).toFixed(1)} s\n\n`,
  );
  const practitioner = service.practitioners[0]!;
  const manager = service.managers.find((m) => m.teamId === practitioner.teamId)!;
  // A full caseload: all 20 of this practitioner's people active, spread over the statuses.
  const theirs = await db.selectFrom('participants').select('id').where('practitioner_id', '=', practitioner.id).execute();
  const statuses = ['referred', 'engaged', 'job_search', 'employed'] as const;
  for (const [i, p] of theirs.entries()) {
    await db
      .updateTable('participants')
      .set({ status: statuses[i % statuses.length]! })
      .where('id', '=', p.id)
      .execute();
  }
  const perPerson = await db
    .selectFrom('contacts')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('practitioner_id', '=', practitioner.id)
    .executeTakeFirstOrThrow();
  const secret = 'benchmark-secret-that-is-long-enough-0123456789';
  const deps = createDeps({ secret, clock: systemClock, sessionIdleMinutes: 600, sessionAbsoluteHours: 24 });
  const app = await buildApp({ db, deps, secret });
  const password = 'benchmark-Passw0rd-long';
  const cookies: Record<string, string> = {};
  for (const user of [practitioner, manager]) {
    await db
      .updateTable('users')
      .set({ password_hash: await hashPassword(password) })
      .where('id', '=', user.id)
      .execute();
    const row = await db.selectFrom('users').select('email').where('id', '=', user.id).executeTakeFirstOrThrow();
    const ctx = { actorUserId: null, actorLabel: null, clientAddress: '127.0.0.1', requestId: null };
    cookies[user.id] = (await signIn(db, deps, ctx, { email: row.email, password })).sessionToken;
  }
  process.stdout.write(
    `caseload of ${theirs.length}, ${Number(perPerson.n).toLocaleString('en-GB')} contacts by this practitioner\n\n`,
  );
  process.stdout.write('| request | p50 ms | p95 ms | max ms |\n|---|---|---|---|\n');
  const get = async (url: string, userId: string) => {
    const res = await app.inject({ method: 'GET', url, cookies: { stepwise_session: cookies[userId]! } });
    if (res.statusCode !== 200) throw new Error(`${url} answered ${res.statusCode}`);
  };
  await time('GET /caseload, practitioner (20 people, alerts, next appointments)', RUNS, () => get('/caseload', practitioner.id));
  await time('GET /team-dashboard, manager (last 4 weeks)', RUNS, () => get('/team-dashboard', manager.id));
  await app.close();
}

async function benchmark(name: string, handle: DbHandle): Promise<void> {
  const db = handle.db;
  await migrateToLatest(db);
  const loadStart = performance.now();
  const service = await loadParticipants(db, PARTICIPANTS);
  process.stdout.write(
    `\n### ${name}: ${PARTICIPANTS} participants, ${service.practitioners.length} practitioners in ${service.teamIds.length} teams (loaded in ${((performance.now() - loadStart) / 1000).toFixed(1)} s)\n\n`,
  );
  if (SUITE === 'matching') return matchingBenchmark(db, service, RUNS, time);
  if (SUITE === 'outcomes') {
    const start = performance.now();
    await loadContacts(db, CONTACTS);
    process.stdout.write(
      `\n${CONTACTS.toLocaleString('en-GB')} contacts loaded in ${((performance.now() - start) / 1000).toFixed(1)} s\n`,
    );
    return outcomeBenchmark(db, service, REPORT_RUNS, time);
  }
  process.stdout.write('| query | p50 ms | p95 ms | max ms |\n|---|---|---|---|\n');
  const terms = ['ann', 'zoe', 'nunez', 'smi', 'jos', 'o bri', 'patel', 'lea', 'kowal', 'ahm'];
  const page = { sort: 'name' as const, direction: 'asc' as const, limit: 25, offset: 0 };
  const manager = service.managers[0]!;
  const practitioner = service.practitioners[0]!;
  await time('partial name search, practitioner (own caseload + team)', RUNS, (i) =>
    participants.searchParticipants(
      db,
      { userId: practitioner.id, role: 'practitioner', teamId: practitioner.teamId },
      { name: terms[i % terms.length]! },
      page,
    ),
  );
  await time('partial name search, manager (whole team)', RUNS, (i) =>
    participants.searchParticipants(
      db,
      { userId: manager.id, role: 'manager', teamId: manager.teamId },
      { name: terms[i % terms.length]! },
      page,
    ),
  );
  await dashboardBenchmark(handle, service);

  // The worst case the scope allows: a team holding every participant.
  const big = await (async () => {
    const teamId = service.teamIds[0]!;
    await db.updateTable('participants').set({ team_id: teamId }).execute();
    return { userId: manager.id, role: 'manager' as const, teamId };
  })();
  await time(`partial name search, manager of a team holding all ${PARTICIPANTS}`, RUNS, (i) =>
    participants.searchParticipants(db, big, { name: terms[i % terms.length]! }, page),
  );
  await matchingBenchmark(db, service, RUNS, time);
  await outcomeBenchmark(db, service, REPORT_RUNS, time);
}

// BENCH_ONLY=sqlite or BENCH_ONLY=postgres runs one database.
const only = process.env.BENCH_ONLY;
const sqliteDir = mkdtempSync(path.join(tmpdir(), 'stepwise-bench-'));
try {
  if (only !== 'postgres') {
    const sqlite = createDb({ kind: 'sqlite', file: path.join(sqliteDir, 'bench.db') });
    await benchmark('SQLite', sqlite);
    await sqlite.destroy();
  }
} finally {
  rmSync(sqliteDir, { recursive: true, force: true });
}

const pgUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
if (pgUrl && only !== 'sqlite') {
  const schema = `bench_${Date.now()}`;
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  try {
    const handle = createDb({ kind: 'postgres', url: pgUrl, schema });
    await benchmark('PostgreSQL', handle);
    await handle.destroy();
  } finally {
    await admin.query(`drop schema ${schema} cascade`);
    await admin.end();
  }
} else {
  process.stdout.write('\nPostgreSQL skipped: set BENCH_DATABASE_URL (or TEST_DATABASE_URL) to include it.\n');
}
