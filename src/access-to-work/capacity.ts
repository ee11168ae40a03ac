import type { DbOrTrx } from '../db/types.ts';
import type { Deps } from '../deps.ts';
import { NotFoundError } from '../errors.ts';
import * as audit from '../audit/service.ts';
import { londonMidnight } from '../calendar/bank-holidays.ts';
import { mondayOf } from '../employers/rules.ts';
import type { Viewer } from '../participants/rules.ts';
import { addDays } from '../support/rules.ts';
import * as repo from './repo.ts';
import {
  type CapacityCoach,
  type CapacityForecast,
  type Commitment,
  HOURLY_KINDS,
  PENDING_APPLICATION_STATUSES,
  hoursToMinutes,
  isActiveOn,
  weeklyMinutes,
  capacityForecast,
} from './rules.ts';
import { toAward } from './service.ts';

// Coach capacity: the team's contracted coach hours against the hours its people's awards,
// support plans and pending applications commit it to. This file gathers the facts from the
// database; rules.capacityForecast does the arithmetic.

/** Weeks of delivered support the page looks back over. */
export const DELIVERED_WEEKS = 12;
/** Weeks the forecast looks ahead, this week first. */
export const FORECAST_WEEKS = 26;

export interface TeamCapacity {
  today: string;
  /** The whole weeks whose delivered support is counted: [from, to], Monday to Sunday. */
  deliveredFrom: string;
  deliveredTo: string;
  forecast: CapacityForecast;
  /** Active practitioners and managers of the team with no hours recorded and nothing committed. */
  others: { id: string; name: string }[];
  /** How many of each kind of commitment the forecast counts. */
  counts: { awards: number; plans: number; pipeline: number };
}

/**
 * What a team's coaches are committed to: every hourly award of the team's people not ended
 * before this week (its coach, its hours a week, between its dates); every active or reduced
 * support plan with coach hours on a job not yet ended, unless an hourly award covering today
 * pays for the same job (or, when the award names no job, the same person), counted for the
 * person's practitioner until the job's end date if it has one; and every application still
 * waiting that says its hours and expected start, from that start, for the person's practitioner.
 */
export async function teamCommitments(db: DbOrTrx, teamId: string, today: string): Promise<Commitment[]> {
  const thisWeek = mondayOf(today);
  const [awardRows, plans, pipeline] = await Promise.all([
    repo.awardsForTeams(db, [teamId], thisWeek),
    repo.teamPlanHours(db, teamId, today),
    repo.teamPipeline(db, teamId, PENDING_APPLICATION_STATUSES),
  ]);
  const awards = awardRows.map(toAward).filter((a) => HOURLY_KINDS.includes(a.supportKind));
  const activeNow = awards.filter((a) => isActiveOn(a, today));
  const out: Commitment[] = awards.map((a) => ({
    coachId: a.coachUserId,
    kind: 'award',
    from: a.startDate,
    to: a.endDate,
    minutesPerWeek: weeklyMinutes(a),
  }));
  for (const p of plans) {
    const paid = activeNow.some((a) => (a.placementId ? a.placementId === p.placement_id : a.participantId === p.participant_id));
    if (paid) continue;
    out.push({
      coachId: p.practitioner_id,
      kind: 'plan',
      from: null,
      to: p.job_end_date,
      minutesPerWeek: hoursToMinutes(p.hours_per_week),
    });
  }
  for (const a of pipeline) {
    out.push({
      coachId: a.practitioner_id,
      kind: 'pipeline',
      from: a.expected_start_date,
      to: null,
      minutesPerWeek: hoursToMinutes(a.hours_per_week),
    });
  }
  return out.filter((c) => c.minutesPerWeek > 0);
}

/**
 * A team's coach capacity: each coach's contracted hours, what they are committed to now, what
 * they delivered over the last 12 whole weeks, and the 26-week forecast with its statement. The
 * coaches are the team's active practitioners and managers who have contracted hours recorded or
 * something committed to them. A fixed number of queries whatever the team's size.
 */
export async function teamCapacity(db: DbOrTrx, teamId: string, today: string): Promise<TeamCapacity> {
  const thisWeek = mondayOf(today);
  const deliveredFrom = addDays(thisWeek, -7 * DELIVERED_WEEKS);
  const [members, commitments] = await Promise.all([repo.teamCoaches(db, teamId), teamCommitments(db, teamId, today)]);
  const committedTo = new Set(commitments.map((c) => c.coachId));
  const inForecast = members.filter((m) => m.contracted_hours_per_week !== null || committedTo.has(m.id));
  const delivered = await repo.supportMinutesBy(
    db,
    inForecast.map((m) => m.id),
    londonMidnight(deliveredFrom).toISOString(),
    londonMidnight(thisWeek).toISOString(),
  );
  const coaches: CapacityCoach[] = inForecast.map((m) => ({
    id: m.id,
    name: m.name,
    contractedHoursPerWeek: m.contracted_hours_per_week === null ? null : Number(m.contracted_hours_per_week),
    deliveredMinutes12Weeks: delivered.get(m.id) ?? 0,
  }));
  const count = (kind: Commitment['kind']) => commitments.filter((c) => c.kind === kind).length;
  return {
    today,
    deliveredFrom,
    deliveredTo: addDays(thisWeek, -1),
    forecast: capacityForecast(coaches, commitments, today, FORECAST_WEEKS),
    others: members.filter((m) => !inForecast.includes(m)).map((m) => ({ id: m.id, name: m.name })),
    counts: { awards: count('award'), plans: count('plan'), pipeline: count('pipeline') },
  };
}

// ---- Contracted hours ----------------------------------------------------------------------------

export interface Coach {
  id: string;
  name: string;
  teamId: string | null;
  contractedHoursPerWeek: number | null;
}

/**
 * A practitioner or manager whose contracted hours the viewer may set: an administrator any
 * active one, a manager those of their own team. Anyone else is not found, so the page does not
 * reveal who exists.
 */
export async function coachFor(db: DbOrTrx, viewer: Viewer, userId: string): Promise<Coach> {
  const row = await repo.findCoach(db, userId);
  const isCoach = row && Number(row.active) === 1 && (row.role === 'practitioner' || row.role === 'manager');
  const mayManage =
    viewer.role === 'admin' || (viewer.role === 'manager' && viewer.teamId !== null && row?.team_id === viewer.teamId);
  if (!row || !isCoach || !mayManage) throw new NotFoundError('Coach not found');
  return {
    id: row.id,
    name: row.name,
    teamId: row.team_id,
    contractedHoursPerWeek: row.contracted_hours_per_week === null ? null : Number(row.contracted_hours_per_week),
  };
}

/** Records a coach's contracted hours a week (null: not recorded), audited with the old and new value. */
export async function setContractedHours(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  userId: string,
  hours: number | null,
): Promise<Coach> {
  const coach = await coachFor(db, viewer, userId);
  if (coach.contractedHoursPerWeek === hours) return coach;
  await repo.setContractedHours(db, userId, hours);
  await audit.record(db, deps, ctx, {
    action: 'user.contracted_hours_changed',
    entityType: 'user',
    entityId: userId,
    details: { from: coach.contractedHoursPerWeek, to: hours },
  });
  return { ...coach, contractedHoursPerWeek: hours };
}
