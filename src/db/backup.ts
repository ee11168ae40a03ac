// `stepwise backup` and `stepwise restore` for SQLite. A backup is taken with SQLite's online
// backup API (through better-sqlite3), never by copying the file: a copy of a live database can
// catch a page half-written or miss what is still in the write-ahead log. PostgreSQL has its own
// tools (pg_dump, WAL archiving); see "Backups" in README.md.
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { type VerifyResult, verifyChain } from '../audit/service.ts';
import type { Config } from '../config.ts';
import { createDb } from './create-db.ts';
import type { Database } from './types.ts';

/** A refusal or a failed check, said in one line to the person running the command. */
export class BackupError extends Error {}

export type Report = (line: string) => void;

/** The secret travels beside the backup in this file (see README.md, "Backups"). */
export const secretFileFor = (backupPath: string): string => `${backupPath}.secret`;

const POSTGRES_REFUSAL =
  'DATABASE_URL names a PostgreSQL database: back it up with pg_dump or WAL archiving and restore with pg_restore (see "Backups" in README.md)';

export interface CopyOptions {
  /** Pages copied per step; the event loop runs between steps. */
  pagesPerStep?: number;
  /**
   * A write by another connection (the running server) makes SQLite start the copy again. After
   * this many restarts the rest is copied in one step, which still does not hold up writers in
   * WAL mode, so a busy server cannot keep a backup from finishing.
   */
  maxRestarts?: number;
  report?: Report;
}

/**
 * Copies a live SQLite database to `destFile` (which must not exist) with the online backup API:
 * the copy is one consistent moment of the database, whatever is written meanwhile.
 */
export async function copyDatabase(
  sourceFile: string,
  destFile: string,
  options: CopyOptions = {},
): Promise<{ pages: number; restarts: number }> {
  const { pagesPerStep = 1000, maxRestarts = 3, report = () => {} } = options;
  const source = openExisting(sourceFile, false);
  try {
    createPrivateFile(destFile);
  } catch (err) {
    source.close();
    throw err;
  }
  let restarts = 0;
  let lastRemaining = Number.POSITIVE_INFINITY;
  let lastShown = -10;
  try {
    const done = await source.backup(destFile, {
      progress({ totalPages, remainingPages }) {
        if (remainingPages > lastRemaining) {
          restarts += 1;
          report(
            restarts >= maxRestarts
              ? 'The database changed during the copy again; copying the rest in one step'
              : 'The database changed during the copy; starting the copy again',
          );
          lastShown = -10;
        }
        lastRemaining = remainingPages;
        const percent = Math.floor(((totalPages - remainingPages) / totalPages) * 100);
        if (percent >= lastShown + 10) {
          lastShown = percent;
          report(`Copied ${percent}% (${totalPages - remainingPages} of ${totalPages} pages)`);
        }
        return restarts >= maxRestarts ? 0x7fffffff : pagesPerStep;
      },
    });
    report(`Copied 100% (${done.totalPages} pages)`);
    // The copy carries the source's WAL flag; a backup is one self-contained file instead.
    const copy = new SQLite(destFile);
    try {
      copy.pragma('journal_mode = DELETE');
    } finally {
      copy.close();
    }
    return { pages: done.totalPages, restarts };
  } catch (err) {
    rmSync(destFile, { force: true });
    throw err;
  } finally {
    source.close();
  }
}

/** Creates an empty file only its owner can read (a backup holds special-category data); refuses one that exists. */
function createPrivateFile(file: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  try {
    writeFileSync(file, '', { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new BackupError(`${file} already exists; give a new file name`);
    throw err;
  }
  chmodSync(file, 0o600);
}

export interface CopyCheck {
  /** `ok`, or SQLite's first complaints. */
  integrity: string;
  /** Rows whose foreign key points at nothing. */
  foreignKeyProblems: number;
  audit: VerifyResult;
}

export const checkPassed = (c: CopyCheck): boolean =>
  c.integrity === 'ok' && c.foreignKeyProblems === 0 && c.audit.broken === null;

/** Runs SQLite's integrity and foreign key checks and verifies the audit chain, reading only. */
export async function checkDatabase(file: string, auditKey: Buffer): Promise<CopyCheck> {
  const raw = openExisting(file, true);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: raw }) });
  try {
    let integrity: string;
    let foreignKeyProblems: number;
    try {
      const rows = raw.pragma('integrity_check(10)') as { integrity_check: string }[];
      integrity = rows.map((r) => r.integrity_check).join('; ');
      foreignKeyProblems = (raw.pragma('foreign_key_check') as unknown[]).length;
    } catch (err) {
      throw new BackupError(`${file} is not a readable SQLite database (${(err as Error).message})`);
    }
    const hasAudit = raw.prepare("select 1 from sqlite_master where type = 'table' and name = 'audit_head'").get();
    if (!hasAudit) throw new BackupError(`${file} is not a Stepwise database (it has no audit trail)`);
    return { integrity, foreignKeyProblems, audit: await verifyChain(db, auditKey) };
  } finally {
    await db.destroy();
  }
}

export function describeCheck(c: CopyCheck): string[] {
  const b = c.audit.broken;
  return [
    `Integrity check: ${c.integrity}`,
    `Foreign key check: ${c.foreignKeyProblems === 0 ? 'ok' : `${c.foreignKeyProblems} row(s) point at nothing`}`,
    b
      ? `Audit trail broken at event ${b.seq} (id ${b.id}): ${b.reason}`
      : `Audit trail intact: ${c.audit.checked} events checked`,
  ];
}

/** Whether any table other than the migration bookkeeping holds a row. */
function holdsData(file: string): boolean {
  const raw = openExisting(file, true);
  try {
    const tables = raw
      .prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like 'kysely_%'")
      .pluck()
      .all() as string[];
    return tables.some((t) => raw.prepare(`select 1 from "${t.replace(/"/g, '""')}" limit 1`).get() !== undefined);
  } catch {
    return true;
  } finally {
    raw.close();
  }
}

function openExisting(file: string, readonly: boolean): SQLite.Database {
  if (!existsSync(file)) throw new BackupError(`There is no database at ${file}`);
  return new SQLite(file, { fileMustExist: true, readonly });
}

function readSecretFile(file: string): string | null {
  if (!existsSync(file)) return null;
  const secret = readFileSync(file, 'utf8').trim();
  return secret.length >= 32 ? secret : null;
}

function writeSecretFile(file: string, secret: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
}

/**
 * `stepwise backup PATH`: copies the live database to PATH, checks the copy (integrity, foreign
 * keys, audit chain) and, when the secret lives in the data folder, copies it to PATH.secret: the
 * audit chain cannot be verified, nor second factors used, without it. Throws BackupError (after
 * writing the copy) when the copy fails its check.
 */
export async function backupCommand(
  config: Config,
  auditKeyFor: (secret: string) => Buffer,
  backupPath: string,
  report: Report,
  options: Omit<CopyOptions, 'report'> = {},
): Promise<CopyCheck> {
  if (config.database.kind !== 'sqlite') throw new BackupError(POSTGRES_REFUSAL);
  const source = config.database.file;
  const dest = path.resolve(backupPath);
  const secretFile = path.join(config.dataDir, 'secret');
  const secret = config.secret ?? readSecretFile(secretFile);
  if (!secret) {
    throw new BackupError(
      `STEPWISE_SECRET is not set and ${secretFile} is missing: without the secret a backup cannot be checked`,
    );
  }
  if (!existsSync(source)) throw new BackupError(`There is no database at ${source} to back up`);
  if (!config.secret && existsSync(secretFileFor(dest))) {
    throw new BackupError(`${secretFileFor(dest)} already exists; give a new file name for the backup`);
  }
  report(`Backing up ${source} to ${dest}`);
  await copyDatabase(source, dest, { ...options, report });
  if (config.secret) {
    report('The secret comes from STEPWISE_SECRET: keep that value with the backup; restoring needs it');
  } else {
    writeSecretFile(secretFileFor(dest), secret);
    report(
      `Copied the secret to ${secretFileFor(dest)}: keep it with the backup, as safely (restoring needs it to check the audit trail and for second factors to work)`,
    );
  }
  report('Checking the backup');
  const check = await checkDatabase(dest, auditKeyFor(secret));
  for (const line of describeCheck(check)) report(line);
  if (!checkPassed(check)) throw new BackupError(`The backup at ${dest} failed its check; see above`);
  report(`Backup complete: ${dest}`);
  return check;
}

/**
 * `stepwise restore PATH`: checks the backup, then writes it as the configured database, which must
 * not exist yet, and puts the backup's secret in the data folder when STEPWISE_SECRET is unset.
 */
export async function restoreCommand(
  config: Config,
  auditKeyFor: (secret: string) => Buffer,
  backupPath: string,
  report: Report,
): Promise<CopyCheck> {
  if (config.database.kind !== 'sqlite') throw new BackupError(POSTGRES_REFUSAL);
  const backup = path.resolve(backupPath);
  const target = config.database.file;
  if (!existsSync(backup)) throw new BackupError(`There is no backup at ${backup}`);
  if (existsSync(target) || existsSync(`${target}-wal`)) {
    throw new BackupError(
      `${target} already exists${holdsData(target) ? ' and holds data' : ''}: restore only writes into an empty data folder; move the database aside or set STEPWISE_DATA_DIR to a new folder`,
    );
  }

  const dataSecretFile = path.join(config.dataDir, 'secret');
  const backupSecret = readSecretFile(secretFileFor(backup));
  const folderSecret = readSecretFile(dataSecretFile);
  if (config.secret && backupSecret && backupSecret !== config.secret) {
    throw new BackupError(`${secretFileFor(backup)} differs from STEPWISE_SECRET; the restored audit trail would not verify`);
  }
  if (!config.secret && backupSecret && folderSecret && backupSecret !== folderSecret) {
    throw new BackupError(`${dataSecretFile} differs from ${secretFileFor(backup)}; move it aside before restoring`);
  }
  const secret = config.secret ?? backupSecret ?? folderSecret;
  if (!secret) {
    throw new BackupError(
      `No secret for this backup: put it in ${secretFileFor(backup)} or set STEPWISE_SECRET to the value the backed-up service used`,
    );
  }
  const auditKey = auditKeyFor(secret);

  report(`Checking ${backup}`);
  const before = await checkDatabase(backup, auditKey);
  for (const line of describeCheck(before)) report(line);
  if (!checkPassed(before)) throw new BackupError(`The backup at ${backup} failed its check; nothing was restored`);

  report(`Restoring to ${target}`);
  const source = openExisting(backup, true);
  try {
    createPrivateFile(target);
    await source.backup(target);
  } catch (err) {
    if (!(err instanceof BackupError)) rmSync(target, { force: true });
    throw err;
  } finally {
    source.close();
  }
  if (!config.secret && !folderSecret) {
    writeSecretFile(dataSecretFile, secret);
    report(`Wrote the backup's secret to ${dataSecretFile}`);
  }
  const after = await checkDatabase(target, auditKey);
  // Opening it as the server does switches it to WAL and checks every setting.
  await createDb(config.database).destroy();
  if (!checkPassed(after)) throw new BackupError(`The restored database at ${target} failed its check`);
  report(`Restored: ${after.audit.checked} audit events verified in ${target}`);
  return after;
}
