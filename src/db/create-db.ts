import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  Kysely,
  PostgresDialect,
  SqliteDialect,
  type SqliteDialectConfig,
  SqliteDriver,
} from 'kysely';
import pg from 'pg';
import { ConfigError, type DatabaseTarget } from '../config.ts';
import { withRequestTransactions } from './request-transaction.ts';
import { withStatementCache } from './statement-cache.ts';
import type { Database, Db } from './types.ts';

export type Dialect = 'sqlite' | 'postgres';

export interface DbHandle {
  db: Db;
  dialect: Dialect;
  /** Closes the connection or pool; safe to call twice. */
  destroy(): Promise<void>;
}

/** The shortest wait for another process's write lock before SQLite gives up with "database is locked". */
export const MIN_BUSY_TIMEOUT_MS = 5000;

/**
 * Opens SQLite (settings below, checked by reading them back) or a PostgreSQL pool, as configured.
 * Throws a ConfigError, and so stops start-up, when SQLite will not take a setting.
 */
export function createDb(target: DatabaseTarget): DbHandle {
  let db: Db;
  if (target.kind === 'sqlite') {
    if (target.file !== ':memory:') mkdirSync(path.dirname(target.file), { recursive: true });
    const sqlite = new SQLite(target.file);
    try {
      applySqliteSettings(sqlite);
      checkSqliteSettings(sqlite, target.file);
    } catch (err) {
      sqlite.close();
      throw err;
    }
    db = new Kysely<Database>({
      dialect: withRequestTransactions(new ImmediateSqliteDialect({ database: withStatementCache(sqlite) }), {
        guardStatements: false,
      }),
    });
  } else {
    const pool = new pg.Pool({
      connectionString: target.url,
      max: 10,
      // A schema per test run keeps parallel test files apart on one database.
      ...(target.schema ? { options: `-c search_path=${target.schema}` } : {}),
    });
    db = new Kysely<Database>({ dialect: withRequestTransactions(new PostgresDialect({ pool }), { guardStatements: true }) });
  }
  let destroyed = false;
  return {
    db,
    dialect: target.kind,
    async destroy() {
      if (destroyed) return;
      destroyed = true;
      await db.destroy();
    },
  };
}

function applySqliteSettings(sqlite: SQLite.Database): void {
  // Readers never wait for the writer, and a commit is one append to the write-ahead log.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma(`busy_timeout = ${MIN_BUSY_TIMEOUT_MS}`);
  // FULL, not NORMAL: in WAL mode NORMAL skips the sync at each commit, so a power cut can lose
  // writes the person was already told were saved. The audit trail and Access to Work claims must
  // never lose an acknowledged write; the cost is one fsync per commit.
  sqlite.pragma('synchronous = FULL');
  // Deleted content is overwritten with zeros, not left in free pages: an erased person's name,
  // NHS number and notes must not be readable in the file afterwards (src/erasure/service.ts).
  sqlite.pragma('secure_delete = ON');
}

/**
 * What an open SQLite connection has that Stepwise needs, one line per problem (none: all well).
 * Read back rather than assumed: a pragma can quietly not take (WAL on a network file system or a
 * read-only folder, a build with other defaults).
 */
export function sqliteSettingsProblems(sqlite: SQLite.Database, file: string): string[] {
  const read = (name: string): unknown => sqlite.pragma(name, { simple: true });
  const problems: string[] = [];
  const journal = String(read('journal_mode')).toLowerCase();
  const wantJournal = file === ':memory:' ? 'memory' : 'wal';
  if (journal !== wantJournal) problems.push(`journal_mode is ${journal}, needs ${wantJournal}`);
  if (Number(read('foreign_keys')) !== 1) problems.push('foreign_keys is off, needs on');
  const busy = Number(read('busy_timeout'));
  if (!(busy >= MIN_BUSY_TIMEOUT_MS)) problems.push(`busy_timeout is ${busy} ms, needs at least ${MIN_BUSY_TIMEOUT_MS}`);
  const sync = Number(read('synchronous'));
  if (sync < 2) problems.push(`synchronous is ${['OFF', 'NORMAL'][sync] ?? sync}, needs FULL`);
  if (Number(read('secure_delete')) !== 1) problems.push('secure_delete is off, needs on');
  return problems;
}

/** Refuses, with every problem named, a SQLite connection without the settings Stepwise needs. */
export function checkSqliteSettings(sqlite: SQLite.Database, file: string): void {
  const problems = sqliteSettingsProblems(sqlite, file);
  if (problems.length) {
    throw new ConfigError(
      `The SQLite database ${file} does not have the settings Stepwise needs (${problems.join('; ')}); ` +
        'Stepwise will not start without them',
    );
  }
}

/**
 * Kysely's SQLite driver opens transactions with a plain (deferred) `begin`, which takes the write
 * lock only at the first write. A transaction that reads and then writes can then find another
 * process (a second server, a command-line run) has written in between, and SQLite fails it at
 * once with "database is locked" whatever the busy timeout. `begin immediate` takes the write lock
 * at the start instead, so a second writer waits its turn (up to the busy timeout) before reading.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;
  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }
}
