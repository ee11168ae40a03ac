import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findSetupLink } from './server.ts';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface NpmStarted {
  setupLink: string;
  /** Everything printed so far. */
  output(): { stdout: string; stderr: string };
  /** Sends SIGTERM to `npm start` and the server under it; resolves when the server has exited. */
  stop(): Promise<void>;
}

/** Resolves once every process holding its output has gone: npm, the shell and the server. */
function closed(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.stdout?.closed && child.stderr?.closed) resolve();
    else child.once('close', () => resolve());
  });
}

/**
 * Runs `npm start` exactly as the README says, on a fresh data folder and a free port, and waits
 * for the one-time set-up link on standard output.
 */
export async function npmStart(timeoutMs = 30_000): Promise<NpmStarted> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'stepwise-e2e-npm-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: undefined,
    STEPWISE_DATA_DIR: dataDir,
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'silent',
  };
  // Its own process group, so stopping it reaches the server that npm started too.
  const child = spawn('npm', ['start'], { cwd: REPO_ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const pid = child.pid;
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      if (pid !== undefined && child.exitCode === null && child.signalCode === null) process.kill(-pid, 'SIGTERM');
      await closed(child);
      rmSync(dataDir, { recursive: true, force: true });
    })());

  try {
    const setupLink = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no set-up link within ${timeoutMs} ms`)), timeoutMs);
      const look = () => {
        const link = findSetupLink(stdout);
        if (link) {
          clearTimeout(timer);
          resolve(link);
        }
      };
      child.stdout.on('data', look);
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`npm start exited with ${String(code)} before printing a set-up link`)));
    });
    return { setupLink, output: () => ({ stdout, stderr }), stop };
  } catch (err) {
    await stop();
    throw new Error(`${err instanceof Error ? err.message : String(err)}\nstdout:\n${stdout}\nstderr:\n${stderr}`, {
      cause: err,
    });
  }
}
