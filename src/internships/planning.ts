import { randomUUID } from 'node:crypto';
import type { DbOrTrx } from '../db/types.ts';
import type { Deps } from '../deps.ts';
import { newRecordColumns } from '../db/records.ts';
import { ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import * as audit from '../audit/service.ts';
import * as employers from '../employers/service.ts';
import type { Viewer } from '../participants/rules.ts';
import { parseStoredProfile } from '../profiles/schema.ts';
import { parseFormDate } from '../contacts/schema.ts';
import { londonDate } from '../referrals/rules.ts';
import * as users from '../users/service.ts';
import * as repo from './planning-repo.ts';
import {
  type Clash,
  type OutcomeRate,
  type RotationDates,
  defaultRotations,
  gridClashes,
  rotationPlanProblems,
} from './rules.ts';
import * as cohorts from './service.ts';

// Planning a cohort: the host's departments with their intern capacity, the rotation plan, and
// the grid placing each intern in a department for each rotation, with its clashes in words.

/** The most rotations a plan may have. */
export const MAX_ROTATIONS = 6;
/** The most interns a department can be said to take at once. */
export const MAX_CAPACITY = 20;

// ---- Shapes --------------------------------------------------------------------------------------

export interface Department {
  id: string;
  name: string;
  siteId: string | null;
  siteName: string | null;
  /** Interns it can take at once; null when not said (no limit is checked). */
  capacity: number | null;
  contact: string | null;
  version: number;
  /** "Pharmacy (St James’s)": the name with its site. */
  label: string;
}

export interface Rotation {
  id: string;
  number: number;
  startDate: string;
  endDate: string;
  version: number;
}

export interface RotationPlacement {
  id: string;
  rotationId: string;
  internId: string;
  departmentId: string;
}

export interface DepartmentInput {
  name: string;
  siteId: string | null;
  capacity: number | null;
  contact: string | null;
}

/** A clash with its words and the grid cells (`internId:rotationId`) it marks. */
export type ClashView = Clash & { text: string; cells: string[] };

export interface GridIntern {
  id: string;
  participantId: string;
  name: string;
  /** What they want from work, in short: from their vocational profile; null when nothing is recorded. */
  preferences: string | null;
}

export interface Grid {
  cohort: cohorts.CohortView;
  rotations: Rotation[];
  interns: GridIntern[];
  departments: Department[];
  placements: RotationPlacement[];
  clashes: ClashView[];
}

function toDepartment(r: repo.DepartmentListRow): Department {
  return {
    id: r.id,
    name: r.name,
    siteId: r.employer_site_id,
    siteName: r.site_name,
    capacity: r.intern_capacity === null ? null : Number(r.intern_capacity),
    contact: r.intern_contact,
    version: Number(r.version),
    label: r.site_name ? `${r.name} (${r.site_name})` : r.name,
  };
}

function toRotation(r: repo.RotationRow): Rotation {
  return { id: r.id, number: Number(r.number), startDate: r.start_date, endDate: r.end_date, version: Number(r.version) };
}

function toPlacement(r: repo.RotationPlacementRow): RotationPlacement {
  return { id: r.id, rotationId: r.rotation_id, internId: r.cohort_intern_id, departmentId: r.employer_department_id };
}

const clean = (v: string | null | undefined): string | null => v?.replace(/\r\n/g, '\n').trim() || null;

// ---- Departments ---------------------------------------------------------------------------------

/** The host's departments at the cohort's sites (and those at no one site). */
export async function departmentsOf(
  db: DbOrTrx,
  cohort: { hostEmployerId: string; siteIds: readonly string[] },
): Promise<Department[]> {
  return (await repo.departmentsAt(db, cohort.hostEmployerId, cohort.siteIds)).map(toDepartment);
}

/** The cohort's departments, for a viewer who may see the cohort (404 otherwise). */
export async function cohortDepartments(
  db: DbOrTrx,
  viewer: Viewer,
  cohortId: string,
): Promise<{ cohort: cohorts.CohortView; departments: Department[]; sites: { id: string; name: string }[] }> {
  const cohort = await cohorts.loadCohort(db, viewer, cohortId);
  const [departments, sites] = await Promise.all([departmentsOf(db, cohort), cohortSites(db, viewer, cohort)]);
  return { cohort, departments, sites };
}

/** The host's sites that the cohort uses, by name. */
export async function cohortSites(
  db: DbOrTrx,
  viewer: Viewer,
  cohort: { hostEmployerId: string; siteIds: readonly string[] },
): Promise<{ id: string; name: string }[]> {
  const { sites } = await employers.employerParts(db, viewer, cohort.hostEmployerId);
  return sites.filter((s) => cohort.siteIds.includes(s.id)).map((s) => ({ id: s.id, name: s.name }));
}

/** One of the cohort's departments (404 when it is not the host's, or at a site the cohort does not use). */
export async function getDepartment(db: DbOrTrx, viewer: Viewer, cohortId: string, departmentId: string): Promise<Department> {
  const cohort = await cohorts.loadCohort(db, viewer, cohortId);
  const row = await repo.findDepartment(db, cohort.hostEmployerId, departmentId);
  if (!row || (row.employer_site_id !== null && !cohort.siteIds.includes(row.employer_site_id)))
    throw new NotFoundError('Department not found');
  return toDepartment(row);
}

/**
 * Adds a department to the host (`existing` null) or changes one, with how many interns it can
 * take at once and who to talk to there. The name and site are written through the employers
 * service (audited on the employer); the intern fields here, audited the same way.
 */
export async function saveDepartment(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  cohortId: string,
  existing: { id: string; version: number } | null,
  input: DepartmentInput,
): Promise<Department> {
  const cohort = await cohorts.loadCohort(db, viewer, cohortId);
  if (existing) await getDepartment(db, viewer, cohortId, existing.id);
  if (input.siteId && !cohort.siteIds.includes(input.siteId))
    throw new ValidationError({ site_id: 'Select one of the cohort’s sites, or “Not at one site”' });
  const saved = await employers.saveDepartment(db, deps, ctx, viewer, cohort.hostEmployerId, existing, {
    name: input.name,
    siteId: input.siteId,
  });
  const row = await repo.findDepartment(db, cohort.hostEmployerId, saved.id);
  if (!row) throw new NotFoundError('Department not found');
  const contact = clean(input.contact);
  const changed = [
    ...((row.intern_capacity === null ? input.capacity !== null : Number(row.intern_capacity) !== input.capacity)
      ? ['intern_capacity']
      : []),
    ...(row.intern_contact !== contact ? ['intern_contact'] : []),
  ];
  if (changed.length > 0) {
    const n = await repo.setInternFields(db, saved.id, Number(row.version), {
      intern_capacity: input.capacity,
      intern_contact: contact,
      updated_at: deps.clock.now().toISOString(),
    });
    if (n === 0) throw new ConflictError('Someone else changed this department after you opened it');
    await audit.record(db, deps, ctx, {
      action: 'employer.department_changed',
      entityType: 'employer',
      entityId: cohort.hostEmployerId,
      details: { department_id: saved.id, changed, cohort_id: cohortId },
    });
  }
  return getDepartment(db, viewer, cohortId, saved.id);
}

// ---- Rotations -----------------------------------------------------------------------------------

/** The cohort's rotations in order (none until a plan is saved). */
export async function rotationsOf(db: DbOrTrx, viewer: Viewer, cohortId: string): Promise<Rotation[]> {
  await cohorts.loadCohort(db, viewer, cohortId);
  return (await repo.rotationsOf(db, cohortId)).map(toRotation);
}

/** The saved plan, or the default one (three rotations splitting the cohort's dates) when none is saved. */
export async function rotationPlan(
  db: DbOrTrx,
  viewer: Viewer,
  cohortId: string,
): Promise<{ cohort: cohorts.CohortView; rotations: RotationDates[]; saved: boolean }> {
  const cohort = await cohorts.loadCohort(db, viewer, cohortId);
  const saved = (await repo.rotationsOf(db, cohortId)).map(toRotation);
  if (saved.length > 0) return { cohort, rotations: saved, saved: true };
  return { cohort, rotations: defaultRotations(cohort.startDate, cohort.endDate), saved: false };
}

/**
 * Saves the rotation plan: each rotation's dates, in order, within the cohort's dates. Extra
 * rotations are removed with their placements, unless progress is recorded against them.
 * Problems are a ValidationError keyed `rotation_N`.
 */
export async function saveRotations(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  cohortId: string,
  plan: readonly RotationDates[],
): Promise<Rotation[]> {
  const cohort = await cohorts.loadCohort(db, viewer, cohortId);
  if (plan.length < 1 || plan.length > MAX_ROTATIONS)
    throw new ValidationError({ rotation_count: `Choose between 1 and ${MAX_ROTATIONS} rotations` });
  const problems = rotationPlanProblems(cohort, plan);
  if (Object.keys(problems).length > 0) throw new ValidationError(problems);
  const current = (await repo.rotationsOf(db, cohortId)).map(toRotation);
  const dropped = current.filter((r) => !plan.some((p) => p.number === r.number));
  const progress = await repo.progressCounts(
    db,
    dropped.map((r) => r.id),
  );
  const kept = dropped.find((r) => (progress.get(r.id) ?? 0) > 0);
  if (kept)
    throw new ValidationError({
      rotation_count: `Rotation ${kept.number} has reviews, tasks or checklist progress recorded, so it cannot be removed`,
    });
  const now = deps.clock.now().toISOString();
  await repo.deleteRotations(
    db,
    dropped.map((r) => r.id),
  );
  for (const p of plan) {
    const was = current.find((r) => r.number === p.number);
    if (!was)
      await repo.insertRotation(db, {
        ...newRecordColumns(deps.clock),
        cohort_id: cohortId,
        number: p.number,
        start_date: p.startDate,
        end_date: p.endDate,
      });
    else if (was.startDate !== p.startDate || was.endDate !== p.endDate)
      await repo.updateRotation(db, was.id, { start_date: p.startDate, end_date: p.endDate, updated_at: now });
  }
  await audit.record(db, deps, ctx, {
    action: 'cohort.rotations_planned',
    entityType: 'cohort',
    entityId: cohortId,
    details: { rotations: plan.length, removed: dropped.length },
  });
  return (await repo.rotationsOf(db, cohortId)).map(toRotation);
}

/** A typed day (`YYYY-MM-DD` or `DD/MM/YYYY`) as `YYYY-MM-DD`, or null when empty or not a date. */
export function parseDay(value: string | undefined): string | null {
  return value ? parseFormDate(value) : null;
}

/**
 * The rotation plan's problems (keyed `rotation_N`) on the field to put right: the start date
 * when a rotation starts before the last one ends, otherwise the end date.
 */
export function rotationFieldErrors(fields: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(fields).map(([key, message]) => {
      if (!/^rotation_\d+$/.test(key)) return [key, message];
      return [`${key}_${/must start after/.test(message) ? 'start' : 'end'}_date`, message];
    }),
  );
}

// ---- Clashes in words ----------------------------------------------------------------------------

/** "1 and 2", "1, 2 and 3". */
export function andList(items: readonly (string | number)[]): string {
  const s = items.map(String);
  return s.length <= 1 ? (s[0] ?? '') : `${s.slice(0, -1).join(', ')} and ${s[s.length - 1]!}`;
}

/** The grid's clashes in plain words, with the cells each one marks. */
export function describeClashes(
  clashes: readonly Clash[],
  rotations: readonly { id: string; number: number }[],
  interns: readonly { id: string; name: string }[],
  departments: readonly { id: string; label: string }[],
  placements: readonly { rotationId: string; internId: string; departmentId: string }[],
): ClashView[] {
  const rotation = (id: string) => rotations.find((r) => r.id === id)?.number ?? 0;
  const intern = (id: string) => interns.find((i) => i.id === id)?.name ?? 'An intern';
  const department = (id: string) => departments.find((d) => d.id === id)?.label ?? 'A department';
  const internIds = new Set(interns.map((i) => i.id));
  return clashes.map((c): ClashView => {
    switch (c.kind) {
      case 'over_capacity':
        return {
          ...c,
          text: `${department(c.departmentId)} has ${c.placed} interns in rotation ${rotation(c.rotationId)} but takes ${c.capacity === 0 ? 'none' : c.capacity}`,
          cells: placements
            .filter((p) => p.rotationId === c.rotationId && p.departmentId === c.departmentId && internIds.has(p.internId))
            .map((p) => `${p.internId}:${p.rotationId}`),
        };
      case 'same_department_twice':
        return {
          ...c,
          text: `${intern(c.internId)} is in ${department(c.departmentId)} in rotations ${andList(c.rotationIds.map(rotation))}`,
          cells: c.rotationIds.map((r) => `${c.internId}:${r}`),
        };
      case 'no_placement':
        return {
          ...c,
          text: `${intern(c.internId)} has no department in rotation ${rotation(c.rotationId)}`,
          cells: [`${c.internId}:${c.rotationId}`],
        };
    }
  });
}

// ---- The grid ------------------------------------------------------------------------------------

/** A short line of what someone wants from work: the jobs they would like, then their interests. */
export function preferencesText(data: string | undefined): string | null {
  if (!data) return null;
  const profile = parseStoredProfile(data);
  const parts = [
    profile.occupations.length > 0 ? `Would like: ${profile.occupations.join(', ')}` : null,
    profile.interests ? `Interests: ${profile.interests}` : null,
  ].filter((p): p is string => p !== null);
  if (parts.length === 0) return null;
  const text = parts.join('. ');
  return text.length > 160 ? `${text.slice(0, 157).trimEnd()}…` : text;
}

async function gridOf(db: DbOrTrx, viewer: Viewer, cohortId: string): Promise<Grid & { allInterns: cohorts.Intern[] }> {
  const cohort = await cohorts.loadCohort(db, viewer, cohortId);
  const [rotationRows, allInterns, departments, placementRows] = await Promise.all([
    repo.rotationsOf(db, cohortId),
    cohorts.internsOf(db, viewer, cohortId),
    departmentsOf(db, cohort),
    repo.placementsOf(db, cohortId),
  ]);
  const rotations = rotationRows.map(toRotation);
  const active = allInterns.filter((i) => i.status === 'active' && i.name !== null);
  const profiles = await repo.latestProfiles(
    db,
    active.map((i) => i.participantId),
  );
  const interns = active.map((i) => ({
    id: i.id,
    participantId: i.participantId,
    name: i.name ?? '',
    preferences: preferencesText(profiles.get(i.participantId)),
  }));
  const placements = placementRows.map(toPlacement);
  const clashes = gridClashes(rotations, interns, departments, placements);
  return {
    cohort,
    rotations,
    interns,
    departments,
    placements,
    clashes: describeClashes(clashes, rotations, interns, departments, placements),
    allInterns,
  };
}

function withoutAll(g: Grid & { allInterns: cohorts.Intern[] }): Grid {
  return {
    cohort: g.cohort,
    rotations: g.rotations,
    interns: g.interns,
    departments: g.departments,
    placements: g.placements,
    clashes: g.clashes,
  };
}

/** The planning grid (the cohort's active interns by rotation), auditing the read as `cohort.viewed`. */
export async function viewGrid(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  cohortId: string,
): Promise<Grid> {
  const grid = withoutAll(await gridOf(db, viewer, cohortId));
  await audit.record(db, deps, ctx, {
    action: 'cohort.viewed',
    entityType: 'cohort',
    entityId: cohortId,
    details: { page: 'grid', interns: grid.interns.length },
  });
  return grid;
}

export interface GridCell {
  internId: string;
  rotationId: string;
  /** Null: no department in that rotation. */
  departmentId: string | null;
}

/** The form field of a grid cell. */
export const cellField = (internId: string, rotationId: string): string => `cell_${internId}_${rotationId}`;

/**
 * Saves the grid: each cell given places the intern in that department for that rotation, or
 * takes them out of it. Clashes do not stop a save (a plan is work in progress); each intern
 * whose placements changed has it audited on their record. Returns the grid as saved.
 */
export async function saveGrid(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  cohortId: string,
  cells: readonly GridCell[],
): Promise<Grid> {
  const before = await gridOf(db, viewer, cohortId);
  const fields: Record<string, string> = {};
  for (const c of cells) {
    const intern = before.interns.find((i) => i.id === c.internId);
    const rotation = before.rotations.find((r) => r.id === c.rotationId);
    if (!intern || !rotation) fields[cellField(c.internId, c.rotationId)] = 'This intern or rotation is no longer in the plan';
    else if (c.departmentId !== null && !before.departments.some((d) => d.id === c.departmentId))
      fields[cellField(c.internId, c.rotationId)] =
        `Select a department for ${intern.name} in rotation ${rotation.number} from the list`;
  }
  if (Object.keys(fields).length > 0) throw new ValidationError(fields);
  const now = deps.clock.now().toISOString();
  const changed = new Map<string, number>();
  for (const c of cells) {
    const existing = before.placements.find((p) => p.internId === c.internId && p.rotationId === c.rotationId);
    if (existing && c.departmentId === null) await repo.deletePlacement(db, existing.id);
    else if (existing && c.departmentId !== null && existing.departmentId !== c.departmentId)
      await repo.updatePlacement(db, existing.id, c.departmentId, now);
    else if (!existing && c.departmentId !== null)
      await repo.insertPlacement(db, {
        id: randomUUID(),
        rotation_id: c.rotationId,
        cohort_intern_id: c.internId,
        employer_department_id: c.departmentId,
        created_at: now,
        updated_at: now,
      });
    else continue;
    changed.set(c.internId, (changed.get(c.internId) ?? 0) + 1);
  }
  for (const [internId, count] of changed) {
    const intern = before.interns.find((i) => i.id === internId)!;
    await audit.record(db, deps, ctx, {
      action: 'intern.rotations_planned',
      entityType: 'participant',
      entityId: intern.participantId,
      details: { cohort_id: cohortId, intern_id: internId, cells: count },
    });
  }
  return withoutAll(await gridOf(db, viewer, cohortId));
}

// ---- The cohort page -----------------------------------------------------------------------------

export interface CohortPicture {
  cohort: cohorts.CohortView;
  coaches: { id: string; name: string }[];
  sites: { id: string; name: string }[];
  rotations: Rotation[];
  /** The rotation running today, if any. */
  currentRotation: Rotation | null;
  interns: cohorts.Intern[];
  departments: Department[];
  placements: RotationPlacement[];
  outcomeRate: OutcomeRate;
  clashes: ClashView[];
}

/** Everything the cohort page and the API's cohort show, auditing the read as `cohort.viewed`. */
export async function viewCohort(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  cohortId: string,
  page = 'cohort',
): Promise<CohortPicture> {
  const grid = await gridOf(db, viewer, cohortId);
  const cohort = grid.cohort;
  const interns = grid.allInterns;
  const [outcomeRate, sites, coachNames] = await Promise.all([
    cohorts.cohortOutcomeRate(db, viewer, cohortId),
    cohortSites(db, viewer, cohort),
    repo.userNames(db, cohort.coachIds),
  ]);
  const today = londonDate(deps.clock.now());
  await audit.record(db, deps, ctx, {
    action: 'cohort.viewed',
    entityType: 'cohort',
    entityId: cohortId,
    details: { page, interns: interns.length },
  });
  return {
    cohort,
    coaches: coachNames,
    sites,
    rotations: grid.rotations,
    currentRotation: grid.rotations.find((r) => r.startDate <= today && today <= r.endDate) ?? null,
    interns,
    departments: grid.departments,
    placements: grid.placements,
    outcomeRate,
    clashes: grid.clashes,
  };
}

// ---- Choices for the cohort forms ----------------------------------------------------------------

export interface Choice {
  value: string;
  text: string;
}

/** Organisations to choose the host from: host organisations first, then the others. */
export async function hostChoices(db: DbOrTrx, viewer: Viewer): Promise<Choice[]> {
  const [hosts, all] = await Promise.all([
    employers.searchEmployers(db, viewer, { type: 'host' }, { limit: 200, offset: 0 }),
    employers.searchEmployers(db, viewer, {}, { limit: 500, offset: 0 }),
  ]);
  return [
    ...hosts.items.map((e) => ({ value: e.id, text: e.name })),
    ...all.items.filter((e) => e.type !== 'host').map((e) => ({ value: e.id, text: `${e.name} (not marked as a host)` })),
  ];
}

/** Active practitioners and managers, by name, with their team: who can tutor or coach a cohort. */
export async function staffChoices(db: DbOrTrx): Promise<Choice[]> {
  const [practitioners, managers] = await Promise.all(
    (['practitioner', 'manager'] as const).map((role) => users.listUsers(db, { role, active: true }, 500)),
  );
  return [...(practitioners?.items ?? []), ...(managers?.items ?? [])]
    .map((u) => ({ value: u.id, text: u.teamName ? `${u.name} (${u.teamName})` : u.name }))
    .sort((a, b) => a.text.localeCompare(b.text));
}

/** The host's sites to choose the cohort's from. */
export async function hostSites(db: DbOrTrx, viewer: Viewer, hostEmployerId: string): Promise<Choice[]> {
  const { sites } = await employers.employerParts(db, viewer, hostEmployerId);
  return sites.map((s) => ({ value: s.id, text: s.name }));
}
