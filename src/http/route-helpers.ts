import type { FastifyRequest } from 'fastify';
import { isRecordId } from '../db/records.ts';
import { NotFoundError, UnauthenticatedError, ValidationError } from '../errors.ts';
import type { Viewer } from '../participants/rules.ts';
import { pageNumbers } from '../timeline/rules.ts';
import { decodeCursor } from './api.ts';

// Small pieces most domain routes need: ids in page paths, links that keep a list's filters, the
// NHS.UK pagination options, and the offset behind an API cursor.

/**
 * Who is asking, for the services' row-level checks. The access hook has already refused a
 * request without a signed-in actor on every route that calls this.
 */
export function requestViewer(request: FastifyRequest): Viewer {
  if (!request.actor) throw new UnauthenticatedError();
  const { userId, role, teamId, emergency } = request.actor;
  // The request's break-glass context (src/http/emergency-access.ts) goes with the viewer.
  return emergency ? { userId, role, teamId, emergency } : { userId, role, teamId };
}

/** A record id in a page's path; anything else is simply a page that does not exist. */
export function pagePathId(request: FastifyRequest, name: string, thing: string): string {
  const id = (request.params as Record<string, unknown>)[name];
  if (!isRecordId(id)) throw new NotFoundError(`${thing} not found`);
  return id;
}

/** A path with query parameters, leaving out the empty ones. */
export function linkWith(path: string, params: Record<string, string | number | undefined | null>): string {
  const query = new URLSearchParams(
    Object.entries(params).flatMap(([k, v]): [string, string][] =>
      v === undefined || v === null || v === '' ? [] : [[k, String(v)]],
    ),
  ).toString();
  return query ? `${path}?${query}` : path;
}

/** The NHS.UK pagination macro's options, or null when everything fits on one page. */
export function paginationOf(page: number, total: number, pageSize: number, href: (page: number) => string) {
  const last = Math.max(1, Math.ceil(total / pageSize));
  if (last <= 1) return null;
  return {
    previous: page > 1 ? { href: href(page - 1) } : undefined,
    next: page < last ? { href: href(page + 1) } : undefined,
    items: pageNumbers(Math.min(page, last), last).map((n) =>
      n === null ? { ellipsis: true } : { number: n, href: href(n), current: n === page },
    ),
  };
}

/** The offset an API list cursor stands for (cursors are opaque to callers). */
export function cursorOffset(cursor: string | undefined): number {
  const key = decodeCursor(cursor);
  const offset = key === undefined ? 0 : Number(key);
  if (!Number.isInteger(offset) || offset < 0) throw new ValidationError({ cursor: 'Cursor is not valid' });
  return offset;
}

/** What the person typed into a form, to fill it in again after a refusal: the hidden CSRF and idempotency fields left out. */
export function typedValues(body: unknown): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries((body ?? {}) as Record<string, unknown>).filter(([k]) => k !== '_csrf' && k !== '_idempotency_key'),
  );
}
