// `npm run bench`: builds the synthetic data set in fresh databases and times what users wait for.
// SQLite always; PostgreSQL too when BENCH_DATABASE_URL (or TEST_DATABASE_URL) is set.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { createDb, type DbHandle } from '../src/db/create-db.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import * as participants from '../src/participants/service.ts';
import { loadParticipants } from './synthetic.ts';

const PARTICIPANTS = Number(process.env.BENCH_PARTICIPANTS ?? 20_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 200);

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

async function benchmark(name: string, handle: DbHandle): Promise<void> {
  const db = handle.db;
  await migrateToLatest(db);
  const loadStart = performance.now();
  const service = await loadParticipants(db, PARTICIPANTS);
  process.stdout.write(
    `\n### ${name}: ${PARTICIPANTS} participants, ${service.practitioners.length} practitioners in ${service.teamIds.length} teams (loaded in ${((performance.now() - loadStart) / 1000).toFixed(1)} s)\n\n`,
  );
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
  // The worst case the scope allows: a team holding every participant.
  const big = await (async () => {
    const teamId = service.teamIds[0]!;
    await db.updateTable('participants').set({ team_id: teamId }).execute();
    return { userId: manager.id, role: 'manager' as const, teamId };
  })();
  await time(`partial name search, manager of a team holding all ${PARTICIPANTS}`, RUNS, (i) =>
    participants.searchParticipants(db, big, { name: terms[i % terms.length]! }, page),
  );
}

const sqliteDir = mkdtempSync(path.join(tmpdir(), 'stepwise-bench-'));
try {
  const sqlite = createDb({ kind: 'sqlite', file: path.join(sqliteDir, 'bench.db') });
  await benchmark('SQLite', sqlite);
  await sqlite.destroy();
} finally {
  rmSync(sqliteDir, { recursive: true, force: true });
}

const pgUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
if (pgUrl) {
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
