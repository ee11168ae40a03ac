import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import { systemClock } from './clock.ts';
import { type Config, resolveSecret } from './config.ts';
import { createDb, type DbHandle } from './db/create-db.ts';
import { migrateToLatest } from './db/migrate.ts';
import { createDeps, type Deps } from './deps.ts';
import * as auth from './auth/service.ts';
import { purgeIdempotencyKeys } from './http/idempotency.ts';
import { smtpMailer, startDigestScheduler } from './digest/service.ts';
import { digestAlerts } from './dashboards/service.ts';
import * as users from './users/service.ts';

export interface RunningServer {
  app: FastifyInstance;
  handle: DbHandle;
  url: string;
  close(): Promise<void>;
}

/** Logs say what happened to which request without query strings, bodies, cookies or tokens. */
export function loggerOptions(config: Pick<Config, 'logLevel'>) {
  return {
    level: config.logLevel,
    redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
    serializers: {
      req: (req: { method: string; url: string; id: string }) => ({
        id: req.id,
        method: req.method,
        // A calendar feed's address is its only key: log that it was fetched, never the token.
        path: (req.url.split('?')[0] ?? '').replace(/^\/calendar\/[^/]*$/, '/calendar/[feed].ics'),
      }),
    },
  };
}

const HOUSEKEEPING_MS = 15 * 60_000;

/** Removes expired sessions, old throttle records and old idempotency keys. */
async function tidy(handle: DbHandle, deps: Deps): Promise<void> {
  await auth.purgeExpired(handle.db, deps);
  await purgeIdempotencyKeys(handle.db, deps);
}

/** Opens the database, migrates it, builds the app and listens; prints the set-up link on first run. */
export async function startServer(
  config: Config,
  out: NodeJS.WritableStream = process.stdout,
  options: { handleSignals?: boolean } = {},
): Promise<RunningServer> {
  const secret = resolveSecret(config);
  const handle = createDb(config.database);
  try {
    await migrateToLatest(handle.db);
  } catch (err) {
    await handle.destroy();
    throw err;
  }
  const deps = createDeps({
    secret,
    clock: systemClock,
    sessionIdleMinutes: config.sessionIdleMinutes,
    sessionAbsoluteHours: config.sessionAbsoluteHours,
  });
  const app = await buildApp({
    db: handle.db,
    deps,
    secret,
    secureCookies: config.secureCookies,
    trustProxy: config.trustProxy,
    logger: loggerOptions(config),
    mailConfigured: config.smtpUrl !== undefined,
    apiRateLimit: config.apiRateLimit,
  });
  const firstRun = (await users.countUsers(handle.db)) === 0;
  app.setupToken = firstRun ? randomBytes(24).toString('base64url') : undefined;
  const housekeeping = setInterval(() => {
    void tidy(handle, deps).catch((err: unknown) => app.log.error({ err }, 'housekeeping failed'));
  }, HOUSEKEEPING_MS);
  housekeeping.unref();
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      clearInterval(housekeeping);
      digest?.stop();
      await app.close(); // stops accepting and lets requests in flight finish
      await handle.destroy();
    })());
  const digest = config.smtpUrl
    ? startDigestScheduler({
        db: handle.db,
        deps,
        mailer: smtpMailer(config.smtpUrl, config.mailFrom),
        digestTime: config.digestTime,
        baseUrl: config.baseUrl,
        alerts: digestAlerts,
        onError: (err) => app.log.error({ err }, 'daily digest failed'),
      })
    : undefined;
  // Installed before listening, so a signal that arrives the moment the server is up is handled.
  if (options.handleSignals) closeOnSignals(close);
  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = config.baseUrl.replace(/:\d+$/, `:${port}`);
  const where = config.database.kind === 'sqlite' ? `SQLite at ${config.database.file}` : 'PostgreSQL';
  out.write(`\nStepwise is running at ${url} (database: ${where})\n`);
  if (app.setupToken) {
    out.write(
      `\nNo accounts exist yet. Open this one-time link to create the first administrator:\n\n    ${url}/setup?token=${app.setupToken}\n\n`,
    );
  }
  return { app, handle, url, close };
}

/** Closes cleanly on SIGTERM or SIGINT: no new connections, finish requests, close the database. */
export function closeOnSignals(
  close: () => Promise<void>,
  log: (msg: string) => void = (m) => process.stderr.write(`${m}\n`),
): void {
  const stop = (signal: string) => {
    log(`Received ${signal}: finishing requests and closing the database`);
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    close().then(
      () => process.exit(0),
      (err: unknown) => {
        log(`Error while closing: ${err instanceof Error ? err.message : String(err)}`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}
