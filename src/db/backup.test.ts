// SQLite only: `stepwise backup` and `restore` use SQLite's online backup API; PostgreSQL is backed
// up with pg_dump or WAL archiving (README.md, "Backups"), and the commands refuse it (cli.test.ts).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import SQLite from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeContact, makeParticipant, makeTeam, makeUser } from '../../test/factories.ts';
import { TEST_SECRET, createTestApp, type TestApp } from '../../test/test-app.ts';
import { TEST_DIALECT } from '../../test/test-db.ts';
import { verifyChain } from '../audit/service.ts';
import { main } from '../cli.ts';
import { loadConfig } from '../config.ts';
import { createDeps } from '../deps.ts';
import type { User } from '../users/service.ts';
import { backupCommand, restoreCommand, secretFileFor } from './backup.ts';
import { createDb } from './create-db.ts';

const auditKeyFor = (secret: string) =>
  createDeps({ secret, clock: { now: () => new Date() }, sessionIdleMinutes: 30, sessionAbsoluteHours: 12 }).auditKey;

type Rows = Map<string, string[]>;

/** Every table's rows, each as JSON, read on a connection of its own. */
function readAllRows(file: string): Rows {
  const raw = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    const tables = raw
      .prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name")
      .pluck()
      .all() as string[];
    return new Map(
      tables.map((t) => [
        t,
        raw
          .prepare(`select * from "${t}"`)
          .all()
          .map((r) => JSON.stringify(r)),
      ]),
    );
  } finally {
    raw.close();
  }
}

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

async function run(env: NodeJS.ProcessEnv, args: string[]) {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await main(args, { stdin: Readable.from(['']), stdout, stderr, env });
  return { code, out: stdout.text, err: stderr.text };
}

describe.skipIf(TEST_DIALECT !== 'sqlite')('backup and restore (SQLite only)', () => {
  let t: TestApp;
  let dir: string;
  let sourceFile: string;
  let pat: User;
  let participantId: string;
  beforeEach(async () => {
    t = await createTestApp();
    dir = mkdtempSync(path.join(tmpdir(), 'stepwise-backup-'));
    sourceFile = t.testDb.url.slice('file:'.length);
    pat = await makeUser(t.db, t.deps, { role: 'practitioner', teamId: (await makeTeam(t.db, t.deps)).id });
    participantId = (await makeParticipant(t.db, t.deps, pat)).id;
  });
  afterEach(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const logOne = (n: number) =>
    t.db.transaction().execute((trx) => makeContact(trx, t.deps, pat, participantId, { notes: `Write number ${n}` }));

  it('backs up while contacts keep being written, and the restore holds every row there was at the start', async () => {
    for (let i = 0; i < 40; i++) await logOne(i);
    const atStart = readAllRows(sourceFile);

    // Another connection keeps writing through the service, yielding to the event loop between
    // writes as requests would; the backup copies a few pages per turn, so writes land mid-copy.
    let written = 40;
    let stop = false;
    const writer = (async () => {
      while (!stop) {
        await logOne(written);
        written += 1;
        await nextTurn();
      }
    })();
    const lines: string[] = [];
    const backupFile = path.join(dir, 'backups', 'one.db');
    const sourceConfig = loadConfig({ DATABASE_URL: t.testDb.url, STEPWISE_SECRET: TEST_SECRET, STEPWISE_DATA_DIR: dir });
    const writtenBefore = written;
    try {
      await backupCommand(sourceConfig, auditKeyFor, backupFile, (l) => lines.push(l), { pagesPerStep: 5, maxRestarts: 3 });
    } finally {
      stop = true;
      await writer;
    }
    expect(written).toBeGreaterThan(writtenBefore); // the load really ran during the copy
    expect(lines).toContain('The database changed during the copy; starting the copy again');
    expect(lines).toContain('The database changed during the copy again; copying the rest in one step');
    expect(lines.some((l) => /^Copied \d+% \(\d+ of \d+ pages\)$/.test(l))).toBe(true);
    expect(lines).toContain('Integrity check: ok');
    expect(statSync(backupFile).mode & 0o777).toBe(0o600);

    const restoredDir = path.join(dir, 'restored');
    const restoredConfig = loadConfig({ STEPWISE_SECRET: TEST_SECRET, STEPWISE_DATA_DIR: restoredDir });
    const check = await restoreCommand(restoredConfig, auditKeyFor, backupFile, () => {});
    expect(check).toMatchObject({ integrity: 'ok', foreignKeyProblems: 0, audit: { broken: null } });

    const restoredFile = path.join(restoredDir, 'stepwise.db');
    const restored = readAllRows(restoredFile);
    expect([...restored.keys()]).toEqual([...atStart.keys()]);
    for (const [table, rows] of atStart) {
      if (table === 'audit_head') continue; // rewritten by every audited write; checked below
      const now = new Set(restored.get(table));
      expect(
        rows.filter((r) => !now.has(r)),
        `rows of ${table} missing or changed`,
      ).toEqual([]);
    }

    const handle = createDb({ kind: 'sqlite', file: restoredFile });
    try {
      const contacts = await handle.db.selectFrom('contacts').select('id').execute();
      const logged = await handle.db
        .selectFrom('audit_events')
        .select('details')
        .where('action', '=', 'contact.logged')
        .execute();
      // One moment of the database: every contact has its audit event, and no event lacks its contact.
      expect(new Set(logged.map((e) => (JSON.parse(e.details ?? '{}') as { contact_id: string }).contact_id))).toEqual(
        new Set(contacts.map((c) => c.id)),
      );
      expect(contacts.length).toBeGreaterThanOrEqual(40);
      expect(contacts.length).toBeLessThanOrEqual(written);
      const head = await handle.db.selectFrom('audit_head').selectAll().executeTakeFirstOrThrow();
      const last = await handle.db
        .selectFrom('audit_events')
        .select(['seq', 'hash'])
        .orderBy('seq', 'desc')
        .executeTakeFirstOrThrow();
      expect({ seq: Number(head.seq), hash: head.hash }).toEqual({ seq: Number(last.seq), hash: last.hash });
      expect((await verifyChain(handle.db, t.deps.auditKey)).broken).toBeNull();
    } finally {
      await handle.destroy();
    }
  });

  describe('through the command line, with the secret in the data folder', () => {
    let env: NodeJS.ProcessEnv;
    let backupFile: string;
    const dataDir = () => path.join(dir, 'data');
    const freshFolder = (name: string) => ({ STEPWISE_DATA_DIR: path.join(dir, name) });
    beforeEach(async () => {
      // The service keeps its generated secret in its data folder; the test database's audit
      // trail was keyed with TEST_SECRET, so that is what the file holds.
      mkdirSync(dataDir(), { recursive: true });
      writeFileSync(path.join(dataDir(), 'secret'), `${TEST_SECRET}\n`, { mode: 0o600 });
      env = { DATABASE_URL: t.testDb.url, STEPWISE_DATA_DIR: dataDir() };
      await logOne(1);
      backupFile = path.join(dir, 'backups', 'b.db');
      const b = await run(env, ['backup', backupFile]);
      expect(b.err).toBe('');
      expect(b.code).toBe(0);
      expect(b.out).toContain(`Copied the secret to ${backupFile}.secret: keep it with the backup`);
      expect(b.out).toMatch(/Integrity check: ok\nForeign key check: ok\nAudit trail intact: \d+ events checked\n/);
    });

    it('copies the secret beside the backup, and a restore into a new folder brings it along', async () => {
      expect(readFileSync(secretFileFor(backupFile), 'utf8').trim()).toBe(TEST_SECRET);
      expect(statSync(secretFileFor(backupFile)).mode & 0o777).toBe(0o600);
      const r = await run(freshFolder('new'), ['restore', backupFile]);
      expect(r).toMatchObject({ code: 0, err: '' });
      expect(r.out).toMatch(/Restored: \d+ audit events verified/);
      expect(readFileSync(path.join(dir, 'new', 'secret'), 'utf8').trim()).toBe(TEST_SECRET);
      const verify = await run(freshFolder('new'), ['audit', 'verify']);
      expect(verify).toMatchObject({ code: 0, err: '' });
      const notes = readAllRows(path.join(dir, 'new', 'stepwise.db'))
        .get('contacts')!
        .join();
      expect(notes).toContain('Write number 1');
    });

    it('refuses to overwrite a backup', async () => {
      const again = await run(env, ['backup', backupFile]);
      expect(again.code).toBe(1);
      expect(again.err).toBe(`${backupFile}.secret already exists; give a new file name for the backup\n`);
    });

    it('refuses to back up a database that is not there, without creating one', async () => {
      const none = path.join(dir, 'none.db');
      const r = await run({ ...env, DATABASE_URL: `file:${none}` }, ['backup', path.join(dir, 'x.db')]);
      expect(r).toMatchObject({ code: 1, err: `There is no database at ${none} to back up\n` });
      expect(existsSync(none)).toBe(false);
      expect(existsSync(path.join(dir, 'x.db'))).toBe(false);
    });

    it('refuses to restore over a database, whether or not it holds data', async () => {
      const before = readAllRows(sourceFile);
      const r = await run(env, ['restore', backupFile]);
      expect(r.code).toBe(1);
      expect(r.err).toBe(
        `${sourceFile} already exists and holds data: restore only writes into an empty data folder; move the database aside or set STEPWISE_DATA_DIR to a new folder\n`,
      );
      expect(readAllRows(sourceFile)).toEqual(before);
      await createDb({ kind: 'sqlite', file: path.join(dir, 'empty', 'stepwise.db') }).destroy();
      const empty = await run(freshFolder('empty'), ['restore', backupFile]);
      expect(empty.code).toBe(1);
      expect(empty.err).toMatch(/stepwise\.db already exists: restore only writes into an empty data folder/);
    });

    it('refuses a backup whose audit trail was changed, and restores nothing', async () => {
      const raw = new SQLite(backupFile);
      raw.prepare("update audit_events set action = 'contact.viewed' where seq = 2").run();
      raw.close();
      const r = await run(freshFolder('new'), ['restore', backupFile]);
      expect(r.code).toBe(1);
      expect(r.out).toMatch(/Audit trail broken at event 2 /);
      expect(r.err).toBe(`The backup at ${backupFile} failed its check; nothing was restored\n`);
      expect(existsSync(path.join(dir, 'new', 'stepwise.db'))).toBe(false);
    });

    it('refuses a file that is not a database', async () => {
      writeFileSync(path.join(dir, 'junk.db'), 'not a database at all, just some text that is long enough');
      const r = await run({ ...freshFolder('new'), STEPWISE_SECRET: TEST_SECRET }, ['restore', path.join(dir, 'junk.db')]);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/junk\.db is not a readable SQLite database/);
      expect(existsSync(path.join(dir, 'new', 'stepwise.db'))).toBe(false);
    });

    it('refuses without the secret, or with a different one', async () => {
      const other = { ...freshFolder('new'), STEPWISE_SECRET: 'another-secret-that-is-long-enough-for-stepwise-0000' };
      const differs = await run(other, ['restore', backupFile]);
      expect(differs).toMatchObject({
        code: 1,
        err: `${backupFile}.secret differs from STEPWISE_SECRET; the restored audit trail would not verify\n`,
      });
      rmSync(secretFileFor(backupFile));
      const wrong = await run(other, ['restore', backupFile]);
      expect(wrong.code).toBe(1);
      expect(wrong.out).toMatch(/Audit trail broken at event 1 /);
      const none = await run(freshFolder('new'), ['restore', backupFile]);
      expect(none.code).toBe(1);
      expect(none.err).toMatch(/^No secret for this backup: put it in .*b\.db\.secret or set STEPWISE_SECRET/);
      expect(existsSync(path.join(dir, 'new', 'stepwise.db'))).toBe(false);
    });
  });
});
