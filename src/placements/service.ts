import type { DbOrTrx } from '../db/types.ts';
import type { Deps } from '../deps.ts';
import { newRecordColumns } from '../db/records.ts';
import * as audit from '../audit/service.ts';
import * as repo from './repo.ts';

// Placements (jobs held). For now only what a match reaching "started" needs: the in-work
// support issue builds the full workflow (end dates, reasons, competitive check) on this.

export interface Placement {
  id: string;
  participantId: string;
  employerId: string;
  vacancyId: string | null;
  matchId: string | null;
  practitionerId: string | null;
  title: string;
  departmentId: string | null;
  siteId: string | null;
  startDate: string;
  endDate: string | null;
  endReason: string | null;
  hoursPerWeek: number | null;
  hourlyPayPence: number | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

/** What a new placement starts with. */
export interface PlacementStart {
  participantId: string;
  employerId: string;
  vacancyId?: string | null;
  matchId?: string | null;
  /** The person's practitioner, who supports them in the job. */
  practitionerId?: string | null;
  title: string;
  departmentId?: string | null;
  siteId?: string | null;
  /** `YYYY-MM-DD`. */
  startDate: string;
  hoursPerWeek?: number | null;
  hourlyPayPence?: number | null;
}

const num = (v: number | string | null): number | null => (v === null ? null : Number(v));

export function toPlacement(r: repo.PlacementRow): Placement {
  return {
    id: r.id,
    participantId: r.participant_id,
    employerId: r.employer_id,
    vacancyId: r.vacancy_id,
    matchId: r.match_id,
    practitionerId: r.practitioner_id,
    title: r.title,
    departmentId: r.employer_department_id,
    siteId: r.employer_site_id,
    startDate: r.start_date,
    endDate: r.end_date,
    endReason: r.end_reason,
    hoursPerWeek: num(r.hours_per_week),
    hourlyPayPence: num(r.hourly_pay_pence),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: Number(r.version),
  };
}

/**
 * Records the start of a job. The caller has checked the person is theirs to change and passes
 * its transaction, so the placement and whatever started it commit together. Audited on the person.
 */
export async function createPlacement(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  input: PlacementStart,
): Promise<Placement> {
  const row: repo.PlacementRow = {
    ...newRecordColumns(deps.clock),
    participant_id: input.participantId,
    employer_id: input.employerId,
    vacancy_id: input.vacancyId ?? null,
    match_id: input.matchId ?? null,
    practitioner_id: input.practitionerId ?? null,
    title: input.title,
    employer_department_id: input.departmentId ?? null,
    employer_site_id: input.siteId ?? null,
    start_date: input.startDate,
    end_date: null,
    end_reason: null,
    hours_per_week: input.hoursPerWeek ?? null,
    hourly_pay_pence: input.hourlyPayPence ?? null,
    contract_type: null,
    line_manager: null,
    open_to_anyone: 1,
    set_aside_for_disabled: 0,
  };
  await repo.insert(db, row);
  await audit.record(db, deps, ctx, {
    action: 'placement.created',
    entityType: 'participant',
    entityId: input.participantId,
    details: { placement_id: row.id, employer_id: row.employer_id, ...(row.match_id ? { match_id: row.match_id } : {}) },
  });
  return toPlacement(row);
}

/** The placement each of these matches created, by match id. */
export async function placementIdsByMatch(db: DbOrTrx, matchIds: readonly string[]): Promise<Map<string, string>> {
  return repo.idsByMatch(db, matchIds);
}
