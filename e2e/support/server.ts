import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { signIn } from '../../src/auth/service.ts';
import { loadConfig } from '../../src/config.ts';
import type { Db } from '../../src/db/types.ts';
import type { Deps } from '../../src/deps.ts';
import { type RunningServer, startServer } from '../../src/server.ts';
import { type Team, createTeam } from '../../src/teams/service.ts';
import { type NewUser, type User, createUser } from '../../src/users/service.ts';

/** A real Stepwise server on a free port with its own empty SQLite database. */
export interface E2eServer {
  /** The address it listens on, without a trailing slash. */
  url: string;
  /** The one-time set-up link printed on start, when no account existed. */
  setupLink: string | undefined;
  /** Its STEPWISE_DATA_DIR, for the command line to share. */
  dataDir: string;
  /** The environment it was configured from, for the command line to share. */
  env: Record<string, string>;
  /** Adds an account through the users service, as the command line would. */
  createUser(user: NewUser): Promise<User>;
  /** Adds a team through the teams service, as an administrator would. */
  createTeam(name: string): Promise<Team>;
  /** Signs in through the auth service and returns the session cookie's value. */
  sessionFor(user: { email: string; password: string }): Promise<string>;
  /** The server's own database and dependencies, for specs that set up records through the services. */
  db: Db;
  deps: Deps;
  close(): Promise<void>;
}

const SETUP_LINK = /^\s*(http:\/\/\S+\/setup\?token=\S+)\s*$/m;

/** Picks the set-up link out of what the server printed. */
export function findSetupLink(printed: string): string | undefined {
  return SETUP_LINK.exec(printed)?.[1];
}

/** Starts `startServer` exactly as `npm start` does, on a fresh temporary data folder and port 0. */
export async function startE2eServer(extraEnv: Record<string, string> = {}): Promise<E2eServer> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'stepwise-e2e-'));
  const env = { HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'silent', ...extraEnv, STEPWISE_DATA_DIR: dataDir };
  let printed = '';
  const out = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      printed += chunk.toString();
      done();
    },
  });
  let running: RunningServer;
  try {
    running = await startServer(loadConfig(env), out);
  } catch (err) {
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  const { app } = running;
  const ctx = { actorUserId: null, actorLabel: 'e2e test set-up', clientAddress: null, requestId: null };
  return {
    url: running.url,
    setupLink: findSetupLink(printed),
    dataDir,
    env,
    createUser: (user) => createUser(app.db, app.deps, ctx, user),
    createTeam: (name) => createTeam(app.db, app.deps, ctx, name),
    sessionFor: async (user) => (await signIn(app.db, app.deps, ctx, user)).sessionToken,
    db: app.db,
    deps: app.deps,
    async close() {
      await running.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
