import { userInfo } from 'node:os';
import { Command, CommanderError, Option } from 'commander';
import { type AuditContext, commandLineLabel, verifyChain } from './audit/service.ts';
import * as auth from './auth/service.ts';
import { systemClock } from './clock.ts';
import { ConfigError, loadConfig, resolveSecret } from './config.ts';
import { BackupError, backupCommand, restoreCommand } from './db/backup.ts';
import { createDb } from './db/create-db.ts';
import type { Db } from './db/types.ts';
import { migrateToLatest } from './db/migrate.ts';
import { createDeps, type Deps } from './deps.ts';
import { DEMO_PASSWORD, loadDemo } from './demo/index.ts';
import { AppError, ValidationError } from './errors.ts';
import { startServer } from './server.ts';
import * as teams from './teams/service.ts';
import { ROLES, isRole } from './users/roles.ts';
import * as users from './users/service.ts';

/** A mistake by the person at the keyboard: one line on standard error, exit 1, no stack. */
class UserError extends Error {}

export interface CliIo {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
}

const defaultIo: CliIo = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env };

async function readStdin(stdin: CliIo['stdin']): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

const cliContext = (): AuditContext => ({
  actorUserId: null,
  actorLabel: commandLineLabel(userInfo().username),
  clientAddress: null,
  requestId: null,
});

/** Opens and migrates the configured database, runs `work`, and always closes it. */
async function withDatabase<T>(io: CliIo, work: (db: Db, deps: Deps) => Promise<T>): Promise<T> {
  const config = loadConfig(io.env);
  const secret = resolveSecret(config);
  const handle = createDb(config.database);
  try {
    await migrateToLatest(handle.db);
    const deps = createDeps({
      secret,
      clock: systemClock,
      sessionIdleMinutes: config.sessionIdleMinutes,
      sessionAbsoluteHours: config.sessionAbsoluteHours,
    });
    return await work(handle.db, deps);
  } finally {
    await handle.destroy();
  }
}

function buildProgram(io: CliIo, result: { code: number }): Command {
  const program = new Command('stepwise')
    .description('Stepwise: case management for supported-employment services')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .showHelpAfterError('(add --help for usage)');

  program
    .command('serve')
    .description('run the web server (what `npm start` runs); migrates the database first')
    .action(async () => {
      await startServer(loadConfig(io.env), io.stdout, { handleSignals: true });
      result.code = -1; // keep running
    });

  program
    .command('migrate')
    .description('apply any pending database migrations, then exit')
    .action(async () => {
      const config = loadConfig(io.env);
      const handle = createDb(config.database);
      try {
        const applied = await migrateToLatest(handle.db);
        io.stdout.write(
          applied.length ? `Applied ${applied.length} migration(s): ${applied.join(', ')}\n` : 'The database is up to date\n',
        );
      } finally {
        await handle.destroy();
      }
    });

  const usersCmd = program.command('users').description('manage user accounts');
  usersCmd
    .command('create')
    .description('create a user; the password is read from standard input')
    .requiredOption('--email <email>', 'their email address (used to sign in)')
    .requiredOption('--name <name>', 'their full name')
    .addOption(new Option('--role <role>', `one of: ${ROLES.join(', ')}`).makeOptionMandatory())
    .option('--team <team>', 'the team they belong to (created when it does not exist yet)')
    .action(async (opts: { email: string; name: string; role: string; team?: string }) => {
      if (!isRole(opts.role)) throw new UserError(`Unknown role "${opts.role}". Use one of: ${ROLES.join(', ')}`);
      const role = opts.role;
      if (io.stdin.isTTY) io.stderr.write('Type the password, then press Enter: ');
      const password = await readStdin(io.stdin);
      const user = await withDatabase(io, async (db, deps) =>
        db.transaction().execute(async (trx) => {
          const ctx = cliContext();
          const team = opts.team ? await teams.ensureTeam(trx, deps, ctx, opts.team) : undefined;
          return users.createUser(trx, deps, ctx, {
            email: opts.email,
            name: opts.name,
            role,
            teamId: team?.id ?? null,
            password,
          });
        }),
      );
      io.stdout.write(`Created ${user.role} ${user.email}${opts.team ? ` in team ${opts.team}` : ''}\n`);
    });

  program
    .command('demo')
    .description('load a realistic demo service into an empty database; refuses a database that holds data')
    .action(async () => {
      const signIns = await withDatabase(io, (db, deps) => loadDemo(db, deps, (line) => io.stdout.write(`${line}\n`)));
      const width = Math.max(...signIns.map((s) => s.what.length));
      io.stdout.write('\nThe demo is loaded. Sign in as any of these (every account has the same password):\n\n');
      for (const s of signIns) io.stdout.write(`  ${s.what.padEnd(width)}  ${s.name.padEnd(18)}  ${s.email}\n`);
      io.stdout.write(`\n  Password for every demo account: ${DEMO_PASSWORD}\n\n`);
      io.stdout.write('Run `npm start`, then open http://127.0.0.1:3000 and sign in.\n');
    });

  const tokensCmd = program.command('tokens').description('manage API tokens');
  tokensCmd
    .command('create')
    .description('create an API token for a user and print it (shown only once)')
    .requiredOption('--email <email>', 'the user the token acts as')
    .option('--name <label>', 'what the token is for', 'command line token')
    .action(async (opts: { email: string; name: string }) => {
      const token = await withDatabase(io, async (db, deps) => {
        const user = await users.findByEmail(db, opts.email);
        if (!user) throw new UserError(`No user has the email address ${opts.email}`);
        if (!user.active) throw new UserError(`The account ${opts.email} is deactivated`);
        return (await auth.createApiToken(db, deps, cliContext(), user.id, opts.name)).token;
      });
      io.stdout.write(`${token}\n`);
    });

  const auditCmd = program.command('audit').description('work with the audit trail');
  auditCmd
    .command('verify')
    .description('check that no audit event was changed, removed or reordered')
    .action(async () => {
      const outcome = await withDatabase(io, (db, deps) => verifyChain(db, deps.auditKey));
      if (outcome.broken) {
        const b = outcome.broken;
        throw new UserError(`Audit trail broken at event ${b.seq} (id ${b.id}): ${b.reason}`);
      }
      io.stdout.write(`Audit trail intact: ${outcome.checked} events checked\n`);
    });

  const auditKeyFor = (secret: string): Buffer =>
    createDeps({ secret, clock: systemClock, sessionIdleMinutes: 30, sessionAbsoluteHours: 12 }).auditKey;
  const say = (line: string): void => {
    io.stdout.write(`${line}\n`);
  };
  program
    .command('backup')
    .description('copy the live SQLite database to PATH (online, consistent), then check the copy and its audit trail')
    .argument('<path>', 'the new backup file; its secret goes beside it as PATH.secret')
    .action(async (target: string) => {
      await backupCommand(loadConfig(io.env), auditKeyFor, target, say);
    });
  program
    .command('restore')
    .description('check a backup (integrity, audit trail), then restore it into an empty data folder')
    .argument('<path>', 'a file written by `stepwise backup`')
    .action(async (source: string) => {
      await restoreCommand(loadConfig(io.env), auditKeyFor, source, say);
    });

  return program;
}

/** Runs the `stepwise` command; returns the exit status (-1 while the server keeps running). */
export async function main(argv: string[], io: CliIo = defaultIo): Promise<number | undefined> {
  const result = { code: 0 };
  const program = buildProgram(io, result);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return result.code === -1 ? undefined : result.code;
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.exitCode === 0 || err.code === 'commander.helpDisplayed' || err.code === 'commander.version' ? 0 : 1;
    }
    io.stderr.write(`${userMessage(err)}\n`);
    return isUserError(err) ? 1 : 2;
  }
}

function isUserError(err: unknown): boolean {
  return err instanceof UserError || err instanceof AppError || err instanceof ConfigError || err instanceof BackupError;
}

function userMessage(err: unknown): string {
  if (err instanceof ValidationError) return Object.values(err.fields)[0] ?? err.message;
  if (isUserError(err)) return (err as Error).message;
  return `Unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`;
}
