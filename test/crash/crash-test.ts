// The crash test: starts the real server (`bin/stepwise.js serve`) as a child process, sends
// contacts and profile edits through the API from several concurrent writers, kills the server
// with SIGKILL at seeded random moments, restarts it and carries on. At the end it proves that
// every write the client saw acknowledged is in the database exactly once, that retrying a
// request with the same Idempotency-Key after a kill wrote nothing twice, that the SQLite file
// passes its integrity check and that the audit chain verifies.
//   npx tsx test/crash/crash-test.ts --kills 20 [--seed 7] [--postgres URL]
// `--postgres` (or TEST_DATABASE_URL with `--db postgres`) runs it on a fresh PostgreSQL database
// created beside the one named, and dropped afterwards.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { type Child, freePort, startChild } from '../../bench/http/processes.ts';
import { SYSTEM_CONTEXT, verifyChain } from '../../src/audit/service.ts';
import { createApiToken } from '../../src/auth/service.ts';
import { systemClock } from '../../src/clock.ts';
import { loadConfig, resolveSecret } from '../../src/config.ts';
import { createDb } from '../../src/db/create-db.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { createDeps } from '../../src/deps.ts';
import { makeParticipant, makeTeam, makeUser } from '../factories.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

export interface CrashOptions {
  /** SIGKILLs during write bursts. */
  kills: number;
  seed: number;
  /** A PostgreSQL URL to create a fresh database beside; absent runs on SQLite. */
  postgresUrl?: string | undefined;
  /** Concurrent contact writers (two more write profiles). */
  writers?: number;
  /** Longest time from a restart to the kill, in milliseconds. */
  maxBurstMs?: number;
  log?: (line: string) => void;
}

export interface CrashReport {
  database: 'sqlite' | 'postgres';
  kills: number;
  contactsSent: number;
  contactsAcknowledged: number;
  profileEditsAcknowledged: number;
  /** Requests cut off by a kill, sent again with the same key after the restart. */
  retried: number;
  /** Retries answered 409 "still being processed": the key was claimed but never completed. */
  stuckKeys: { withWrite: number; withoutWrite: number };
  replaysChecked: number;
  auditEventsChecked: number;
  /** Everything that went wrong; empty when the run proves what it should. */
  problems: string[];
}

interface Answer {
  status: number;
  replayed: boolean;
  body: string;
}

interface ContactOp {
  kind: 'contact';
  n: number;
  key: string;
  path: string;
  body: string;
}

interface ProfileOp {
  kind: 'profile';
  n: number;
  key: string;
  path: string;
  participant: string;
  body: string;
  skills: string;
}

type Op = ContactOp | ProfileOp;

/** A small seeded generator (mulberry32), so a failing run can be repeated exactly. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One request over `agent`; rejects when the connection breaks (as it does when the server dies). */
function send(agent: http.Agent, port: number, token: string, method: string, to: string, key?: string, body?: string) {
  return new Promise<Answer>((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method,
        path: to,
        agent,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(key ? { 'idempotency-key': key } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            replayed: res.headers['idempotent-replayed'] === 'true',
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const isPending = (a: Answer) => a.status === 409 && /still being processed/.test(a.body);

export async function runCrashTest(options: CrashOptions): Promise<CrashReport> {
  const log = options.log ?? (() => {});
  const random = seeded(options.seed);
  const writers = options.writers ?? 6;
  const maxBurstMs = options.maxBurstMs ?? 700;
  const runId = `${options.seed}-${randomBytes(3).toString('hex')}`;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'stepwise-crash-'));
  const problems: string[] = [];

  // ---- A database of its own ---------------------------------------------------------------
  let databaseUrl = '';
  let dropDatabase: (() => Promise<void>) | undefined;
  if (options.postgresUrl) {
    const name = `stepwise_crash_${randomBytes(5).toString('hex')}`;
    await adminQuery(options.postgresUrl, `create database ${name}`);
    const own = new URL(options.postgresUrl);
    own.pathname = `/${name}`;
    databaseUrl = own.toString();
    dropDatabase = () => adminQuery(options.postgresUrl!, `drop database if exists ${name} with (force)`);
  }
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    STEPWISE_DATA_DIR: dataDir,
    STEPWISE_SECRET: '',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    SMTP_URL: '',
    // Thousands of writes a minute from one token: the API rate limit would refuse most of them.
    STEPWISE_API_RATE_LIMIT: '0',
  };
  delete env.STEPWISE_SECRET; // the server reads (and here first makes) the data folder's secret
  const config = loadConfig(env);
  const deps = createDeps({
    secret: resolveSecret(config),
    clock: systemClock,
    sessionIdleMinutes: 30,
    sessionAbsoluteHours: 12,
  });
  const database = config.database.kind;

  try {
    // ---- One practitioner, their caseload and an API token, made before the server starts ----
    const setup = createDb(config.database);
    let token: string;
    let contactPeople: string[];
    let profilePeople: string[];
    try {
      await migrateToLatest(setup.db);
      const team = await makeTeam(setup.db, deps);
      const practitioner = await makeUser(setup.db, deps, { role: 'practitioner', teamId: team.id });
      const people = [];
      for (let i = 0; i < 6; i++) people.push((await makeParticipant(setup.db, deps, practitioner)).id);
      contactPeople = people.slice(0, 4);
      profilePeople = people.slice(4);
      token = (await createApiToken(setup.db, deps, SYSTEM_CONTEXT, practitioner.id, 'crash test')).token;
    } finally {
      await setup.destroy();
    }

    // ---- What the client saw ----------------------------------------------------------------
    let seq = 0;
    const acknowledged = new Map<string, Op>(); // key → op answered 2xx
    const ackedVersions: { participant: string; version: number; skills: string }[] = [];
    const unknown = new Map<string, Op>(); // cut off by a kill: no answer seen
    const stuck = new Map<string, Op>(); // retried and refused as still pending
    let contactsSent = 0;
    let retried = 0;
    let replaysChecked = 0;
    const version = new Map<string, number>(profilePeople.map((p) => [p, 0]));

    const contactOp = (): ContactOp => {
      const n = ++seq;
      const person = contactPeople[Math.floor(random() * contactPeople.length)]!;
      contactsSent++;
      return {
        kind: 'contact',
        n,
        key: `crash-${runId}-${n}`,
        path: `/api/v1/participants/${person}/contacts`,
        body: JSON.stringify({
          started_at: new Date(Date.now() - 3_600_000).toISOString(),
          duration_minutes: 30,
          mode: 'phone',
          place: 'remote',
          purpose: 'job_search',
          notes: `crash ${runId} #${n}#`,
        }),
      };
    };
    const profileOp = (participant: string): ProfileOp => {
      const n = ++seq;
      const skills = `crash ${runId} skills #${n}#`;
      return {
        kind: 'profile',
        n,
        key: `crash-${runId}-${n}`,
        path: `/api/v1/participants/${participant}/profile`,
        participant,
        skills,
        body: JSON.stringify({ version: version.get(participant), skills }),
      };
    };

    /** Records the answer to one op; `undefined` is no answer (the connection broke). */
    const settle = (op: Op, answer: Answer | undefined): void => {
      if (!answer) {
        unknown.set(op.key, op);
        return;
      }
      if (answer.status === 429) return; // refused before any work; a cut-off request stays to be retried
      unknown.delete(op.key);
      if (answer.status >= 200 && answer.status < 300) {
        acknowledged.set(op.key, op);
        if (op.kind === 'profile') {
          const saved = JSON.parse(answer.body) as { version: number; skills: string | null };
          if (saved.skills !== op.skills)
            problems.push(`profile edit ${op.key} answered ${answer.status} with skills ${saved.skills}`);
          ackedVersions.push({ participant: op.participant, version: saved.version, skills: op.skills });
          version.set(op.participant, saved.version);
        }
      } else if (isPending(answer)) {
        stuck.set(op.key, op);
      } else if (op.kind === 'contact') {
        problems.push(`contact ${op.key} answered ${answer.status}: ${answer.body.slice(0, 200)}`);
      }
    };

    const port = await freePort();
    const serverEnv = { ...env, PORT: String(port) };
    const logFile = path.join(dataDir, 'server.log');
    const start = () =>
      startChild({ args: [path.join(ROOT, 'bin/stepwise.js'), 'serve'], env: serverEnv, port, readyPath: '/healthz', logFile });
    const kill = async (child: Child) => {
      const proc = child.process;
      const gone = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill('SIGKILL');
        await gone;
      } else problems.push(`the server had already exited (${proc.exitCode ?? proc.signalCode}); see ${logFile}`);
    };

    const methodOf = (op: Op) => (op.kind === 'contact' ? 'POST' : 'PATCH');

    /** After a restart: a few answered requests again (each must replay), and the profiles' versions. */
    const afterRestartChecks = async (agent: http.Agent) => {
      const answered = [...acknowledged.values()];
      for (let i = 0; i < 3 && answered.length > 0; i++) {
        const op = answered[Math.floor(random() * answered.length)]!;
        const a = await send(agent, port, token, methodOf(op), op.path, op.key, op.body);
        replaysChecked++;
        if (!(a.status >= 200 && a.status < 300 && a.replayed))
          problems.push(`repeat of answered ${op.key} gave ${a.status} replayed=${a.replayed}, not the first answer`);
      }
      for (const p of profilePeople) {
        const a = await send(agent, port, token, 'GET', `/api/v1/participants/${p}/profile`);
        if (a.status !== 200) problems.push(`reading the profile of ${p} after a restart gave ${a.status}`);
        else version.set(p, (JSON.parse(a.body) as { version: number }).version);
      }
    };

    // ---- Bursts of writes, each ended by a SIGKILL ------------------------------------------
    for (let round = 0; round <= options.kills; round++) {
      const child = await start();
      const agent = new http.Agent({ keepAlive: true });
      try {
        for (const op of [...unknown.values()]) {
          retried++;
          settle(op, await send(agent, port, token, methodOf(op), op.path, op.key, op.body).catch(() => undefined));
        }
        await afterRestartChecks(agent);
      } catch (err) {
        problems.push(`after restart ${round}: ${err instanceof Error ? err.message : String(err)}`);
      }
      if (round === options.kills) {
        // The last life: nothing in flight, then killed too so the checks read a crashed database.
        await kill(child);
        agent.destroy();
        break;
      }
      let dead = false;
      const contactWriter = async () => {
        while (!dead) {
          const op = contactOp();
          const answer = await send(agent, port, token, 'POST', op.path, op.key, op.body).catch(() => undefined);
          settle(op, answer);
          if (answer?.status === 429) await sleep(50);
        }
      };
      const profileWriter = async (participant: string) => {
        while (!dead) {
          const op = profileOp(participant);
          const answer = await send(agent, port, token, 'PATCH', op.path, op.key, op.body).catch(() => undefined);
          settle(op, answer);
          if (answer && answer.status === 409 && !isPending(answer)) {
            // Another version got there first (or an earlier cut-off edit landed): read the current one.
            const now = await send(agent, port, token, 'GET', `/api/v1/participants/${participant}/profile`).catch(
              () => undefined,
            );
            if (now?.status === 200) version.set(participant, (JSON.parse(now.body) as { version: number }).version);
          }
        }
      };
      const burstMs = 20 + Math.floor(random() * maxBurstMs);
      const running = [...Array.from({ length: writers }, () => contactWriter()), ...profilePeople.map((p) => profileWriter(p))];
      await sleep(burstMs);
      dead = true;
      await kill(child);
      await Promise.all(running);
      agent.destroy();
      log(
        `kill ${round + 1}/${options.kills} after ${burstMs} ms (started in ${child.startMs.toFixed(0)} ms): ${acknowledged.size} acknowledged, ${unknown.size} cut off`,
      );
    }

    // ---- What the database holds ------------------------------------------------------------
    const check = createDb(config.database);
    let auditEventsChecked = 0;
    const stuckKeys = { withWrite: 0, withoutWrite: 0 };
    try {
      const db = check.db;
      const rows = await db.selectFrom('contacts').select(['id', 'notes']).where('notes', 'like', `crash ${runId} #%`).execute();
      const count = new Map<string, number>();
      const contactIds = new Map<string, string>();
      for (const r of rows) {
        const n = /#(\d+)#/.exec(r.notes ?? '')?.[1] ?? '?';
        count.set(n, (count.get(n) ?? 0) + 1);
        contactIds.set(n, r.id);
      }
      for (const [n, c] of count) if (c > 1) problems.push(`contact #${n} is stored ${c} times`);
      const ackedContacts = [...acknowledged.values()].filter((op) => op.kind === 'contact');
      for (const op of ackedContacts)
        if (!count.has(String(op.n))) problems.push(`contact ${op.key} was acknowledged but is not stored`);

      // Each stored contact's audit event, in the same transaction as the contact.
      const logged = await db.selectFrom('audit_events').select('details').where('action', '=', 'contact.logged').execute();
      const audited = new Set(logged.map((e) => (JSON.parse(e.details ?? '{}') as { contact_id?: string }).contact_id));
      for (const [n, id] of contactIds) if (!audited.has(id)) problems.push(`contact #${n} (${id}) has no audit event`);

      // Every acknowledged profile version, with the text that was sent.
      const versions = await db
        .selectFrom('profile_versions')
        .select(['participant_id', 'version', 'data'])
        .where('participant_id', 'in', profilePeople)
        .execute();
      const byVersion = new Map(versions.map((v) => [`${v.participant_id}:${Number(v.version)}`, v.data]));
      for (const v of ackedVersions) {
        const data = byVersion.get(`${v.participant}:${v.version}`);
        if (data === undefined) problems.push(`profile version ${v.version} of ${v.participant} was acknowledged but is missing`);
        else if ((JSON.parse(data) as { skills?: string }).skills !== v.skills)
          problems.push(`profile version ${v.version} of ${v.participant} holds other text than was acknowledged`);
      }
      for (const p of profilePeople) {
        const mine = versions.filter((v) => v.participant_id === p).map((v) => Number(v.version));
        const distinct = new Set(mine);
        if (distinct.size !== mine.length) problems.push(`profile of ${p} has a version stored twice`);
      }

      // Keys claimed but never completed: their requests would be refused as "still being processed".
      for (const op of stuck.values()) {
        const stored =
          op.kind === 'contact'
            ? count.has(String(op.n))
            : versions.some((v) => (JSON.parse(v.data) as { skills?: string }).skills === op.skills);
        if (stored) stuckKeys.withWrite++;
        else stuckKeys.withoutWrite++;
      }
      // The key and the write commit together, so a retry after a crash is either answered from
      // the key or done afresh: never refused as still being processed.
      if (stuck.size > 0)
        problems.push(
          `${stuck.size} retried requests were refused as still being processed (${stuckKeys.withWrite} with their write stored)`,
        );

      const chain = await verifyChain(db, deps.auditKey);
      auditEventsChecked = chain.checked;
      if (chain.broken) problems.push(`audit chain broken at ${chain.broken.seq}: ${chain.broken.reason}`);
    } finally {
      await check.destroy();
    }
    if (config.database.kind === 'sqlite') {
      const file = new SQLite(config.database.file);
      try {
        const result = file.pragma('integrity_check', { simple: true });
        if (result !== 'ok') problems.push(`SQLite integrity_check: ${String(result)}`);
        const fk = file.pragma('foreign_key_check') as unknown[];
        if (fk.length > 0) problems.push(`SQLite foreign_key_check: ${fk.length} rows`);
      } finally {
        file.close();
      }
    }

    return {
      database,
      kills: options.kills,
      contactsSent,
      contactsAcknowledged: [...acknowledged.values()].filter((op) => op.kind === 'contact').length,
      profileEditsAcknowledged: ackedVersions.length,
      retried,
      stuckKeys,
      replaysChecked,
      auditEventsChecked,
      problems,
    };
  } finally {
    // Kept when something went wrong: the server's log and the database are the evidence.
    if (problems.length === 0) {
      await dropDatabase?.();
      rmSync(dataDir, { recursive: true, force: true });
    } else log(`kept for inspection: ${dataDir}${databaseUrl ? ` and ${databaseUrl}` : ''}`);
  }
}

async function adminQuery(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

function argValue(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const kills = Number(argValue(args, '--kills') ?? 20);
  const seed = Number(argValue(args, '--seed') ?? Date.now() % 100_000);
  const postgresUrl =
    argValue(args, '--postgres') ?? (argValue(args, '--db') === 'postgres' ? process.env.TEST_DATABASE_URL : undefined);
  const say = (line: string) => process.stdout.write(`${line}\n`);
  say(`crash test: ${kills} kills, seed ${seed}, ${postgresUrl ? 'PostgreSQL' : 'SQLite'}`);
  const report = await runCrashTest({ kills, seed, postgresUrl, log: say });
  const { problems, ...summary } = report;
  say(JSON.stringify(summary, null, 2));
  for (const p of problems) say(`PROBLEM: ${p}`);
  say(problems.length === 0 ? 'Nothing acknowledged was lost or duplicated.' : `${problems.length} problem(s)`);
  process.exitCode = problems.length === 0 ? 0 : 1;
}
