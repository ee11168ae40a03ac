import { createHmac } from 'node:crypto';
import type { AuditEventsTable } from '../db/types.ts';

/** The hash the first event chains to. */
export const GENESIS_HASH = '0'.repeat(64);

/** The fields of an audit event that its hash covers: all but the hash itself. */
export type ChainedEvent = Omit<AuditEventsTable, 'hash'>;

/**
 * HMAC-SHA-256 over the previous hash and this event's fields. Keyed with a secret the database
 * does not hold, so someone who can edit the table cannot quietly recompute the chain.
 */
export function eventHash(key: Buffer, e: ChainedEvent): string {
  const canonical = JSON.stringify([
    e.prev_hash,
    e.seq,
    e.id,
    e.occurred_at,
    e.actor_user_id,
    e.actor_label,
    e.action,
    e.entity_type,
    e.entity_id,
    e.client_address,
    e.request_id,
    e.details,
  ]);
  return createHmac('sha256', key).update(canonical).digest('hex');
}

export type ChainBreak = { seq: number; id: string; reason: string };

/**
 * Walks events in `seq` order from `prevHash`; returns the first that does not follow, or null.
 * Called page by page, carrying the last hash and seq forward.
 */
export function firstBreak(
  key: Buffer,
  events: readonly (ChainedEvent & { hash: string })[],
  start: { prevHash: string; prevSeq: number },
): ChainBreak | null {
  let prevHash = start.prevHash;
  let prevSeq = start.prevSeq;
  for (const e of events) {
    if (e.seq !== prevSeq + 1)
      return { seq: e.seq, id: e.id, reason: `sequence jumps from ${prevSeq} to ${e.seq} (an event is missing)` };
    if (e.prev_hash !== prevHash) return { seq: e.seq, id: e.id, reason: 'does not link to the event before it' };
    if (eventHash(key, e) !== e.hash) return { seq: e.seq, id: e.id, reason: 'its contents were changed after it was written' };
    prevHash = e.hash;
    prevSeq = e.seq;
  }
  return null;
}
