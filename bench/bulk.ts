// Bulk writing for the synthetic large service: whole rows as src/db/types.ts describes them,
// many to a statement and many statements to a transaction. SQLite is written through its own
// better-sqlite3 handle (one prepared multi-row statement per table, no query building per row);
// PostgreSQL through one `insert ... select from unnest(...)` per batch, one array per column.
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { DatabaseTarget } from '../src/config.ts';
import type { Database, Db } from '../src/db/types.ts';

export type TableName = keyof Database;
/** A whole row: every column of the table, as the app writes it. */
export type Row<T extends TableName> = Database[T];

export interface BulkWriter {
  db: Db;
  dialect: 'sqlite' | 'postgres';
  /** Writes rows in one transaction (callers pass a batch of a few thousand at most). */
  insert<T extends TableName>(table: T, rows: readonly Row<T>[]): Promise<void>;
  /** Drops a table's secondary indexes for a load; the returned function puts back exactly the same ones. */
  withoutIndexes(table: TableName): Promise<() => Promise<void>>;
  /** Load-only settings off again, statistics gathered, foreign keys checked; then closed. */
  finish(tables: readonly TableName[]): Promise<void>;
  destroy(): Promise<void>;
}

/** The columns of a table in its declared order. */
async function columnsOf(db: Db, dialect: 'sqlite' | 'postgres', table: string): Promise<{ name: string; type: string }[]> {
  if (dialect === 'sqlite') {
    const { rows } = await sql<{ name: string; type: string }>`select name, type from pragma_table_info(${table})`.execute(db);
    return rows;
  }
  const { rows } = await sql<{ name: string; type: string }>`
    select column_name as name, data_type as type from information_schema.columns
    where table_schema = current_schema() and table_name = ${table} order by ordinal_position`.execute(db);
  return rows;
}

function missingColumn(table: string, column: string): Error {
  return new Error(`A ${table} row has no value for ${column}: rows must match src/db/types.ts`);
}

export function openSqliteWriter(file: string): BulkWriter {
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
  const raw = new SQLite(file);
  // What createDb sets, so migrations and reads see the database as the server does.
  raw.pragma('journal_mode = WAL');
  raw.pragma('busy_timeout = 5000');
  // For the load only (put back in finish): nobody else has the file open and a failed load is
  // started again with --reset, so durability can wait; foreign keys are checked once at the end
  // instead of row by row; a large page cache keeps the random primary-key inserts in memory.
  raw.pragma('journal_mode = OFF');
  raw.pragma('synchronous = OFF');
  raw.pragma('foreign_keys = OFF');
  raw.pragma('cache_size = -262144');
  raw.pragma('temp_store = MEMORY');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: raw }) });
  const statements = new Map<
    string,
    { columns: string[]; perStatement: number; many: SQLite.Statement; one: SQLite.Statement }
  >();

  async function prepare(table: string) {
    let s = statements.get(table);
    if (s) return s;
    const columns = (await columnsOf(db, 'sqlite', table)).map((c) => c.name);
    const tuple = `(${columns.map(() => '?').join(',')})`;
    // Well under SQLite's 32 766 bound parameters a statement.
    const perStatement = Math.max(1, Math.floor(16_000 / columns.length));
    const head = `insert into "${table}" (${columns.map((c) => `"${c}"`).join(',')}) values `;
    s = {
      columns,
      perStatement,
      many: raw.prepare(head + Array.from({ length: perStatement }, () => tuple).join(',')),
      one: raw.prepare(head + tuple),
    };
    statements.set(table, s);
    return s;
  }

  return {
    db,
    dialect: 'sqlite',
    async insert(table, rows) {
      if (rows.length === 0) return;
      const { columns, perStatement, many, one } = await prepare(table);
      const list = rows as unknown as readonly Record<string, unknown>[];
      const values = (row: Record<string, unknown>, out: unknown[]) => {
        for (const c of columns) {
          const v = row[c];
          if (v === undefined) throw missingColumn(table, c);
          out.push(v);
        }
      };
      raw.transaction(() => {
        let i = 0;
        for (; i + perStatement <= rows.length; i += perStatement) {
          const params: unknown[] = [];
          for (let k = i; k < i + perStatement; k++) values(list[k]!, params);
          many.run(params);
        }
        for (; i < rows.length; i++) {
          const params: unknown[] = [];
          values(list[i]!, params);
          one.run(params);
        }
      })();
    },
    async withoutIndexes(table) {
      const indexes = raw
        .prepare(`select name, sql from sqlite_master where type = 'index' and tbl_name = ? and sql is not null`)
        .all(table) as { name: string; sql: string }[];
      for (const index of indexes) raw.exec(`drop index "${index.name}"`);
      // The very statements the migrations ran, so the schema ends up as it began.
      return async () => {
        for (const index of indexes) raw.exec(index.sql);
      };
    },
    async finish(tables) {
      raw.exec('analyze');
      const broken = raw.pragma('foreign_key_check') as unknown[];
      if (broken.length > 0) throw new Error(`Foreign keys broken: ${JSON.stringify(broken.slice(0, 5))}`);
      void tables;
      // Back to what createDb sets for the server.
      raw.pragma('foreign_keys = ON');
      raw.pragma('synchronous = NORMAL');
      raw.pragma('journal_mode = WAL');
    },
    async destroy() {
      await db.destroy();
    },
  };
}

export function openPostgresWriter(target: { url: string; schema?: string }): BulkWriter {
  const pool = new pg.Pool({
    connectionString: target.url,
    max: 2,
    ...(target.schema ? { options: `-c search_path=${target.schema}` } : {}),
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const columnCache = new Map<string, { name: string; type: string }[]>();

  return {
    db,
    dialect: 'postgres',
    async insert(table, rows) {
      if (rows.length === 0) return;
      let columns = columnCache.get(table);
      if (!columns) {
        columns = await columnsOf(db, 'postgres', table);
        columnCache.set(table, columns);
      }
      const arrays = columns.map(() => new Array<unknown>(rows.length));
      (rows as unknown as readonly Record<string, unknown>[]).forEach((row, r) => {
        columns.forEach((c, i) => {
          const v = row[c.name];
          if (v === undefined) throw missingColumn(table, c.name);
          arrays[i]![r] = v;
        });
      });
      // One parameter per column whatever the number of rows: no 65 535-parameter bound.
      await sql`insert into ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c.name)))})
        select * from unnest(${sql.join(columns.map((c, i) => sql`${arrays[i]}::${sql.raw(c.type)}[]`))})`.execute(db);
    },
    async withoutIndexes(table) {
      const { rows } = await sql<{ name: string; definition: string }>`
        select i.indexname as name, i.indexdef as definition from pg_indexes i
        where i.schemaname = current_schema() and i.tablename = ${table}
          and not exists (select 1 from pg_constraint c where c.conname = i.indexname and c.connamespace = current_schema()::regnamespace)`.execute(
        db,
      );
      for (const index of rows) await sql`drop index ${sql.ref(index.name)}`.execute(db);
      return async () => {
        for (const index of rows) await sql.raw(index.definition).execute(db);
      };
    },
    async finish(tables) {
      // Our tables only: others may share the database.
      for (const table of tables) await sql`analyze ${sql.table(table)}`.execute(db);
    },
    async destroy() {
      await db.destroy();
    },
  };
}

export function openWriter(target: DatabaseTarget): BulkWriter {
  return target.kind === 'sqlite' ? openSqliteWriter(target.file) : openPostgresWriter(target);
}
