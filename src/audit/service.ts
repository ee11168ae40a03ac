import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.ts';
import type { DbOrTrx } from '../db/types.ts';
import { type ChainBreak, GENESIS_HASH, eventHash, firstBreak } from './rules.ts';
import * as repo from './repo.ts';

/** Who did it and from where; taken from the request by `auditContext`. */
export interface AuditContext {
  actorUserId: string | null;
  actorLabel: string | null;
  clientAddress: string | null;
  requestId: string | null;
}

export interface AuditInput {
  action: string;
  entityType?: string;
  entityId?: string;
  /** Never secrets or free-text notes: ids, field names and outcomes only. */
  details?: Record<string, unknown>;
}

export interface AuditDeps {
  clock: Clock;
  auditKey: Buffer;
}

export const SYSTEM_CONTEXT: AuditContext = { actorUserId: null, actorLabel: 'system', clientAddress: null, requestId: null };

/** Who acted when no account did: the first-run set-up, and the `stepwise` command. */
export const SETUP_LABEL = 'first-run set-up';
export const commandLineLabel = (username: string): string => `command line (${username})`;

/** Whether a label is one of those above, as typed into the trail's "Who" filter (any case). */
export function isSystemLabel(label: string): boolean {
  const l = label.toLowerCase();
  return l === 'system' || l === SETUP_LABEL || /^command line \([^()\s]+\)$/.test(l);
}

/**
 * Appends one event to the chain. Pass the transaction that makes the change so the event and
 * the change commit together; with a plain handle it opens its own.
 */
export async function record(db: DbOrTrx, deps: AuditDeps, ctx: AuditContext, input: AuditInput): Promise<void> {
  if (db.isTransaction) return append(db, deps, ctx, input);
  await db.transaction().execute((trx) => append(trx, deps, ctx, input));
}

async function append(db: DbOrTrx, deps: AuditDeps, ctx: AuditContext, input: AuditInput): Promise<void> {
  const next = await repo.claimNext(db);
  const event = {
    seq: next.seq,
    id: randomUUID(),
    occurred_at: deps.clock.now().toISOString(),
    actor_user_id: ctx.actorUserId,
    actor_label: ctx.actorLabel,
    action: input.action,
    entity_type: input.entityType ?? null,
    entity_id: input.entityId ?? null,
    client_address: ctx.clientAddress,
    request_id: ctx.requestId,
    details: input.details ? JSON.stringify(input.details) : null,
    prev_hash: next.prevHash,
  };
  await repo.insertEvent(db, { ...event, hash: eventHash(deps.auditKey, event) });
}

export interface VerifyResult {
  checked: number;
  broken: ChainBreak | null;
}

/** Re-computes the whole chain in pages; reports the first event that does not hold. */
export async function verifyChain(db: DbOrTrx, auditKey: Buffer, pageSize = 2000): Promise<VerifyResult> {
  let prev = { prevHash: GENESIS_HASH, prevSeq: 0 };
  let checked = 0;
  for (;;) {
    const page = await repo.eventsAfter(db, prev.prevSeq, pageSize);
    if (page.length === 0) {
      const h = await repo.head(db);
      if (h.seq > prev.prevSeq) {
        return {
          checked,
          broken: { seq: prev.prevSeq + 1, id: '(missing)', reason: `events ${prev.prevSeq + 1} to ${h.seq} were removed` },
        };
      }
      return { checked, broken: null };
    }
    const broken = firstBreak(auditKey, page.map(normalise), prev);
    if (broken) return { checked: checked + page.findIndex((e) => e.seq === broken.seq), broken };
    checked += page.length;
    const tail = page[page.length - 1]!;
    prev = { prevHash: tail.hash, prevSeq: Number(tail.seq) };
  }
}

// PostgreSQL returns integer columns as numbers, but be strict: the hash covers `seq`.
function normalise(row: repo.AuditRow): repo.AuditRow {
  return { ...row, seq: Number(row.seq) };
}

export interface AuditEvent {
  seq: number;
  id: string;
  occurredAt: string;
  actorUserId: string | null;
  actorLabel: string | null;
  action: string;
  entityType: string | null;
  entityId: string | null;
  clientAddress: string | null;
  requestId: string | null;
  details: Record<string, unknown> | null;
}

/** A page of events, newest first, for the admin audit browser. */
export async function listEvents(
  db: DbOrTrx,
  filter: repo.AuditFilter,
  limit: number,
): Promise<{ items: AuditEvent[]; nextBeforeSeq: number | null }> {
  const rows = await repo.findEvents(db, filter, limit + 1);
  const items = rows.slice(0, limit).map((r): AuditEvent => ({
    seq: Number(r.seq),
    id: r.id,
    occurredAt: r.occurred_at,
    actorUserId: r.actor_user_id,
    actorLabel: r.actor_label,
    action: r.action,
    entityType: r.entity_type,
    entityId: r.entity_id,
    clientAddress: r.client_address,
    requestId: r.request_id,
    details: r.details ? (JSON.parse(r.details) as Record<string, unknown>) : null,
  }));
  return { items, nextBeforeSeq: rows.length > limit ? (items[items.length - 1]?.seq ?? null) : null };
}

export const distinctActions = repo.distinctActions;

export const distinctEntityTypes = repo.distinctEntityTypes;

/** The JSON shape of an audit event in the API (snake_case; the chain's hashes stay inside). */
export function auditEventJson(e: AuditEvent): Record<string, unknown> {
  return {
    seq: e.seq,
    id: e.id,
    occurred_at: e.occurredAt,
    actor_user_id: e.actorUserId,
    actor_label: e.actorLabel,
    action: e.action,
    entity_type: e.entityType,
    entity_id: e.entityId,
    client_address: e.clientAddress,
    request_id: e.requestId,
    details: e.details,
  };
}

const londonParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
});

/** How far UK time is ahead of UTC at an instant, in milliseconds (0 or one hour). */
function londonOffsetMs(instant: number): number {
  const p = Object.fromEntries(londonParts.formatToParts(new Date(instant)).map((x) => [x.type, Number(x.value)]));
  const asUtc = Date.UTC(p.year ?? 0, (p.month ?? 1) - 1, p.day ?? 1, p.hour ?? 0, p.minute ?? 0, p.second ?? 0);
  return asUtc - (instant - (instant % 1000));
}

/** The instant a UK calendar day (`YYYY-MM-DD`) begins, as ISO-8601 UTC. */
export function ukDayStart(date: string): string {
  const [y = 0, m = 1, d = 1] = date.split('-').map(Number);
  const midnightUtc = Date.UTC(y, m - 1, d);
  // Clocks change at 01:00 UTC, so the offset at 00:00 UTC is the one in force at UK midnight.
  return new Date(midnightUtc - londonOffsetMs(midnightUtc)).toISOString();
}

/** The instants bounding the UK calendar days `from` to `to`, both included, for an audit filter. */
export function ukDayRange(from?: string, to?: string): { from?: string; to?: string } {
  const range: { from?: string; to?: string } = {};
  if (from) range.from = ukDayStart(from);
  if (to) {
    const next = new Date(`${to}T00:00:00Z`);
    next.setUTCDate(next.getUTCDate() + 1);
    range.to = ukDayStart(next.toISOString().slice(0, 10));
  }
  return range;
}

/** What the audit browser and API can filter on; dates are instants (see `ukDayRange`). */
export type AuditFilter = repo.AuditFilter;
