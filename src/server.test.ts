import { spawn } from 'node:child_process';
import { PassThrough, Readable } from 'node:stream';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../test/test-db.ts';
import { main } from './cli.ts';

const bin = path.resolve(import.meta.dirname, '../bin/stepwise.js');
let dir: string | undefined;
let testDb: TestDb | undefined;
afterEach(async () => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  await testDb?.cleanup();
  dir = undefined;
  testDb = undefined;
});

/** Runs `stepwise serve` as `npm start` does, until it prints its address. */
function serve(env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, [bin, 'serve'], {
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const ready = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out} ${err}`)), 20_000);
    child.stdout.on('data', () => {
      const m = /running at (http:\/\/\S+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once('exit', (code) => reject(new Error(`server exited ${code}: ${err}`)));
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, ready, exited, output: () => out, errors: () => err };
}

describe('stepwise serve', () => {
  it('starts on an empty data folder, prints the one-time set-up link, and stops cleanly on SIGTERM', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'stepwise-serve-'));
    testDb = await createTestDb({ migrate: false });
    const env = testDb.dialect === 'postgres' ? { DATABASE_URL: testDb.url } : { STEPWISE_DATA_DIR: dir };
    const s = serve({ ...env, STEPWISE_DATA_DIR: dir });
    const url = await s.ready;
    await new Promise((r) => setTimeout(r, 100));
    expect(s.output()).toMatch(
      /one-time link to create the first administrator:\s+http:\/\/127\.0\.0\.1:\d+\/setup\?token=[\w-]{20,}/,
    );
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    const setupLink = /(http:\/\/\S+\/setup\?token=\S+)/.exec(s.output())?.[1];
    const setup = await fetch(setupLink!);
    expect(setup.status).toBe(200);
    expect(await setup.text()).toContain('Set up Stepwise');
    s.child.kill('SIGTERM');
    expect(await s.exited).toBe(0);
    expect(s.errors()).toContain('Received SIGTERM: finishing requests and closing the database');
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  });

  it('keeps accounts across a restart and offers no set-up link once one exists', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'stepwise-serve-'));
    testDb = await createTestDb({ migrate: false });
    const env = { STEPWISE_DATA_DIR: dir, ...(testDb.dialect === 'postgres' ? { DATABASE_URL: testDb.url } : {}) };
    const first = serve(env);
    await first.ready;
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);

    const stdin = Readable.from(['a-Long-passw0rd!\n']);
    const code = await main(['users', 'create', '--email', 'kept@example.org', '--name', 'Kept', '--role', 'admin'], {
      stdin,
      stdout: new PassThrough(),
      stderr: new PassThrough(),
      env: { ...process.env, ...env },
    });
    expect(code).toBe(0);

    const second = serve(env);
    const url = await second.ready;
    await new Promise((r) => setTimeout(r, 100));
    expect(second.output()).not.toContain('/setup?token=');
    const signIn = await fetch(`${url}/sign-in`);
    expect(await signIn.text()).not.toContain('Stepwise has no accounts yet');
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  });
});
