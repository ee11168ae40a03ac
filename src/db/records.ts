import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.ts';

/** The columns every new record starts with. */
export function newRecordColumns(clock: Clock): { id: string; created_at: string; updated_at: string; version: number } {
  const now = clock.now().toISOString();
  return { id: randomUUID(), created_at: now, updated_at: now, version: 1 };
}

/** PostgreSQL returns counts as strings (bigint) and SQLite as numbers. */
export function toCount(value: string | number | bigint | null | undefined): number {
  return value === null || value === undefined ? 0 : Number(value);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Record ids are UUIDs; anything else cannot name a record. */
export function isRecordId(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

/** Kysely's result of an update, as the number of rows it touched. */
export function rowsUpdated(result: { numUpdatedRows: bigint } | undefined): number {
  return result ? Number(result.numUpdatedRows) : 0;
}

/** A unique constraint refused the write, on either database (PostgreSQL 23505, SQLite's constraint codes). */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
