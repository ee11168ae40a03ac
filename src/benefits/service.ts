import type { DbOrTrx } from '../db/types.ts';
import type { Deps } from '../deps.ts';
import { newRecordColumns } from '../db/records.ts';
import { ForbiddenError, NotFoundError } from '../errors.ts';
import * as audit from '../audit/service.ts';
import { type Viewer, ageOn } from '../participants/rules.ts';
import * as participants from '../participants/service.ts';
import { minimumHourlyPence } from '../pay/minimum-wage.ts';
import { currentVersion } from '../profiles/service.ts';
import { londonDate } from '../referrals/rules.ts';
import { ratesOn } from './rates.ts';
import * as repo from './repo.ts';
import { type Household, type Job, type Scenario, benefitFromProfile, compareScenarios, startingHours } from './scenarios.ts';

// Saved better-off calculations belong to the person's benefits, a special-category section: only
// the assigned practitioner and the team's managers work with them, as with the profile's
// benefits. Every read and save is audited on the person. Results are always worked out here from
// the figures entered, never taken from a form.

export interface SavedCalculation {
  id: string;
  participantId: string;
  calculatedOn: string;
  taxYear: string | null;
  household: Household;
  scenarios: Scenario[];
  notes: string | null;
  createdByName: string | null;
  createdAt: string;
}

export interface CalculationDraft {
  date: string;
  household: Household;
  jobs: Job[];
  notes: string | null;
}

function toSaved(r: repo.CalculationListRow): SavedCalculation {
  return {
    id: r.id,
    participantId: r.participant_id,
    calculatedOn: r.calculated_on,
    taxYear: r.tax_year,
    household: JSON.parse(r.household) as Household,
    scenarios: JSON.parse(r.scenarios) as Scenario[],
    notes: r.notes,
    createdByName: r.created_by_name,
    createdAt: r.created_at,
  };
}

const NOT_FOUND = 'Benefits calculation not found';

/** The person, when the viewer may work with their benefits: 404 if they cannot see them, 403 if they may only read the record. */
export async function loadPerson(db: DbOrTrx, viewer: Viewer, participantId: string): Promise<participants.ParticipantView> {
  const p = await participants.loadVisible(db, viewer, participantId);
  if (!p.canSeeSensitive)
    throw new ForbiddenError('Only the assigned practitioner and the team’s managers can see or work out benefits calculations');
  return p;
}

const auditOn = (participantId: string, action: string, details: Record<string, unknown>) => ({
  action,
  entityType: 'participant',
  entityId: participantId,
  details,
});

/**
 * The figures a new calculation starts from, for the practitioner to check with the person:
 * the household from the last saved calculation, else the benefit named in the profile; the age
 * from the date of birth; hours from the wanted range; pay from the lowest pay they would take,
 * else the minimum wage for their age. Audited, as it shows the profile's benefits.
 */
export async function startingDraft(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  participantId: string,
): Promise<CalculationDraft> {
  const p = await loadPerson(db, viewer, participantId);
  const today = londonDate(deps.clock.now());
  const profile = (await currentVersion(db, participantId)).data;
  const [last] = await repo.listCalculations(db, participantId, 1, 0);
  const age = p.dateOfBirth ? ageOn(p.dateOfBirth, today) : null;
  const household: Household = last
    ? { ...(JSON.parse(last.household) as Household) }
    : {
        household: 'single',
        ages: age === null ? [] : [age],
        children: false,
        housingCostsPence: 0,
        ...benefitFromProfile(profile.benefits),
        savingsPence: 0,
      };
  if (age !== null) household.ages = [age, ...household.ages.slice(1)];
  const pay = profile.lowest_hourly_pay_pence ?? (age === null ? null : minimumHourlyPence(age, today)) ?? 0;
  const jobs = startingHours(profile.hours_per_week_min, profile.hours_per_week_max).map((h) => ({
    hoursPerWeek: h,
    hourlyPayPence: pay,
    pensionPercent: 0,
  }));
  await audit.record(db, deps, ctx, auditOn(participantId, 'benefit_calculation.started', { from_saved: last?.id ?? null }));
  return { date: today, household, jobs, notes: null };
}

/** Works out the scenarios for a person without saving them; checks the viewer may. */
export async function workOut(db: DbOrTrx, viewer: Viewer, participantId: string, draft: CalculationDraft): Promise<Scenario[]> {
  await loadPerson(db, viewer, participantId);
  return compareScenarios(draft.date, draft.household, draft.jobs);
}

/** Saves the calculation to the person's record, worked out afresh from the figures. */
export async function saveCalculation(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  participantId: string,
  draft: CalculationDraft,
): Promise<SavedCalculation> {
  const p = await loadPerson(db, viewer, participantId);
  // Break-glass shows the person's benefits but never adds to the record.
  if (p.emergencyAccess) throw new ForbiddenError('Emergency access is read only: you cannot save to this record');
  const scenarios = compareScenarios(draft.date, draft.household, draft.jobs);
  const row: repo.CalculationRow = {
    ...newRecordColumns(deps.clock),
    participant_id: participantId,
    calculated_on: draft.date,
    tax_year: ratesOn(draft.date)?.taxYear ?? null,
    household: JSON.stringify(draft.household),
    scenarios: JSON.stringify(scenarios),
    notes: draft.notes,
    created_by_user_id: viewer.userId,
  };
  await repo.insertCalculation(db, row);
  await audit.record(
    db,
    deps,
    ctx,
    auditOn(participantId, 'benefit_calculation.saved', {
      calculation_id: row.id,
      tax_year: row.tax_year,
      scenarios: scenarios.length,
    }),
  );
  const saved = await repo.findCalculation(db, participantId, row.id);
  return toSaved(saved!);
}

/** One saved calculation (404 when it is not this person's). Audited. */
export async function viewCalculation(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  participantId: string,
  id: string,
  page = 'calculation',
): Promise<SavedCalculation> {
  await loadPerson(db, viewer, participantId);
  const row = await repo.findCalculation(db, participantId, id);
  if (!row) throw new NotFoundError(NOT_FOUND);
  await audit.record(db, deps, ctx, auditOn(participantId, 'benefit_calculation.viewed', { calculation_id: id, page }));
  return toSaved(row);
}

/** The person's saved calculations, newest first, a page at a time. Audited. */
export async function listCalculations(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  participantId: string,
  limit: number,
  offset: number,
): Promise<{ items: SavedCalculation[]; total: number }> {
  await loadPerson(db, viewer, participantId);
  const [rows, total] = await Promise.all([
    repo.listCalculations(db, participantId, limit, offset),
    repo.countCalculations(db, participantId),
  ]);
  await audit.record(db, deps, ctx, auditOn(participantId, 'benefit_calculation.listed', { offset, shown: rows.length }));
  return { items: rows.map(toSaved), total };
}
