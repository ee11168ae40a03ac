import { randomUUID } from 'node:crypto';
import * as audit from '../audit/service.ts';
import type { Clock } from '../clock.ts';
import type { DbOrTrx } from '../db/types.ts';
import type { Deps } from '../deps.ts';
import { NotFoundError, ValidationError } from '../errors.ts';
import type { Viewer } from '../participants/rules.ts';
import { londonDate } from '../referrals/rules.ts';
import * as settings from '../settings/service.ts';
import * as repo from './repo.ts';
import {
  LISTED_CLASSES,
  RECORD_CLASSES,
  RECORD_CLASS_INFO,
  type RecordClass,
  type RetentionPeriods,
  cutoffFor,
  nextReviewProblem,
  periodEnds,
  periodProblem,
  storedPeriod,
} from './rules.ts';

// Retention review: which records are past their period, for a team's managers to look at, and
// their decisions to keep one for now. Nothing here deletes anything: a record leaves the list
// only by a review (until its next review date) or by an erasure carried out elsewhere.

const settingKey = (c: RecordClass) => `retention_years.${c}`;

/** The retention period of every record class, in years (the default where none is saved). */
export async function getPeriods(db: DbOrTrx): Promise<RetentionPeriods> {
  const stored = await settings.getStored(db, RECORD_CLASSES.map(settingKey));
  return Object.fromEntries(RECORD_CLASSES.map((c) => [c, storedPeriod(c, stored.get(settingKey(c)))])) as RetentionPeriods;
}

/** Saves the periods that changed (each 1 to 30 whole years), audited with the old and new value. */
export async function updatePeriods(
  db: DbOrTrx,
  deps: { clock: Clock; auditKey: Buffer },
  ctx: audit.AuditContext,
  next: Partial<RetentionPeriods>,
): Promise<RetentionPeriods> {
  const problems: Record<string, string> = {};
  for (const c of RECORD_CLASSES) {
    const v = next[c];
    const problem = v === undefined ? null : periodProblem(v);
    if (problem) problems[c] = problem;
  }
  if (Object.keys(problems).length > 0) throw new ValidationError(problems);
  const current = await getPeriods(db);
  const at = deps.clock.now().toISOString();
  const changed: Record<string, { from: number; to: number }> = {};
  for (const c of RECORD_CLASSES) {
    const v = next[c];
    if (v === undefined || v === current[c]) continue;
    await settings.putStored(db, settingKey(c), String(v), at);
    changed[c] = { from: current[c], to: v };
  }
  if (Object.keys(changed).length > 0) {
    await audit.record(db, deps, ctx, { action: 'retention.periods_updated', entityType: 'settings', details: changed });
  }
  return { ...current, ...next };
}

/** One record past its period, as a reviewer sees it. */
export interface DueRecord {
  recordClass: RecordClass;
  recordId: string;
  participantId: string;
  name: string;
  /** The date its period counts from (YYYY-MM-DD). */
  countedFrom: string;
  years: number;
  /** The last day of its period. */
  periodEnded: string;
}

function toDue(r: repo.DueRow, periods: RetentionPeriods): DueRecord {
  const recordClass = r.record_class as RecordClass;
  const years = periods[recordClass];
  return {
    recordClass,
    recordId: r.record_id,
    participantId: r.participant_id,
    name: `${r.preferred_name?.trim() || r.given_name} ${r.family_name}`,
    countedFrom: r.counted_from.slice(0, 10),
    years,
    periodEnded: periodEnds(r.counted_from, years),
  };
}

function today(clock: Clock): string {
  return londonDate(clock.now());
}

function listedCutoffs(periods: RetentionPeriods, day: string): Partial<Record<RecordClass, string>> {
  return Object.fromEntries(LISTED_CLASSES.map((c) => [c, cutoffFor(day, periods[c])]));
}

/** The team whose records a viewer reviews: a manager's own; anyone else reviews none (404). */
function reviewTeam(viewer: Viewer): string {
  if (viewer.role !== 'manager' || !viewer.teamId) throw new NotFoundError('Page not found');
  return viewer.teamId;
}

/**
 * A page of the viewer's team's records past their retention period, oldest first, leaving out
 * those a reviewer has kept until a date still to come. The people shown are audited by id.
 */
export async function reviewList(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  page: { limit: number; offset: number },
): Promise<{ items: DueRecord[]; total: number; periods: RetentionPeriods }> {
  const periods = await getPeriods(db);
  // A manager not yet in a team has no one's records to review.
  if (viewer.role === 'manager' && !viewer.teamId) return { items: [], total: 0, periods };
  const teamId = reviewTeam(viewer);
  const day = today(deps.clock);
  const { rows, total } = await repo.pageDue(db, { cutoffs: listedCutoffs(periods, day), today: day, teamId }, page);
  const items = rows.map((r) => toDue(r, periods));
  await audit.record(db, deps, ctx, {
    action: 'retention.review_list_viewed',
    entityType: 'team',
    entityId: teamId,
    details: { participant_ids: [...new Set(items.map((i) => i.participantId))], offset: page.offset, total },
  });
  return { items, total, periods };
}

/** One of the viewer's team's records past its period (404 when it is not, or is not theirs to review). */
export async function dueRecord(
  db: DbOrTrx,
  deps: Deps,
  viewer: Viewer,
  recordClass: string,
  recordId: string,
): Promise<DueRecord> {
  const teamId = reviewTeam(viewer);
  if (!LISTED_CLASSES.includes(recordClass as RecordClass)) throw new NotFoundError('Record not found');
  const cls = recordClass as RecordClass;
  const periods = await getPeriods(db);
  const day = today(deps.clock);
  const row = await repo.findDue(db, {
    cutoffs: listedCutoffs(periods, day),
    today: day,
    teamId,
    record: { recordClass: cls, recordId },
  });
  if (!row) throw new NotFoundError('Record not found');
  return toDue(row, periods);
}

export interface ReviewInput {
  reason: string;
  nextReviewOn: string;
}

/**
 * Marks a record past its period "reviewed: keep for now" with a reason, so it leaves the list
 * until the next review date. Keeps the record exactly as it is; audited (ids and date only).
 */
export async function markReviewed(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  recordClass: string,
  recordId: string,
  input: ReviewInput,
): Promise<DueRecord> {
  const record = await dueRecord(db, deps, viewer, recordClass, recordId);
  const problem = nextReviewProblem(input.nextReviewOn, today(deps.clock));
  if (problem) throw new ValidationError({ next_review_on: problem });
  await repo.insertReview(db, {
    id: randomUUID(),
    participant_id: record.participantId,
    record_class: record.recordClass,
    record_id: record.recordId,
    reason: input.reason.trim(),
    next_review_on: input.nextReviewOn,
    reviewed_by_user_id: viewer.userId,
    reviewed_at: deps.clock.now().toISOString(),
  });
  await audit.record(db, deps, ctx, {
    action: 'retention.reviewed',
    entityType: 'participant',
    entityId: record.participantId,
    details: { record_class: record.recordClass, record_id: record.recordId, next_review_on: input.nextReviewOn },
  });
  return record;
}

/** For the administrator: per class, the period, how many records are past it and how many are kept for now. */
export interface ClassSummary {
  recordClass: RecordClass;
  label: string;
  countedFrom: string;
  source: string;
  years: number;
  past: number;
  kept: number;
  listed: boolean;
}

/** Counts across every team (numbers only: the administrator sees no one's record). */
export async function summary(db: DbOrTrx, deps: { clock: Clock }): Promise<ClassSummary[]> {
  const periods = await getPeriods(db);
  const day = today(deps.clock);
  const [past, kept, auditPast] = await Promise.all([
    repo.countDue(db, { cutoffs: listedCutoffs(periods, day), today: day }),
    repo.countKept(db, day),
    repo.countAuditEventsBefore(db, cutoffFor(day, periods.audit_event)),
  ]);
  return RECORD_CLASSES.map((c) => ({
    recordClass: c,
    label: RECORD_CLASS_INFO[c].label,
    countedFrom: RECORD_CLASS_INFO[c].countedFrom,
    source: RECORD_CLASS_INFO[c].source,
    years: periods[c],
    past: c === 'audit_event' ? auditPast : (past.get(c) ?? 0),
    kept: kept.get(c) ?? 0,
    listed: RECORD_CLASS_INFO[c].listed,
  }));
}
