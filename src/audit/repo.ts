import type { AuditEventsTable, DbOrTrx } from '../db/types.ts';

export type AuditRow = AuditEventsTable;

/**
 * Claims the next sequence number. The update takes the head row's lock, so on PostgreSQL a
 * second writer waits here until the first commits, then sees its hash.
 */
export async function claimNext(db: DbOrTrx): Promise<{ seq: number; prevHash: string }> {
  const head = await db
    .updateTable('audit_head')
    .set((eb) => ({ seq: eb('seq', '+', 1) }))
    .where('id', '=', 1)
    .returning(['seq', 'hash'])
    .executeTakeFirstOrThrow();
  return { seq: Number(head.seq), prevHash: head.hash };
}

export async function insertEvent(db: DbOrTrx, row: AuditRow): Promise<void> {
  await db.insertInto('audit_events').values(row).execute();
  await db.updateTable('audit_head').set({ hash: row.hash }).where('id', '=', 1).execute();
}

export async function head(db: DbOrTrx): Promise<{ seq: number; hash: string }> {
  const h = await db.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirstOrThrow();
  return { seq: Number(h.seq), hash: h.hash };
}

/** Events in chain order after `afterSeq`, a page at a time. */
export async function eventsAfter(db: DbOrTrx, afterSeq: number, limit: number): Promise<AuditRow[]> {
  return db.selectFrom('audit_events').selectAll().where('seq', '>', afterSeq).orderBy('seq').limit(limit).execute();
}

export interface AuditFilter {
  actorUserId?: string;
  /** The label recorded at the time, for actors with no account ("system", an unknown email). */
  actorLabel?: string;
  action?: string;
  entityType?: string;
  entityId?: string;
  from?: string;
  to?: string;
  /** Newest first: only events with seq below this. */
  beforeSeq?: number;
}

/** Events matching the filter, newest first. */
export async function findEvents(db: DbOrTrx, f: AuditFilter, limit: number): Promise<AuditRow[]> {
  let q = db.selectFrom('audit_events').selectAll();
  if (f.actorUserId) q = q.where('actor_user_id', '=', f.actorUserId);
  if (f.actorLabel) q = q.where('actor_label', '=', f.actorLabel);
  if (f.action) q = q.where('action', '=', f.action);
  if (f.entityType) q = q.where('entity_type', '=', f.entityType);
  if (f.entityId) q = q.where('entity_id', '=', f.entityId);
  if (f.from) q = q.where('occurred_at', '>=', f.from);
  if (f.to) q = q.where('occurred_at', '<', f.to);
  if (f.beforeSeq !== undefined) q = q.where('seq', '<', f.beforeSeq);
  return q.orderBy('seq', 'desc').limit(limit).execute();
}

export async function distinctActions(db: DbOrTrx): Promise<string[]> {
  const rows = await db.selectFrom('audit_events').select('action').distinct().orderBy('action').execute();
  return rows.map((r) => r.action);
}

export async function distinctEntityTypes(db: DbOrTrx): Promise<string[]> {
  const rows = await db
    .selectFrom('audit_events')
    .select('entity_type')
    .distinct()
    .where('entity_type', 'is not', null)
    .orderBy('entity_type')
    .execute();
  return rows.map((r) => r.entity_type as string);
}
