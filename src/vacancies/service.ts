import type { DbOrTrx } from '../db/types.ts';
import type { Deps } from '../deps.ts';
import { newRecordColumns } from '../db/records.ts';
import { NotFoundError, ValidationError } from '../errors.ts';
import * as audit from '../audit/service.ts';
import * as employers from '../employers/service.ts';
import type { MatchVacancy } from '../matching/rules.ts';
import type { Viewer } from '../participants/rules.ts';
import type { Day, TimeOfDay } from '../profiles/rules.ts';
import * as repo from './repo.ts';
import { type FoundVia, type VacancyStatus, formatList, parseDays, parseTimes } from './rules.ts';

export interface Vacancy {
  id: string;
  employerId: string;
  employerName: string;
  title: string;
  occupation: string | null;
  departmentId: string | null;
  departmentName: string | null;
  siteId: string | null;
  siteName: string | null;
  hoursPerWeek: number | null;
  days: Day[];
  times: TimeOfDay[];
  weekends: boolean;
  hourlyPayPence: number | null;
  place: string | null;
  /** The vacancy's own coordinates, else its site's. */
  latitude: number | null;
  longitude: number | null;
  startDate: string | null;
  closingDate: string | null;
  foundVia: FoundVia;
  checkRequired: boolean;
  description: string | null;
  status: VacancyStatus;
  importKey: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

/** What a practitioner types for a vacancy. */
export interface VacancyDetails {
  employerId: string;
  title: string;
  occupation?: string | null;
  departmentId?: string | null;
  siteId?: string | null;
  hoursPerWeek?: number | null;
  days?: readonly Day[];
  times?: readonly TimeOfDay[];
  weekends?: boolean;
  hourlyPayPence?: number | null;
  place?: string | null;
  latitude?: number | null;
  longitude?: number | null;
  startDate?: string | null;
  closingDate?: string | null;
  foundVia: FoundVia;
  checkRequired?: boolean;
  description?: string | null;
  status?: VacancyStatus;
}

const num = (v: number | string | null | undefined): number | null => (v === null || v === undefined ? null : Number(v));

export function toVacancy(r: repo.VacancyListRow): Vacancy {
  const ownPoint = r.latitude !== null && r.longitude !== null;
  return {
    id: r.id,
    employerId: r.employer_id,
    employerName: r.employer_name,
    title: r.title,
    occupation: r.occupation,
    departmentId: r.employer_department_id,
    departmentName: r.department_name,
    siteId: r.employer_site_id,
    siteName: r.site_name,
    hoursPerWeek: num(r.hours_per_week),
    days: parseDays(r.days),
    times: parseTimes(r.times),
    weekends: Number(r.weekends) === 1,
    hourlyPayPence: num(r.hourly_pay_pence),
    place: r.place,
    latitude: ownPoint ? num(r.latitude) : num(r.site_latitude),
    longitude: ownPoint ? num(r.longitude) : num(r.site_longitude),
    startDate: r.start_date,
    closingDate: r.closing_date,
    foundVia: r.found_via as FoundVia,
    checkRequired: Number(r.check_required) === 1,
    description: r.description,
    status: r.status as VacancyStatus,
    importKey: r.import_key,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: Number(r.version),
  };
}

/** The API shape (DESIGN.md section 3: `employer_id`, `title`, `hours_per_week`, `hourly_pay_pence`). */
export function vacancyJson(v: Vacancy): Record<string, unknown> {
  return {
    id: v.id,
    employer_id: v.employerId,
    employer_name: v.employerName,
    title: v.title,
    occupation: v.occupation,
    department_id: v.departmentId,
    site_id: v.siteId,
    hours_per_week: v.hoursPerWeek,
    days: v.days,
    times: v.times,
    weekends: v.weekends,
    hourly_pay_pence: v.hourlyPayPence,
    place: v.place,
    latitude: v.latitude,
    longitude: v.longitude,
    start_date: v.startDate,
    closing_date: v.closingDate,
    found_via: v.foundVia,
    check_required: v.checkRequired,
    description: v.description,
    status: v.status,
    import_key: v.importKey,
    created_at: v.createdAt,
    updated_at: v.updatedAt,
    version: v.version,
  };
}

/** What the matching rules read from a vacancy. */
export function toMatchVacancy(v: Vacancy): MatchVacancy & { id: string } {
  return {
    id: v.id,
    title: v.title,
    occupation: v.occupation,
    hours_per_week: v.hoursPerWeek,
    days: v.days,
    times: v.times,
    weekends: v.weekends,
    hourly_pay_pence: v.hourlyPayPence,
    site_name: v.siteName,
    place: v.place,
    location: v.latitude !== null && v.longitude !== null ? { lat: v.latitude, lon: v.longitude } : null,
    check_required: v.checkRequired,
    closing_date: v.closingDate,
  };
}

export async function getVacancy(db: DbOrTrx, viewer: Viewer, id: string): Promise<Vacancy> {
  if (!employers.canUseEmployers(viewer)) throw new NotFoundError('Vacancy not found');
  const row = await repo.findById(db, id);
  if (!row) throw new NotFoundError('Vacancy not found');
  return toVacancy(row);
}

/** Every vacancy open for matching on `today`. */
export async function openVacancies(db: DbOrTrx, today: string): Promise<Vacancy[]> {
  return (await repo.listOpen(db, today)).map(toVacancy);
}

const clean = (v: string | null | undefined): string | null => v?.trim() || null;

/** Checks the department and site belong to the employer; returns the row to insert. */
async function vacancyRow(
  db: DbOrTrx,
  deps: Deps,
  viewer: Viewer,
  input: VacancyDetails,
  importKey: string | null,
): Promise<repo.VacancyRow> {
  await employers.getEmployer(db, viewer, input.employerId);
  if (input.departmentId) {
    const d = await db
      .selectFrom('employer_departments')
      .select('employer_id')
      .where('id', '=', input.departmentId)
      .executeTakeFirst();
    if (d?.employer_id !== input.employerId) throw new ValidationError({ department_id: 'Choose a department of this employer' });
  }
  if (input.siteId) {
    const s = await db.selectFrom('employer_sites').select('employer_id').where('id', '=', input.siteId).executeTakeFirst();
    if (s?.employer_id !== input.employerId) throw new ValidationError({ site_id: 'Choose a site of this employer' });
  }
  const hasLat = input.latitude !== null && input.latitude !== undefined;
  const hasLon = input.longitude !== null && input.longitude !== undefined;
  if (hasLat !== hasLon)
    throw new ValidationError({ [hasLat ? 'longitude' : 'latitude']: 'Enter both latitude and longitude, or neither' });
  const days = [...(input.days ?? [])];
  return {
    ...newRecordColumns(deps.clock),
    employer_id: input.employerId,
    title: input.title.trim(),
    occupation: clean(input.occupation),
    employer_department_id: input.departmentId ?? null,
    employer_site_id: input.siteId ?? null,
    hours_per_week: input.hoursPerWeek ?? null,
    days: formatList(days),
    times: formatList([...(input.times ?? [])]),
    // Saturday or Sunday among the days is weekend work whatever the box says.
    weekends: input.weekends || days.includes('sat') || days.includes('sun') ? 1 : 0,
    hourly_pay_pence: input.hourlyPayPence ?? null,
    place: clean(input.place),
    latitude: input.latitude ?? null,
    longitude: input.longitude ?? null,
    start_date: input.startDate ?? null,
    closing_date: input.closingDate ?? null,
    found_via: input.foundVia,
    check_required: input.checkRequired ? 1 : 0,
    description: clean(input.description),
    status: input.status ?? 'open',
    import_key: importKey,
    created_by_user_id: viewer.userId,
  };
}

/** Adds a vacancy to an employer. */
export async function createVacancy(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  input: VacancyDetails,
  importKey: string | null = null,
): Promise<Vacancy> {
  const row = await vacancyRow(db, deps, viewer, input, importKey);
  await repo.insert(db, row);
  await audit.record(db, deps, ctx, {
    action: 'vacancy.created',
    entityType: 'vacancy',
    entityId: row.id,
    details: { employer_id: row.employer_id, ...(importKey ? { imported: true } : {}) },
  });
  return getVacancy(db, viewer, row.id);
}
