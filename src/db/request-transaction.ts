import { AsyncLocalStorage } from 'node:async_hooks';
import {
  CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';

/**
 * One transaction around a whole request, so that a write and the record of its answer (the
 * idempotency key) commit together or not at all: a server killed between the two can no longer
 * leave a write that was made but whose key still says "being processed".
 *
 * Inside a scope every query of the request runs on one connection in one transaction, begun at
 * the first query. The services' own transactions become savepoints in it, so they still roll
 * back on their own when they fail. Outside a scope nothing changes.
 */
interface Scope {
  /** The driver and connection holding the transaction, once the first query has begun it. */
  held: { driver: Driver; connection: DatabaseConnection; scoped: ScopedConnection } | null;
  opening: Promise<ScopedConnection> | null;
  closed: boolean;
  afterCommit: (() => Promise<void>)[];
  afterRollback: (() => void)[];
}

const storage = new AsyncLocalStorage<Scope>();

function activeScope(): Scope | undefined {
  const scope = storage.getStore();
  return scope && !scope.closed ? scope : undefined;
}

/** A handle on one request's transaction, for the code that opened it. */
export interface RequestTransaction {
  /** Runs `fn` (and everything it starts) inside the transaction. */
  run<T>(fn: () => T): T;
  /** Commits, then runs the work queued by `afterCommit`. */
  commit(): Promise<void>;
  rollback(): Promise<void>;
  readonly open: boolean;
}

export function openRequestTransaction(): RequestTransaction {
  const scope: Scope = { held: null, opening: null, closed: false, afterCommit: [], afterRollback: [] };
  const finish = async (how: 'commit' | 'rollback'): Promise<void> => {
    if (scope.closed) return;
    scope.closed = true;
    const pending = scope.opening;
    const held = scope.held ?? (pending ? await pending.then(() => scope.held).catch(() => null) : null);
    try {
      if (held) {
        try {
          if (how === 'commit') await held.driver.commitTransaction(held.connection);
          else await held.driver.rollbackTransaction(held.connection);
        } finally {
          await held.driver.releaseConnection(held.connection);
        }
      }
    } catch (err) {
      for (const fn of scope.afterRollback) fn();
      throw err;
    }
    if (how === 'rollback') for (const fn of scope.afterRollback) fn();
    else for (const fn of scope.afterCommit) await fn();
  };
  return {
    run: (fn) => storage.run(scope, fn),
    commit: () => finish('commit'),
    rollback: () => finish('rollback'),
    get open() {
      return !scope.closed;
    },
  };
}

/** Whether this code runs inside a request's transaction (so what it reads may not be committed yet). */
export function inRequestTransaction(): boolean {
  return activeScope() !== undefined;
}

/**
 * Work to do once the current write has committed (for example scrubbing freed pages after an
 * erasure, which cannot run inside a transaction). Outside a request's transaction it runs now.
 */
export async function afterCommit(fn: () => Promise<void>): Promise<void> {
  const scope = activeScope();
  if (scope) scope.afterCommit.push(fn);
  else await fn();
}

/**
 * Starts background work that outlives the request (an import running in batches) once the
 * request's transaction has committed, so it sees what the request wrote, and outside that
 * transaction, so it never uses the request's connection after the request has given it back.
 * Does not wait for the work; the promise settles when it ends, or rejects if the request's
 * writes were rolled back and the work never started. Outside a request it starts at once.
 */
export function startAfterCommit<T>(work: () => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const start = (): void => {
      storage.exit(() => {
        work().then(resolve, reject);
      });
    };
    const scope = activeScope();
    if (!scope) {
      start();
      return;
    }
    scope.afterCommit.push(async () => start());
    scope.afterRollback.push(() => reject(new Error('The request was rolled back, so its background work never started')));
  });
}

/**
 * The request's connection. Transactions opened on it become savepoints. On PostgreSQL a failed
 * statement spoils the whole transaction, so a statement outside any savepoint gets one of its
 * own: a refused insert (a duplicate key, say) then fails alone, as it would without the scope.
 */
class ScopedConnection implements DatabaseConnection {
  readonly savepoints: string[] = [];
  #next = 0;
  constructor(
    readonly inner: DatabaseConnection,
    private readonly guardStatements: boolean,
  ) {}

  nextName(): string {
    this.#next += 1;
    return `stepwise_sp_${this.#next}`;
  }

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    if (!this.guardStatements || this.savepoints.length > 0) return this.inner.executeQuery<R>(query);
    const name = this.nextName();
    await this.inner.executeQuery(CompiledQuery.raw(`savepoint ${name}`));
    try {
      const result = await this.inner.executeQuery<R>(query);
      await this.inner.executeQuery(CompiledQuery.raw(`release savepoint ${name}`));
      return result;
    } catch (err) {
      await this.inner.executeQuery(CompiledQuery.raw(`rollback to savepoint ${name}`));
      await this.inner.executeQuery(CompiledQuery.raw(`release savepoint ${name}`));
      throw err;
    }
  }

  streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    return this.inner.streamQuery<R>(query, chunkSize);
  }
}

class ScopedDriver implements Driver {
  constructor(
    private readonly inner: Driver,
    private readonly guardStatements: boolean,
  ) {}

  init(): Promise<void> {
    return this.inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const scope = activeScope();
    if (!scope) return this.inner.acquireConnection();
    if (scope.held) return scope.held.scoped;
    scope.opening ??= (async () => {
      const connection = await this.inner.acquireConnection();
      try {
        await this.inner.beginTransaction(connection, {});
      } catch (err) {
        await this.inner.releaseConnection(connection);
        throw err;
      }
      const scoped = new ScopedConnection(connection, this.guardStatements);
      scope.held = { driver: this.inner, connection, scoped };
      return scoped;
    })();
    return scope.opening;
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    // The request's connection is given back when its transaction ends, not by each query.
    if (connection instanceof ScopedConnection) return;
    await this.inner.releaseConnection(connection);
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    if (!(connection instanceof ScopedConnection)) return this.inner.beginTransaction(connection, settings);
    const name = connection.nextName();
    await connection.inner.executeQuery(CompiledQuery.raw(`savepoint ${name}`));
    connection.savepoints.push(name);
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    if (!(connection instanceof ScopedConnection)) return this.inner.commitTransaction(connection);
    const name = connection.savepoints.pop();
    if (name) await connection.inner.executeQuery(CompiledQuery.raw(`release savepoint ${name}`));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    if (!(connection instanceof ScopedConnection)) return this.inner.rollbackTransaction(connection);
    const name = connection.savepoints.pop();
    if (!name) return;
    await connection.inner.executeQuery(CompiledQuery.raw(`rollback to savepoint ${name}`));
    await connection.inner.executeQuery(CompiledQuery.raw(`release savepoint ${name}`));
  }

  destroy(): Promise<void> {
    return this.inner.destroy();
  }
}

/** The dialect with request transactions: each driver it makes takes part in a scope when there is one. */
export function withRequestTransactions(dialect: Dialect, options: { guardStatements: boolean }): Dialect {
  return {
    createAdapter: () => dialect.createAdapter(),
    createDriver: () => new ScopedDriver(dialect.createDriver(), options.guardStatements),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createIntrospector: (db) => dialect.createIntrospector(db),
  };
}
