import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from './app.ts';
import { main } from './cli.ts';
import { systemClock } from './clock.ts';
import { createDeps } from './deps.ts';
import { createTestDb, type TestDb } from '../test/test-db.ts';
import { type ErrorBody, TEST_SECRET } from '../test/test-app.ts';
import * as users from './users/service.ts';
import * as auth from './auth/service.ts';
import { SYSTEM_CONTEXT } from './audit/service.ts';
import { DEMO_PASSWORD } from './demo/index.ts';
import { TEST_DIALECT } from '../test/test-db.ts';

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

let testDb: TestDb;
beforeEach(async () => {
  testDb = await createTestDb();
});
afterEach(async () => {
  await testDb.cleanup();
});

async function run(args: string[], stdinText = ''): Promise<{ code: number | undefined; out: string; err: string }> {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await main(args, {
    stdin: Readable.from([stdinText]),
    stdout,
    stderr,
    env: { DATABASE_URL: testDb.url, STEPWISE_SECRET: TEST_SECRET },
  });
  return { code, out: stdout.text, err: stderr.text };
}

const createPractitioner = () =>
  run(['users', 'create', '--email', 'p@example.org', '--name', 'P', '--role', 'practitioner'], 'a-Long-passw0rd!\n');

describe('stepwise users create', () => {
  it('creates a user with the password from standard input', async () => {
    const r = await createPractitioner();
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out).toContain('Created practitioner p@example.org');
    const user = await users.findByEmail(testDb.db, 'p@example.org');
    expect(user?.role).toBe('practitioner');
    const row = await users.findForSignIn(testDb.db, 'p@example.org');
    expect(await users.checkPassword(row?.password_hash, 'a-Long-passw0rd!')).toBe(true);
  });

  it('creates the named team when it does not exist yet, and reuses it after', async () => {
    await run(
      ['users', 'create', '--email', 'a@example.org', '--name', 'A', '--role', 'practitioner', '--team', 'North IPS'],
      'a-Long-passw0rd!',
    );
    const r = await run(
      ['users', 'create', '--email', 'b@example.org', '--name', 'B', '--role', 'manager', '--team', 'north ips'],
      'a-Long-passw0rd!',
    );
    expect(r.code).toBe(0);
    const a = await users.findByEmail(testDb.db, 'a@example.org');
    const b = await users.findByEmail(testDb.db, 'b@example.org');
    expect(a?.teamId).toBeTruthy();
    expect(b?.teamId).toBe(a?.teamId);
  });

  it.each([
    [
      ['--role', 'wizard'],
      'a-Long-passw0rd!',
      /^Unknown role "wizard"\. Use one of: admin, manager, practitioner, clinician, commissioner\n$/,
    ],
    [['--role', 'practitioner'], 'short', /^Password must be at least 12 characters\n$/],
  ])('refuses %j with one clear line and exit status 1', async (extra, password, message) => {
    const r = await run(['users', 'create', '--email', 'x@example.org', '--name', 'X', ...extra], password);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(message);
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  it('refuses a duplicate email with exit status 1', async () => {
    await createPractitioner();
    const r = await createPractitioner();
    expect(r.code).toBe(1);
    expect(r.err).toBe('An account with this email address already exists\n');
  });

  it('prints help and exits 0', async () => {
    const r = await run(['users', 'create', '--help']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('--email <email>');
  });
});

describe('stepwise tokens create', () => {
  it('prints a token alone on its line that authenticates the API until revoked', async () => {
    await createPractitioner();
    const r = await run(['tokens', 'create', '--email', 'p@example.org', '--name', 'reports']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^swt_[A-Za-z0-9_-]{40,}\n$/);
    const token = r.out.trim();
    const deps = createDeps({ secret: TEST_SECRET, clock: systemClock, sessionIdleMinutes: 30, sessionAbsoluteHours: 12 });
    const app = await buildApp({ db: testDb.db, deps, secret: TEST_SECRET });
    try {
      const me = await app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } });
      expect(me.statusCode).toBe(200);
      expect(me.json()).toMatchObject({ email: 'p@example.org', role: 'practitioner' });
      const wrong = await app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${token}x` } });
      expect(wrong.statusCode).toBe(401);
      expect(wrong.json<ErrorBody>()).toEqual({ error: { code: 'unauthenticated', message: expect.any(String) as string } });
      const user = await users.findByEmail(testDb.db, 'p@example.org');
      const [record] = await auth.listApiTokens(testDb.db, user!.id);
      await auth.revokeApiToken(testDb.db, deps, SYSTEM_CONTEXT, user!.id, record!.id);
      const revoked = await app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } });
      expect(revoked.statusCode).toBe(401);
      expect(revoked.json<ErrorBody>().error.code).toBe('unauthenticated');
    } finally {
      await app.close();
    }
  });

  it('refuses an unknown email with exit status 1', async () => {
    const r = await run(['tokens', 'create', '--email', 'nobody@example.org']);
    expect(r.code).toBe(1);
    expect(r.err).toBe('No user has the email address nobody@example.org\n');
  });
});

describe('stepwise audit verify', () => {
  it('passes on an untouched trail and names the first event edited by hand', async () => {
    await createPractitioner();
    await run(['tokens', 'create', '--email', 'p@example.org']);
    const ok = await run(['audit', 'verify']);
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/Audit trail intact: \d+ events checked/);

    const target = await testDb.db
      .selectFrom('audit_events')
      .select(['seq', 'id'])
      .where('action', '=', 'user.created')
      .executeTakeFirstOrThrow();
    await testDb.db.updateTable('audit_events').set({ actor_label: 'someone else' }).where('id', '=', target.id).execute();
    const broken = await run(['audit', 'verify']);
    expect(broken.code).toBe(1);
    expect(broken.err).toContain(`Audit trail broken at event ${Number(target.seq)} (id ${target.id})`);
    expect(broken.err).toContain('changed after it was written');
  });

  it('notices an event deleted from the middle and from the end', async () => {
    await createPractitioner();
    for (let i = 0; i < 3; i++) await run(['tokens', 'create', '--email', 'p@example.org']);
    const all = await testDb.db.selectFrom('audit_events').select(['seq', 'id']).orderBy('seq').execute();
    expect(all.length).toBeGreaterThanOrEqual(4);
    const last = all[all.length - 1]!;
    await testDb.db.deleteFrom('audit_events').where('id', '=', last.id).execute();
    const tail = await run(['audit', 'verify']);
    expect(tail.code).toBe(1);
    expect(tail.err).toContain('were removed');

    await testDb.db.deleteFrom('audit_events').where('id', '=', all[1]!.id).execute();
    const middle = await run(['audit', 'verify']);
    expect(middle.code).toBe(1);
    expect(middle.err).toContain(`event ${Number(all[2]!.seq)}`);
  });
});

describe('stepwise migrate', () => {
  it('reports an up-to-date database', async () => {
    const r = await run(['migrate']);
    expect(r).toMatchObject({ code: 0, out: 'The database is up to date\n' });
  });
});

describe('stepwise demo', () => {
  it('loads the demo, prints a sign-in for every role with the shared password, and refuses a second time', async () => {
    const first = await run(['demo']);
    expect(first.err).toBe('');
    expect(first.code).toBe(0);
    for (const email of [
      'admin@demo.example.org',
      'manager.northgate@demo.example.org',
      'manager.riverside@demo.example.org',
      'specialist1.northgate@demo.example.org',
      'clinician.northgate@demo.example.org',
      'commissioner@demo.example.org',
      'coach.internships@demo.example.org',
      'manager.internships@demo.example.org',
    ])
      expect(first.out).toContain(email);
    expect(first.out).toContain(`Password for every demo account: ${DEMO_PASSWORD}`);
    expect(first.out).toContain('npm start');

    const second = await run(['demo']);
    expect(second.code).toBe(1);
    expect(second.err).toMatch(/^The database already holds data\..*\n$/);
  }, 180_000);
});

// Backup and restore are for SQLite (more cases in src/db/backup.test.ts); on PostgreSQL they refuse.
describe('stepwise backup and restore', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'stepwise-cli-backup-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  const runIn = async (env: NodeJS.ProcessEnv, args: string[]) => {
    const stdout = new Capture();
    const stderr = new Capture();
    const code = await main(args, { stdin: Readable.from(['']), stdout, stderr, env: { STEPWISE_SECRET: TEST_SECRET, ...env } });
    return { code, out: stdout.text, err: stderr.text };
  };

  it.skipIf(TEST_DIALECT !== 'sqlite')(
    'backs up the live database, checks the copy, and restores it into a new data folder',
    async () => {
      await createPractitioner();
      const file = path.join(dir, 'nightly.db');
      const backup = await run(['backup', file]);
      expect(backup.err).toBe('');
      expect(backup.code).toBe(0);
      expect(backup.out).toMatch(
        /^Backing up .* to .*nightly\.db\nCopied 0% \(0 of \d+ pages\)\n(.*\n)*Copied 100% \(\d+ pages\)\n/,
      );
      expect(backup.out).toContain('The secret comes from STEPWISE_SECRET: keep that value with the backup');
      expect(backup.out).toMatch(
        /Integrity check: ok\nForeign key check: ok\nAudit trail intact: \d+ events checked\nBackup complete: /,
      );
      expect(existsSync(`${file}.secret`)).toBe(false);

      const restoredFolder = { STEPWISE_DATA_DIR: path.join(dir, 'restored') };
      const restore = await runIn(restoredFolder, ['restore', file]);
      expect(restore).toMatchObject({ code: 0, err: '' });
      expect(restore.out).toMatch(
        /Audit trail intact: \d+ events checked\nRestoring to .*restored\/stepwise\.db\nRestored: \d+ audit events verified/,
      );
      const verify = await runIn(restoredFolder, ['audit', 'verify']);
      expect(verify).toMatchObject({ code: 0, err: '' });
      const token = await runIn(restoredFolder, ['tokens', 'create', '--email', 'p@example.org']);
      expect(token.code).toBe(0); // the practitioner came across

      const again = await runIn(restoredFolder, ['restore', file]);
      expect(again.code).toBe(1);
      expect(again.err).toMatch(/already exists and holds data: restore only writes into an empty data folder/);
    },
  );

  it.skipIf(TEST_DIALECT !== 'postgres')('refuses PostgreSQL and points to pg_dump in the README', async () => {
    for (const command of ['backup', 'restore']) {
      const r = await run([command, path.join(dir, 'x.db')]);
      expect(r.code).toBe(1);
      expect(r.err).toBe(
        'DATABASE_URL names a PostgreSQL database: back it up with pg_dump or WAL archiving and restore with pg_restore (see "Backups" in README.md)\n',
      );
    }
    expect(existsSync(path.join(dir, 'x.db'))).toBe(false);
  });
});
