// `npm run bench`: starts the real server on the large synthetic service (`npm run bench:data`)
// and drives it over HTTP at 1, 10 and 50 connections through the paths people use most, beside
// a bare Fastify "ceiling" on the same database. Writes the table into docs/performance.md and
// exits non-zero if any request failed or a logged contact was lost or duplicated.
//   npm run bench                                                         SQLite in data/bench
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench npm run bench   PostgreSQL
// BENCH_DURATION (seconds a run, default 10), BENCH_CONNECTIONS (default 1,10,50),
// BENCH_PATHS (comma-separated path names to run only those), BENCH_COLD_STARTS (default 3),
// BENCH_WRITE_DOCS=false to leave docs/performance.md alone, BENCH_CPU_PROF=DIR to profile the server.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SYSTEM_CONTEXT } from '../src/audit/service.ts';
import { createApiToken } from '../src/auth/service.ts';
import { systemClock } from '../src/clock.ts';
import { databaseTarget, loadConfig, resolveSecret } from '../src/config.ts';
import { createDb } from '../src/db/create-db.ts';
import { createDeps } from '../src/deps.ts';
import { BENCH_PASSWORD, benchEmail, benchTarget } from './fixtures.ts';
import { form, getOk, signIn, signInForm } from './http/browser.ts';
import { type LoadRequest, type LoadResult, runLoad } from './http/load.ts';
import * as lookup from './http/lookup.ts';
import { type Child, freePort, sampleMemory, startChild } from './http/processes.ts';
import { type PathResults, type Target, replaceSection, resultTable, targetTable } from './http/report.ts';

const DURATION_S = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = (process.env.BENCH_CONNECTIONS ?? '1,10,50').split(',').map(Number);
const ONLY = process.env.BENCH_PATHS?.split(',').map((s) => s.trim());
const COLD_STARTS = Math.max(1, Number(process.env.BENCH_COLD_STARTS ?? 3));
const WRITE_DOCS = process.env.BENCH_WRITE_DOCS !== 'false';
const DOCS = path.resolve('docs/performance.md');

const say = (line: string) => process.stdout.write(`${line}\n`);
const mib = (kib: number) => kib / 1024;

const { dataDir: rawDir, databaseUrl } = benchTarget();
const dataDir = path.resolve(rawDir);
const target = databaseTarget(databaseUrl, dataDir);
const dbKey = target.kind === 'sqlite' ? 'sqlite' : 'postgresql';
if (target.kind === 'sqlite' && !existsSync(target.file)) {
  process.stderr.write(`No large service at ${target.file}: run \`npm run bench:data -- --scale 1\` first.\n`);
  process.exit(1);
}
// The server's own secret for this data (the audit chain is keyed by it): STEPWISE_SECRET, else the
// one kept in the data folder, exactly as `stepwise serve` would find it.
const secret = resolveSecret(loadConfig({ ...process.env, STEPWISE_DATA_DIR: dataDir }));
const logDir = mkdtempSync(path.join(os.tmpdir(), 'stepwise-bench-http-'));

const children: Child[] = [];
const stopAll = async () => {
  for (const c of children.splice(0).reverse()) await c.stop();
};
process.once('SIGINT', () => void stopAll().finally(() => process.exit(130)));
process.once('SIGTERM', () => void stopAll().finally(() => process.exit(143)));

// Other work on the machine skews every figure: say how busy it was.
const loadBefore = os.loadavg()[0]!;
if (loadBefore > 1) say(`Warning: load average ${loadBefore.toFixed(2)} before the run; the figures will be noisy.`);
const handle = createDb(target);
const db = handle.db;
let failed: boolean | undefined;
try {
  // ---- Who signs in and what they open -------------------------------------------------------
  const practitioner = await lookup.userByEmail(db, benchEmail('practitioner', 1));
  const writer = await lookup.userByEmail(db, benchEmail('practitioner', 2));
  if (!practitioner?.team_id || !writer)
    throw new Error(
      `No ${benchEmail('practitioner', 1)} in ${target.kind === 'sqlite' ? target.file : 'the database'}: load it with npm run bench:data`,
    );
  const manager = (await lookup.managerOf(db, practitioner.team_id)) ?? (await lookup.userByEmail(db, benchEmail('manager', 1)));
  if (!manager) throw new Error('No manager to sign in as');
  const commissioner = await lookup.anyUserWithRole(db, 'commissioner');
  const people = await lookup.caseload(db, practitioner.id);
  // Contacts are written to another practitioner's people, so the pages read here do not grow run by run.
  const writePeople = await lookup.caseload(db, writer.id);
  if (people.length === 0 || writePeople.length === 0)
    throw new Error('practitioner1 or practitioner2 has nobody on their caseload');
  // Partial names as people type them: the start of family names on this practitioner's caseload.
  const terms = [...new Set(people.map((p) => p.family_name.slice(0, 4).toLowerCase()))];
  const size = await lookup.serviceSize(db);
  const dbVersion = await lookup.databaseVersion(db, handle.dialect);
  const signInUsers = Array.from({ length: Math.min(20, size.users.practitioner ?? 1) }, (_, i) =>
    benchEmail('practitioner', i + 1),
  );
  const deps = createDeps({ secret, clock: systemClock, sessionIdleMinutes: 30, sessionAbsoluteHours: 12 });
  const { token } = await createApiToken(
    db,
    deps,
    { ...SYSTEM_CONTEXT, actorLabel: 'npm run bench' },
    writer.id,
    'npm run bench',
  );
  say(`${dbVersion}: ${size.participants} participants, ${size.contacts} contacts, ${size.openVacancies} open vacancies`);

  // ---- Cold start: spawn to the first page served, the last start stays up -------------------
  const port = await freePort();
  const env = {
    ...process.env,
    DATABASE_URL: databaseUrl ?? '',
    STEPWISE_DATA_DIR: dataDir,
    STEPWISE_SECRET: secret,
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
    SMTP_URL: '',
    // Load, not abuse: the API rate limit would answer most of it with 429.
    STEPWISE_API_RATE_LIMIT: '0',
  };
  const starts: number[] = [];
  let server: Child | undefined;
  for (let i = 0; i < COLD_STARTS; i++) {
    server = await startChild({
      // BENCH_CPU_PROF=DIR writes the server's V8 CPU profile there when it stops.
      args: [
        ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []),
        'bin/stepwise.js',
        'serve',
      ],
      env,
      port,
      readyPath: '/sign-in',
      logFile: path.join(logDir, 'server.log'),
    });
    starts.push(server.startMs);
    say(`cold start ${i + 1}: ${server.startMs.toFixed(0)} ms to GET /sign-in 200`);
    if (i < COLD_STARTS - 1) await server.stop();
  }
  children.push(server!);
  const memory = sampleMemory(server!.pid);
  const idleKiB = memory.nowKiB();
  const base = server!.baseUrl;

  const ceilingPort = await freePort();
  const ceilingServer = await startChild({
    args: ['--import', 'tsx', 'bench/ceiling.ts'],
    env: { ...env, PORT: String(ceilingPort), LOG_LEVEL: 'silent' },
    port: ceilingPort,
    readyPath: `/participants/${people[0]!.id}`,
    logFile: path.join(logDir, 'ceiling.log'),
  });
  children.push(ceilingServer);

  // ---- Signed in as a browser would be ---------------------------------------------------------
  const practitionerJar = await signIn(base, practitioner.email, BENCH_PASSWORD);
  const managerJar = await signIn(base, manager.email, BENCH_PASSWORD);
  const commissionerJar = commissioner ? await signIn(base, commissioner.email, BENCH_PASSWORD) : undefined;
  const signInPage = await signInForm(base);
  const asPractitioner = { cookie: practitionerJar.header() };
  const asManager = { cookie: managerJar.header() };

  const rotate = <T>(xs: readonly T[]) => {
    let i = 0;
    return () => xs[i++ % xs.length]!;
  };
  const get = (paths: () => string, headers: Record<string, string>): LoadRequest => ({
    method: 'GET',
    next: () => ({ path: paths(), headers }),
    ok: [200],
  });
  const person = rotate(people.map((p) => p.id));

  // Contact logging: each request a unique Idempotency-Key and a numbered note, so afterwards
  // every answered write can be found exactly once in the database.
  const runId = `bench-http ${Date.now().toString(36)}`;
  let seq = 0;
  const answered = new Set<string>();
  const sentTo = new Map<string, string>();
  const writeTo = rotate(writePeople.map((p) => p.id));
  const contactWrite: LoadRequest = {
    method: 'POST',
    next: () => {
      const n = ++seq;
      const to = `/api/v1/participants/${writeTo()}/contacts`;
      sentTo.set(String(n), to);
      return {
        path: to,
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'idempotency-key': `bench-${runId.slice(11)}-${n}`,
        },
        body: JSON.stringify({
          started_at: new Date(Date.now() - 3_600_000).toISOString(),
          duration_minutes: 30,
          mode: 'phone',
          place: 'remote',
          purpose: 'job_search',
          notes: `${runId} #${n}#`,
        }),
      };
    },
    ok: [201],
    onBody: (status, body) => {
      const m = /#(\d+)#/.exec(body);
      if (status === 201 && m) answered.add(m[1]!);
    },
  };

  type BenchPath = { name: string; request: string; load: LoadRequest; connections?: number[]; amount?: number };
  const paths: BenchPath[] = [
    {
      name: 'sign-in',
      request: 'POST /sign-in (20 practitioners in turn)',
      load: (() => {
        const email = rotate(signInUsers);
        return {
          method: 'POST',
          next: () => ({
            path: '/sign-in',
            headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: signInPage.cookie },
            body: form({ email: email(), password: BENCH_PASSWORD, _csrf: signInPage.token }),
          }),
          ok: [302, 303],
        } satisfies LoadRequest;
      })(),
    },
    { name: 'caseload dashboard', request: 'GET /caseload (practitioner1)', load: get(() => '/caseload', asPractitioner) },
    {
      name: 'participant page',
      request: `GET /participants/:id (${people.length} people in turn)`,
      load: get(() => `/participants/${person()}`, asPractitioner),
    },
    {
      name: 'timeline',
      request: 'GET /participants/:id/timeline',
      load: get(() => `/participants/${person()}/timeline`, asPractitioner),
    },
    { name: 'contact logging', request: 'POST /api/v1/participants/:id/contacts (practitioner2)', load: contactWrite },
    {
      name: 'participant search',
      request: `GET /participants?q= (${terms.length} partial names)`,
      load: get(
        (() => {
          const term = rotate(terms);
          return () => `/participants?q=${encodeURIComponent(term())}`;
        })(),
        asPractitioner,
      ),
    },
    {
      name: 'ranked vacancies',
      request: 'GET /participants/:id/matches',
      load: get(() => `/participants/${person()}/matches`, asPractitioner),
    },
    {
      name: 'team dashboard',
      request: `GET /team-dashboard (${manager.email.split('@')[0]})`,
      load: get(() => '/team-dashboard', asManager),
    },
    {
      name: 'outcome report',
      request: 'GET /reports/outcomes (manager, their team)',
      load: get(() => '/reports/outcomes', asManager),
    },
    ...(commissionerJar
      ? [
          {
            name: 'outcome report, whole service',
            request: 'GET /reports/outcomes (commissioner; 10 requests)',
            load: get(() => '/reports/outcomes', { cookie: commissionerJar.header() }),
            // One commissioner at a time: a whole-service report under 50 at once is not a real load.
            connections: [1],
            amount: 10,
          },
        ]
      : []),
  ];
  const ceilingPath = {
    name: 'ceiling',
    request: 'bare Fastify, one participant row by id',
    load: get(() => `/participants/${person()}`, {}),
  };

  // ---- Load ------------------------------------------------------------------------------------
  const run = async (p: BenchPath, url: string) => {
    // Warm up (caches, prepared statements, template compilation) and check the path answers.
    if (p.load.method === 'GET')
      for (let i = 0; i < 5; i++) {
        const r = p.load.next();
        await getOk(url, r.path, r.headers ?? {});
      }
    const runs: LoadResult[] = [];
    for (const connections of p.connections ?? CONNECTIONS) {
      const r = await runLoad(url, p.load, { connections, durationS: DURATION_S, ...(p.amount ? { amount: p.amount } : {}) });
      runs.push(r);
      say(
        `${p.name.padEnd(30)} ${String(connections).padStart(2)} conn  p50 ${r.p50.toFixed(1)}  p95 ${r.p95.toFixed(1)}  p99 ${r.p99.toFixed(1)} ms  ${r.rps.toFixed(0)}/s  errors ${r.errors}  rss ${mib(memory.nowKiB()).toFixed(0)} MiB`,
      );
      if (r.errors > 0) say(`  statuses: ${JSON.stringify(r.statuses)}, timeouts ${r.timeouts}`);
    }
    return { name: p.name, request: p.request, runs } satisfies PathResults;
  };
  const ceiling = await run(ceilingPath, ceilingServer.baseUrl);
  const results: PathResults[] = [];
  for (const p of paths) if (!ONLY || ONLY.includes(p.name)) results.push(await run(p, base));

  // ---- No lost or duplicated write ----------------------------------------------------------
  let writeCheck: string | undefined;
  let writesOk = true;
  if (results.some((r) => r.name === 'contact logging')) {
    // Requests in flight when a run stopped may still be committing.
    await new Promise((r) => setTimeout(r, 1_000));
    const stored = (await lookup.contactNotesLike(db, writer.id, `${runId} #`)).map((n) => /#(\d+)#/.exec(n)?.[1] ?? '');
    const distinct = new Set(stored);
    const lost = [...answered].filter((n) => !distinct.has(n));
    const duplicated = stored.length - distinct.size;
    const unanswered = [...distinct].filter((n) => !answered.has(n)).length;
    // A repeat with a used key must give back the first answer and write nothing.
    const before = stored.length;
    const repeats = [...answered].slice(0, 20);
    let replayed = 0;
    for (const n of repeats) {
      // The same request again: a key is bound to its path, so the same person too.
      const res = await fetch(`${base}${sentTo.get(n)!}`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'idempotency-key': `bench-${runId.slice(11)}-${n}`,
        },
        body: JSON.stringify({
          started_at: new Date().toISOString(),
          duration_minutes: 30,
          mode: 'phone',
          place: 'remote',
          purpose: 'job_search',
          notes: `${runId} #${n}#`,
        }),
      });
      await res.arrayBuffer();
      if (res.status === 201 && res.headers.get('idempotent-replayed') === 'true') replayed++;
    }
    const after = (await lookup.contactNotesLike(db, writer.id, `${runId} #`)).length;
    writesOk = lost.length === 0 && duplicated === 0 && replayed === repeats.length && after === before;
    writeCheck =
      `${answered.size} contacts answered 201; ${stored.length} rows written, ${distinct.size} distinct; ` +
      `${lost.length} answered but missing, ${duplicated} duplicated, ${unanswered} written but unanswered (in flight when a run stopped); ` +
      `${replayed} of ${repeats.length} repeats with a used Idempotency-Key replayed the first answer, rows ${before} → ${after}`;
    say(`writes: ${writeCheck}${writesOk ? '' : '  FAILED'}`);
  }

  const mem = memory.stop();
  await stopAll();
  const peakMiB = mib(Math.max(mem.peakKiB, mem.hwmKiB));

  // ---- Targets and report ----------------------------------------------------------------------
  const at = (name: string, connections: number) =>
    results.find((r) => r.name === name)?.runs.find((r) => r.connections === connections);
  const targets: Target[] = [];
  const check = (what: string, name: string, connections: number, stat: 'p50' | 'p95', limitMs: number) => {
    const r = at(name, connections);
    if (r)
      targets.push({
        what,
        target: `${stat} < ${limitMs} ms at ${connections} connection${connections === 1 ? '' : 's'}`,
        measured: `${r[stat].toFixed(1)} ms`,
        met: r[stat] < limitMs && r.errors === 0,
      });
  };
  check('caseload dashboard', 'caseload dashboard', 10, 'p95', 50);
  check('participant page', 'participant page', 10, 'p95', 50);
  check('logging a contact', 'contact logging', 10, 'p95', 30);
  if (writeCheck)
    targets.push({ what: 'logging a contact', target: 'no lost or duplicated write', measured: writeCheck, met: writesOk });
  check('participant search', 'participant search', 10, 'p95', 50);
  check(
    `ranking ${size.openVacancies.toLocaleString('en-GB')} open vacancies (the whole page)`,
    'ranked vacancies',
    1,
    'p50',
    20,
  );
  check('outcome report, manager', 'outcome report', 1, 'p95', 1000);
  check('outcome report, whole service', 'outcome report, whole service', 1, 'p95', 1000);
  targets.push({
    what: 'server memory',
    target: 'peak < 300 MB',
    measured: `${peakMiB.toFixed(0)} MiB (${(peakMiB * 1.048576).toFixed(0)} MB) resident at peak, ${mib(idleKiB).toFixed(0)} MiB after start`,
    met: peakMiB * 1.048576 < 300,
  });
  const coldSorted = [...starts].sort((a, b) => a - b);
  const coldMedian = coldSorted[Math.floor(coldSorted.length / 2)]!;
  targets.push({
    what: 'cold start to first served page',
    target: '< 1.5 s',
    measured: `${(coldMedian / 1000).toFixed(2)} s median of ${starts.length} (${starts.map((s) => (s / 1000).toFixed(2)).join(', ')})`,
    met: coldMedian < 1500,
  });

  const errors = [ceiling, ...results].flatMap((p) => p.runs).reduce((n, r) => n + r.errors, 0);
  failed = errors > 0 || !writesOk;
  const table = resultTable(results, ceiling);
  const date = new Date().toISOString().slice(0, 10);
  const cpu = os.cpus()[0]?.model.trim() ?? 'unknown CPU';
  const command = [
    databaseUrl
      ? `DATABASE_URL=${databaseUrl.replace(/\/\/[^@/]*@/, '//…@')}`
      : rawDir !== 'data/bench'
        ? `BENCH_DATA_DIR=${rawDir}`
        : '',
    process.env.BENCH_DURATION ? `BENCH_DURATION=${DURATION_S}` : '',
    process.env.BENCH_CONNECTIONS ? `BENCH_CONNECTIONS=${CONNECTIONS.join(',')}` : '',
    process.env.BENCH_PATHS ? `BENCH_PATHS='${ONLY?.join(',')}'` : '',
    'npm run bench',
  ]
    .filter(Boolean)
    .join(' ');
  const scale = size.participants / 20_000;
  const section = `## ${date}: HTTP benchmark, ${target.kind === 'sqlite' ? 'SQLite' : 'PostgreSQL'} (issue 11)

Written by \`npm run bench\`; a new run replaces this section.

- Command: \`${command}\`, after \`npm run bench:data -- --scale ${Number.isInteger(scale) ? scale : scale.toFixed(2)}\`
- Machine: ${os.availableParallelism()} cores (${cpu}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node.js ${process.version}, ${os.type()} ${os.release()}
- Database: ${dbVersion}${target.kind === 'sqlite' ? ` (${path.relative(process.cwd(), target.file)})` : ''}
- Data: ${size.participants.toLocaleString('en-GB')} participants, ${size.contacts.toLocaleString('en-GB')} contacts, ${size.employers.toLocaleString('en-GB')} employers, ${size.vacancies.toLocaleString('en-GB')} vacancies (${size.openVacancies.toLocaleString('en-GB')} open), ${size.placements.toLocaleString('en-GB')} placements; users ${Object.entries(
    size.users,
  )
    .map(([role, n]) => `${n} ${role}`)
    .join(', ')}
- Each row: autocannon for ${DURATION_S} s after 5 warm-up requests; the server logs at \`${env.LOG_LEVEL}\` to a file, as deployed. Latency is of the answers counted as served (200, or 201 for the API write, or the redirect of a sign-in); errors are any other answer, connection errors and timeouts (30 s). The ceiling is a bare Fastify route in its own process on the same database (\`bench/ceiling.ts\`) reading one participant row by id; share of ceiling is requests/s over the ceiling's at the same connections.
- Server: cold start ${starts.map((s) => `${s.toFixed(0)} ms`).join(', ')} (spawn of \`node bin/stepwise.js serve\` to the first \`GET /sign-in\` answered 200); resident memory ${mib(idleKiB).toFixed(0)} MiB after start, ${peakMiB.toFixed(0)} MiB at peak (\`/proc\` VmRSS every 100 ms and VmHWM).
- Load average (1 minute) when the run began: ${loadBefore.toFixed(2)}. Errors in the whole run: ${errors}.

${table}

${targetTable(targets)}
`;
  say(`\n${table}\n\n${targetTable(targets)}\n`);
  if (WRITE_DOCS) {
    writeFileSync(DOCS, replaceSection(readFileSync(DOCS, 'utf8'), dbKey, section));
    say(`Written to ${path.relative(process.cwd(), DOCS)} (section bench:http:${dbKey}).`);
  }
  if (failed)
    say(`\nFAILED: ${errors} request(s) failed${writesOk ? '' : ', and the write check failed'}. Server log: ${logDir}`);
} catch (err) {
  failed = true;
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\nLogs: ${logDir}\n`);
} finally {
  await stopAll();
  await handle.destroy();
}
process.exit(failed === false ? 0 : 1);
