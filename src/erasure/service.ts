import { randomUUID } from 'node:crypto';
import { PostgresAdapter, sql } from 'kysely';
import * as audit from '../audit/service.ts';
import { afterCommit } from '../db/request-transaction.ts';
import type { Db, DbOrTrx } from '../db/types.ts';
import type { Deps } from '../deps.ts';
import { ForbiddenError, NotFoundError, RuleError, ValidationError } from '../errors.ts';
import type { Viewer } from '../participants/rules.ts';
import * as participants from '../participants/service.ts';
import { londonDate } from '../referrals/rules.ts';
import { COVERED_TABLES, type CoveredTable, collectTables } from '../subject-access/service.ts';
import * as repo from './repo.ts';
import { type RequestStatus, type RequestedBy, dueDate, isOverdue, personLabel } from './rules.ts';

// Erasure (UK GDPR article 17). A manager of the person's team records a request, which must be
// answered within one calendar month, then refuses it with a reason or carries it out. Carrying it
// out deletes, in one transaction, every row the subject access export would hand the person
// (COVERED_TABLES, so a table added there is erased too), children before parents and the person
// last, plus remembered API answers that hold their record. The audit trail is a hash chain and is
// not touched: its events hold ids only, and `erasure.carried_out` is the tombstone. After the
// commit the freed space is scrubbed (SQLite's write-ahead log emptied; PostgreSQL vacuumed).

/**
 * Covered tables that erasure keeps, each with the reason. The request is the record that the
 * person asked and what was done; it holds ids and dates only.
 */
export const KEPT_AFTER_ERASURE: Readonly<Record<string, string>> = {
  erasure_requests: 'the request is the tombstone that the person asked and it was done: ids and dates only, no name or note',
};

export interface ErasureRequest {
  id: string;
  participantId: string;
  teamId: string;
  receivedOn: string;
  dueOn: string;
  requestedBy: RequestedBy;
  status: RequestStatus;
  refusalReason: string | null;
  decidedByUserId: string | null;
  decidedAt: string | null;
  createdAt: string;
  /** Null once the person is erased. */
  personName: string | null;
  /** Their name, or "Erased person" and a short id. */
  personLabel: string;
  overdue: boolean;
}

function toRequest(r: repo.ErasureRequestListRow, today: string): ErasureRequest {
  const personName = r.given_name === null ? null : `${r.given_name} ${r.family_name ?? ''}`.trim();
  return {
    id: r.id,
    participantId: r.participant_id,
    teamId: r.team_id,
    receivedOn: r.received_on,
    dueOn: r.due_on,
    requestedBy: r.requested_by,
    status: r.status,
    refusalReason: r.refusal_reason,
    decidedByUserId: r.decided_by_user_id,
    decidedAt: r.decided_at,
    createdAt: r.created_at,
    personName,
    personLabel: personLabel(r.participant_id, personName),
    overdue: isOverdue(r.status, r.due_on, today),
  };
}

const today = (deps: Deps) => londonDate(deps.clock.now());

/**
 * The person, when the viewer may handle an erasure request for them: a manager of their team.
 * 404 when the viewer cannot see the person, 403 when they can but are not such a manager.
 */
export async function loadPerson(db: DbOrTrx, viewer: Viewer, participantId: string): Promise<participants.ParticipantView> {
  const p = await participants.loadVisible(db, viewer, participantId);
  // Break-glass access is read only and for emergencies: it never erases or records a request.
  if (viewer.role !== 'manager' || !p.canSeeSensitive || p.emergencyAccess)
    throw new ForbiddenError('Only a manager of the person’s team can handle an erasure request');
  return p;
}

/** A request the viewer may handle, or 404: managers of the team it was recorded for, only. */
async function loadRequest(db: DbOrTrx, deps: Deps, viewer: Viewer, id: string): Promise<ErasureRequest> {
  const row = await repo.findRequest(db, id);
  if (!row || viewer.role !== 'manager' || viewer.teamId === null || viewer.teamId !== row.team_id)
    throw new NotFoundError('Erasure request not found');
  const request = toRequest(row, today(deps));
  // While the person exists, the record-level rule of their record applies as well.
  if (request.personName !== null) await loadPerson(db, viewer, request.participantId);
  return request;
}

/** Records a request to erase the person's record, due one calendar month after it was received. */
export async function recordRequest(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  participantId: string,
  input: { receivedOn: string; requestedBy: RequestedBy },
): Promise<ErasureRequest> {
  const run = async (trx: DbOrTrx) => {
    const p = await loadPerson(trx, viewer, participantId);
    if (input.receivedOn > today(deps)) throw new ValidationError({ received_on: 'Date received must be today or in the past' });
    const teamId = p.teamId ?? viewer.teamId;
    if (teamId === null) throw new ForbiddenError('Only a manager of the person’s team can handle an erasure request');
    const row: repo.ErasureRequestRow = {
      id: randomUUID(),
      participant_id: p.id,
      team_id: teamId,
      received_on: input.receivedOn,
      due_on: dueDate(input.receivedOn),
      requested_by: input.requestedBy,
      status: 'open',
      refusal_reason: null,
      decided_by_user_id: null,
      decided_at: null,
      created_by: viewer.userId,
      created_at: deps.clock.now().toISOString(),
    };
    await repo.insertRequest(trx, row);
    await audit.record(trx, deps, ctx, {
      action: 'erasure.requested',
      entityType: 'participant',
      entityId: p.id,
      details: { request_id: row.id, received_on: row.received_on, due_on: row.due_on, requested_by: row.requested_by },
    });
    return toRequest({ ...row, given_name: p.givenName, family_name: p.familyName }, today(deps));
  };
  return db.isTransaction ? run(db) : db.transaction().execute(run);
}

/** The person's erasure requests, newest first; the read is audited on the person. */
export async function personRequests(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  participantId: string,
): Promise<{ person: participants.ParticipantView; requests: ErasureRequest[] }> {
  const person = await loadPerson(db, viewer, participantId);
  const rows = await repo.listForParticipant(db, participantId);
  await audit.record(db, deps, ctx, {
    action: 'participant.viewed',
    entityType: 'participant',
    entityId: participantId,
    details: { page: 'erasure_requests' },
  });
  return { person, requests: rows.map((r) => toRequest(r, today(deps))) };
}

/** Every erasure request of the viewer's team, open ones first, by due date; the read is audited. */
export async function teamRequests(db: DbOrTrx, deps: Deps, ctx: audit.AuditContext, viewer: Viewer): Promise<ErasureRequest[]> {
  if (viewer.role !== 'manager') throw new ForbiddenError('Only a team’s managers see its erasure requests');
  // A manager with no team has no requests to handle.
  if (viewer.teamId === null) return [];
  const rows = await repo.listForTeam(db, viewer.teamId);
  await audit.record(db, deps, ctx, {
    action: 'erasure.list_viewed',
    entityType: 'team',
    entityId: viewer.teamId,
    details: { requests: rows.length },
  });
  return rows.map((r) => toRequest(r, today(deps)));
}

/** One request; reading it while the person exists is audited on the person. */
export async function viewRequest(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  id: string,
): Promise<ErasureRequest> {
  const request = await loadRequest(db, deps, viewer, id);
  if (request.personName !== null)
    await audit.record(db, deps, ctx, {
      action: 'participant.viewed',
      entityType: 'participant',
      entityId: request.participantId,
      details: { page: 'erasure_request', request_id: id },
    });
  return request;
}

/** Refuses an open request with the reason the person will be told; their record stays as it is. */
export async function refuseRequest(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  id: string,
  reason: string,
): Promise<void> {
  const run = async (trx: DbOrTrx) => {
    const request = await loadRequest(trx, deps, viewer, id);
    if (request.status !== 'open') throw new RuleError('This request has already been decided');
    const decided = await repo.decide(trx, id, {
      status: 'refused',
      refusal_reason: reason,
      decided_by_user_id: viewer.userId,
      decided_at: deps.clock.now().toISOString(),
    });
    if (!decided) throw new RuleError('This request has already been decided');
    // The reason is free text, so it stays in the request and out of the audit trail.
    await audit.record(trx, deps, ctx, {
      action: 'erasure.refused',
      entityType: 'participant',
      entityId: request.participantId,
      details: { request_id: id },
    });
  };
  await (db.isTransaction ? run(db) : db.transaction().execute(run));
}

export interface ErasureCount {
  table: string;
  /** The kind of record, in plain English (the subject access heading). */
  heading: string;
  rows: number;
}

/** The covered tables erasure deletes from, children before parents, the person last. */
export function erasureOrder(): CoveredTable[] {
  return [...COVERED_TABLES].reverse().filter((c) => !(c.table in KEPT_AFTER_ERASURE));
}

/** What carrying out the request would remove: rows per kind of record, for the confirmation page (the read is audited). */
export async function erasurePlan(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  id: string,
): Promise<{
  request: ErasureRequest;
  counts: ErasureCount[];
  linkedRecords: number;
  nhsNumber: string | null;
  dateOfBirth: string | null;
}> {
  const request = await loadRequest(db, deps, viewer, id);
  if (request.status !== 'open' || request.personName === null) throw new RuleError('This request has already been decided');
  const tables = await collectTables(db, request.participantId);
  const counts = erasureOrder()
    .reverse()
    .map((c) => ({ table: c.table, heading: c.heading, rows: (tables[c.table] ?? []).length }))
    .filter((c) => c.rows > 0);
  const linked = await db
    .selectFrom('participants')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('linked_participant_id', '=', request.participantId)
    .executeTakeFirst();
  await audit.record(db, deps, ctx, {
    action: 'participant.viewed',
    entityType: 'participant',
    entityId: request.participantId,
    details: { page: 'erasure_confirm', request_id: id },
  });
  const p = tables.participants?.[0];
  return {
    request,
    counts,
    linkedRecords: Number(linked?.n ?? 0),
    nhsNumber: typeof p?.nhs_number === 'string' ? p.nhs_number : null,
    dateOfBirth: typeof p?.date_of_birth === 'string' ? p.date_of_birth : null,
  };
}

/**
 * Carries out an open request: deletes every row held about the person (see the top of this
 * file) in one transaction, keeps the request as the tombstone, audits `erasure.carried_out` with
 * ids and counts only, then scrubs the freed space once the transaction has committed.
 */
export async function carryOut(
  db: Db,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  id: string,
): Promise<{ participantId: string; counts: Record<string, number> }> {
  const done = await db.transaction().execute(async (trx) => {
    const request = await loadRequest(trx, deps, viewer, id);
    if (request.status !== 'open' || request.personName === null) throw new RuleError('This request has already been decided');
    const pid = request.participantId;
    const tables = await collectTables(trx, pid);
    const person = tables.participants?.[0];
    const counts: Record<string, number> = {};
    // Other records marked "possibly the same person" point at this one; they lose the link first.
    const unlinked = await repo.unlinkFrom(trx, pid);
    for (const c of erasureOrder()) {
      let n = 0;
      for (const s of c.sources) {
        const values =
          s.kind === 'person'
            ? [pid]
            : (tables[s.parent] ?? []).map((r) => r.id).filter((v): v is string => typeof v === 'string');
        if (values.length > 0) n += await repo.deleteWhereIn(trx, c.table, s.column, values);
      }
      if (n > 0) counts[c.table] = n;
    }
    // Remembered answers to API writes can hold the person's record as JSON.
    const nhsNumber = typeof person?.nhs_number === 'string' ? person.nhs_number : null;
    const rememberedAnswers = await repo.deleteIdempotencyKeysMentioning(trx, [pid, ...(nhsNumber ? [nhsNumber] : [])]);
    const decision = { decided_by_user_id: viewer.userId, decided_at: deps.clock.now().toISOString() };
    if (!(await repo.decide(trx, id, { ...decision, status: 'carried_out', refusal_reason: null })))
      throw new RuleError('This request has already been decided');
    const others = await repo.closeOthersCarriedOut(trx, pid, decision);
    // A refusal reason written earlier may name them; the tombstone keeps ids and dates only.
    await repo.clearFreeText(trx, pid);
    await audit.record(trx, deps, ctx, {
      action: 'erasure.carried_out',
      entityType: 'participant',
      entityId: pid,
      details: {
        request_id: id,
        counts,
        unlinked_records: unlinked,
        remembered_answers: rememberedAnswers,
        ...(others.length > 0 ? { also_closed: others } : {}),
      },
    });
    return {
      participantId: pid,
      counts,
      touched: [...Object.keys(counts), ...(rememberedAnswers > 0 ? ['idempotency_keys'] : [])],
    };
  });
  await afterCommit(() => scrubFreedSpace(db, done.touched));
  return { participantId: done.participantId, counts: done.counts };
}

/**
 * Makes deleted rows unreadable in the database's files, outside any transaction. SQLite runs
 * with secure_delete (freed pages are zeroed), so emptying the write-ahead log leaves the deleted
 * content nowhere; PostgreSQL's VACUUM removes the dead rows from the touched tables.
 */
export async function scrubFreedSpace(db: Db, tables: readonly string[]): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    for (const t of new Set(tables)) await sql`vacuum ${sql.table(t)}`.execute(db);
    return;
  }
  await sql`pragma wal_checkpoint(TRUNCATE)`.execute(db);
}
