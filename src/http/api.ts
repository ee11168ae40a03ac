import { z } from 'zod';
import { isRecordId } from '../db/records.ts';
import { ValidationError } from '../errors.ts';

/** `?limit=&cursor=` for every API list (DESIGN.md section 3). */
export const ListQuerySchema = z.object({
  limit: z.coerce
    .number({ error: 'Limit must be a number' })
    .int('Limit must be a whole number')
    .min(1, 'Limit must be at least 1')
    .max(200, 'Limit must be 200 or fewer')
    .default(50),
  cursor: z.string().max(500, 'Cursor is not valid').optional(),
});

/** Opaque cursors: the last sort key of the previous page, base64url so callers do not rely on it. */
export function encodeCursor(key: string | null): string | null {
  return key === null ? null : Buffer.from(key, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string | undefined): string | undefined {
  if (!cursor) return undefined;
  const key = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!key || Buffer.from(key, 'utf8').toString('base64url') !== cursor)
    throw new ValidationError({ cursor: 'Cursor is not valid' });
  return key;
}

/** The list envelope: `{ items, next_cursor }`. */
export function listBody<T>(items: T[], nextKey: string | null): { items: T[]; next_cursor: string | null } {
  return { items, next_cursor: encodeCursor(nextKey) };
}

/** A record id from the path; anything that is not one is a 400 naming the parameter. */
export function recordIdParam(params: unknown, name = 'id'): string {
  const value = (params as Record<string, unknown> | undefined)?.[name];
  if (!isRecordId(value)) throw new ValidationError({ [name]: `${name} is not a valid record id` });
  return value;
}
