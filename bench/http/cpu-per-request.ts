// Comparing two builds on one machine: the server's own CPU time and the wall time per request of
// a few pages, requests sent one after another (no queueing), after 30 warm-up requests. Run it
// from each build's folder against the same data, alternating, and compare (docs/performance.md).
//   BENCH_DATA_DIR=/tmp/benchdata npx tsx bench/http/cpu-per-request.ts
//   BENCH_PAGES='participant page,caseload' BENCH_REQUESTS=400 (defaults: every page, 300)
// SQLite only: it reads the practitioner's caseload from the data folder's database file.
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { BENCH_PASSWORD, benchEmail, benchTarget } from '../fixtures.ts';
import { signIn } from './browser.ts';
import { freePort, startChild } from './processes.ts';

const dataDir = path.resolve(benchTarget().dataDir);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 300);
const ONLY = process.env.BENCH_PAGES?.split(',').map((s) => s.trim());
const email = benchEmail('practitioner', 1);

const file = new SQLite(path.join(dataDir, 'stepwise.db'), { readonly: true });
const me = file.prepare('select id from users where email = ?').get(email) as { id: string } | undefined;
if (!me) throw new Error(`No ${email} in ${dataDir}: load it with npm run bench:data`);
const people = file.prepare('select id, family_name from participants where practitioner_id = ? limit 20').all(me.id) as {
  id: string;
  family_name: string;
}[];
file.close();

const port = await freePort();
const server = await startChild({
  args: ['bin/stepwise.js', 'serve'],
  env: { ...process.env, STEPWISE_DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn', SMTP_URL: '' },
  port,
  readyPath: '/sign-in',
  logFile: path.join(mkdtempSync(path.join(os.tmpdir(), 'stepwise-cpu-')), 'server.log'),
});
const base = server.baseUrl;
const cookie = (await signIn(base, email, BENCH_PASSWORD)).header();

/** The server process's user plus system CPU time so far, in ms (clock ticks of 10 ms). */
const cpuMs = () => {
  const fields = readFileSync(`/proc/${server.pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10;
};

let i = 0;
const person = () => people[i++ % people.length]!;
const pages: [string, () => string][] = [
  ['participant page', () => `/participants/${person().id}`],
  ['caseload', () => '/caseload'],
  ['search', () => `/participants?q=${person().family_name.slice(0, 4).toLowerCase()}`],
  ['timeline', () => `/participants/${person().id}/timeline`],
  ['team dashboard', () => '/team-dashboard'],
];
try {
  for (const [name, next] of pages.filter(([n]) => !ONLY || ONLY.includes(n))) {
    const send = async () => {
      const res = await fetch(base + next(), { headers: { cookie } });
      await res.text();
      if (res.status !== 200) throw new Error(`${name} answered ${res.status}`);
    };
    for (let w = 0; w < 30; w++) await send();
    const cpu0 = cpuMs();
    const t0 = performance.now();
    for (let k = 0; k < REQUESTS; k++) await send();
    const cpu = (cpuMs() - cpu0) / REQUESTS;
    const wall = (performance.now() - t0) / REQUESTS;
    process.stdout.write(`${name.padEnd(18)} server CPU ${cpu.toFixed(2)} ms a request, wall ${wall.toFixed(2)} ms\n`);
  }
} finally {
  await server.stop();
}
