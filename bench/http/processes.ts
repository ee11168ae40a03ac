// The processes under test: the real server and the bare ceiling app, each a child process, and
// a sampler of the server's memory.
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

export interface Child {
  process: ChildProcess;
  pid: number;
  baseUrl: string;
  /** Milliseconds from spawn to the first page answered 200. */
  startMs: number;
  logFile: string;
  stop(): Promise<void>;
}

/** A port nothing listens on now (the child binds it a moment later). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Starts `args` under this Node and polls `readyPath` every 10 ms until it answers 200: the time
 * to that answer is what a person waits for after a restart. Output goes to `logFile`, so the
 * child never stalls on a full pipe and this process spends nothing reading it.
 */
export async function startChild(options: {
  args: string[];
  env: NodeJS.ProcessEnv;
  port: number;
  readyPath: string;
  logFile: string;
  timeoutMs?: number;
}): Promise<Child> {
  const baseUrl = `http://127.0.0.1:${options.port}`;
  const log = openSync(options.logFile, 'a');
  const started = performance.now();
  const child = spawn(process.execPath, options.args, { env: options.env, stdio: ['ignore', log, log] });
  closeSync(log);
  let exited: number | null | undefined;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exited = code ?? (signal ? -1 : null);
      resolve();
    }),
  );
  const stop = async () => {
    if (exited !== undefined) return;
    child.kill('SIGTERM');
    const killed = await Promise.race([exit.then(() => true), sleep(15_000).then(() => false)]);
    if (!killed) {
      child.kill('SIGKILL');
      await exit;
    }
  };
  const deadline = started + (options.timeoutMs ?? 60_000);
  for (;;) {
    if (exited !== undefined)
      throw new Error(`${options.args.join(' ')} exited (${exited}) before serving; see ${options.logFile}`);
    try {
      const res = await fetch(`${baseUrl}${options.readyPath}`, { redirect: 'manual' });
      await res.arrayBuffer();
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    if (performance.now() > deadline) {
      await stop();
      throw new Error(`${options.args.join(' ')} did not serve ${options.readyPath} in time; see ${options.logFile}`);
    }
    await sleep(10);
  }
  return { process: child, pid: child.pid!, baseUrl, startMs: performance.now() - started, logFile: options.logFile, stop };
}

/** Reads one `/proc/<pid>/status` field in KiB (`VmRSS` now, `VmHWM` the peak so far). */
export function procStatusKiB(pid: number, field: 'VmRSS' | 'VmHWM'): number | undefined {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined; // the process has gone
  }
}

/** Samples a process's resident memory every `everyMs` until stopped. */
export function sampleMemory(pid: number, everyMs = 100) {
  let peakKiB = 0;
  let hwmKiB = 0;
  const take = () => {
    peakKiB = Math.max(peakKiB, procStatusKiB(pid, 'VmRSS') ?? 0);
    hwmKiB = Math.max(hwmKiB, procStatusKiB(pid, 'VmHWM') ?? 0);
  };
  take();
  const timer = setInterval(take, everyMs);
  timer.unref();
  return {
    nowKiB: () => procStatusKiB(pid, 'VmRSS') ?? 0,
    /** Stops sampling; call before the process exits, so the kernel's own peak is read too. */
    stop(): { peakKiB: number; hwmKiB: number } {
      take();
      clearInterval(timer);
      return { peakKiB, hwmKiB };
    },
    get peakKiB() {
      return peakKiB;
    },
  };
}
