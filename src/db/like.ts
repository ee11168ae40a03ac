import { type Expression, type RawBuilder, sql } from 'kysely';

/** Escapes LIKE's wildcards so `_` and `%` typed in a search match themselves. */
export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * `column LIKE pattern ESCAPE '\'`. SQLite's LIKE has no escape character unless one is named,
 * so without it `_` and `%` would be wildcards there and literal on PostgreSQL.
 */
export function like(column: Expression<unknown>, pattern: string): RawBuilder<boolean> {
  return sql<boolean>`${column} like ${pattern} escape '\\'`;
}

/** Contains `text` anywhere (already lower-cased by the caller where needed). */
export const containsPattern = (text: string): string => `%${escapeLike(text)}%`;

/** Starts with `text`. */
export const prefixPattern = (text: string): string => `${escapeLike(text)}%`;
