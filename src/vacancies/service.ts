import { startAfterCommit } from '../db/request-transaction.ts';
import type { DbOrTrx } from '../db/types.ts';
import type { Deps } from '../deps.ts';
import { newRecordColumns } from '../db/records.ts';
import { ConflictError, NotFoundError, RuleError, ValidationError } from '../errors.ts';
import * as audit from '../audit/service.ts';
import * as employers from '../employers/service.ts';
import { employerNameKey } from '../employers/rules.ts';
import type { MatchVacancy } from '../matching/rules.ts';
import type { CompetitivePayResult } from '../pay/minimum-wage.ts';
import type { Viewer } from '../participants/rules.ts';
import * as participants from '../participants/service.ts';
import type { Day, TimeOfDay } from '../profiles/rules.ts';
import { type CsvFile, type ImportVacancy, parseImportRow, readCsv } from './import.ts';
import * as repo from './repo.ts';
import {
  type FoundVia,
  type ListStatus,
  type VacancyStatus,
  allowedNextStatuses,
  closingSoonUntil,
  formatList,
  parseDays,
  parseTimes,
  VACANCY_STATUS_LABELS,
  vacancyPayCheck,
} from './rules.ts';

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
  /** The vacancy's own coordinates only (what its form shows). */
  ownLatitude: number | null;
  ownLongitude: number | null;
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
    ownLatitude: ownPoint ? num(r.latitude) : null,
    ownLongitude: ownPoint ? num(r.longitude) : null,
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

/** Whether the pay meets the minimum wage: for this person (their age on the start date) or, without one, someone aged 21 or over. */
export function vacancyPay(
  v: Vacancy,
  today: string,
  person: { dateOfBirth: string | null } | null = null,
): CompetitivePayResult {
  return vacancyPayCheck(v, person, today);
}

/**
 * The API shape (DESIGN.md section 3: `employer_id`, `title`, `hours_per_week`, `hourly_pay_pence`)
 * with the minimum-wage check. Pass the check for today or for a person; without one it is
 * worked out for someone aged 21 or over on the start date (or the day it was recorded).
 */
export function vacancyJson(v: Vacancy, pay?: CompetitivePayResult): Record<string, unknown> {
  const check = pay ?? vacancyPayCheck(v, null, v.createdAt.slice(0, 10));
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
    competitive: check.competitive,
    competitive_reasons: check.reasons,
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

/** A department or site of another employer (or none) is a mistake on that field. */
async function checkParts(
  db: DbOrTrx,
  viewer: Viewer,
  employerId: string,
  departmentId: string | null | undefined,
  siteId: string | null | undefined,
): Promise<void> {
  const belongs = async (get: () => Promise<unknown>) =>
    get().then(
      () => true,
      (err: unknown) => {
        if (err instanceof NotFoundError) return false;
        throw err;
      },
    );
  if (departmentId && !(await belongs(() => employers.getDepartment(db, viewer, employerId, departmentId))))
    throw new ValidationError({ department_id: 'Choose a department of this employer' });
  if (siteId && !(await belongs(() => employers.getSite(db, viewer, employerId, siteId))))
    throw new ValidationError({ site_id: 'Choose a site of this employer' });
}

function checkCoordinates(latitude: number | null | undefined, longitude: number | null | undefined): void {
  const hasLat = latitude !== null && latitude !== undefined;
  const hasLon = longitude !== null && longitude !== undefined;
  if (hasLat !== hasLon)
    throw new ValidationError({ [hasLat ? 'longitude' : 'latitude']: 'Enter both latitude and longitude, or neither' });
}

/** The row to store for checked details. */
function rowOf(deps: Deps, viewer: Viewer, input: VacancyDetails, importKey: string | null): repo.VacancyRow {
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
  await employers.getEmployer(db, viewer, input.employerId);
  await checkParts(db, viewer, input.employerId, input.departmentId, input.siteId);
  checkCoordinates(input.latitude, input.longitude);
  const row = rowOf(deps, viewer, input, importKey);
  await repo.insert(db, row);
  await audit.record(db, deps, ctx, {
    action: 'vacancy.created',
    entityType: 'vacancy',
    entityId: row.id,
    details: { employer_id: row.employer_id, ...(importKey ? { imported: true } : {}) },
  });
  return getVacancy(db, viewer, row.id);
}

/** The details of a saved vacancy, as `createVacancy` takes them. */
function detailsOf(v: Vacancy): VacancyDetails {
  return {
    employerId: v.employerId,
    title: v.title,
    occupation: v.occupation,
    departmentId: v.departmentId,
    siteId: v.siteId,
    hoursPerWeek: v.hoursPerWeek,
    days: v.days,
    times: v.times,
    weekends: v.weekends,
    hourlyPayPence: v.hourlyPayPence,
    place: v.place,
    // Its own point only: a site's point is the site's, not the vacancy's.
    latitude: v.ownLatitude,
    longitude: v.ownLongitude,
    startDate: v.startDate,
    closingDate: v.closingDate,
    foundVia: v.foundVia,
    checkRequired: v.checkRequired,
    description: v.description,
    status: v.status,
  };
}

// The columns a change can touch, so the audit trail names fields and never values.
const CHANGEABLE = [
  'employer_id',
  'title',
  'occupation',
  'employer_department_id',
  'employer_site_id',
  'hours_per_week',
  'days',
  'times',
  'weekends',
  'hourly_pay_pence',
  'place',
  'latitude',
  'longitude',
  'start_date',
  'closing_date',
  'found_via',
  'check_required',
  'description',
  'status',
] as const satisfies readonly (keyof repo.VacancyRow)[];

/**
 * Changes a vacancy when `version` is current (409 otherwise); fields left undefined keep their
 * value. A status change must be one `allowedNextStatuses` gives (422 otherwise).
 */
export async function updateVacancy(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  id: string,
  version: number,
  changes: Partial<VacancyDetails>,
): Promise<Vacancy> {
  const current = await getVacancy(db, viewer, id);
  const stale = () => new ConflictError('Someone else changed this vacancy after you opened it');
  if (current.version !== version) throw stale();
  const defined = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)) as Partial<VacancyDetails>;
  const next: VacancyDetails = { ...detailsOf(current), ...defined };
  const to = next.status ?? current.status;
  if (to !== current.status && !allowedNextStatuses(current.status).includes(to))
    throw new RuleError(
      `A vacancy that is ${VACANCY_STATUS_LABELS[current.status].toLowerCase()} cannot become ${VACANCY_STATUS_LABELS[to].toLowerCase()}`,
    );
  if (next.employerId !== current.employerId) await employers.getEmployer(db, viewer, next.employerId);
  await checkParts(db, viewer, next.employerId, next.departmentId, next.siteId);
  checkCoordinates(next.latitude, next.longitude);
  const before = rowOf(deps, viewer, detailsOf(current), current.importKey);
  const after = rowOf(deps, viewer, next, current.importKey);
  const set: Partial<repo.VacancyRow> = {};
  for (const k of CHANGEABLE) if (before[k] !== after[k]) (set as Record<string, unknown>)[k] = after[k];
  const changed = Object.keys(set);
  if (changed.length === 0) return current;
  const rows = await repo.update(db, id, version, { ...set, updated_at: deps.clock.now().toISOString() });
  if (rows === 0) throw stale();
  await audit.record(db, deps, ctx, {
    action: set.status === undefined ? 'vacancy.updated' : 'vacancy.status_changed',
    entityType: 'vacancy',
    entityId: id,
    details: { changed, ...(set.status === undefined ? {} : { from: current.status, to: set.status }) },
  });
  return getVacancy(db, viewer, id);
}

/** Marks a vacancy filled or withdrawn, or reopens it. */
export async function changeVacancyStatus(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  id: string,
  version: number,
  to: VacancyStatus,
): Promise<Vacancy> {
  const current = await getVacancy(db, viewer, id);
  if (current.status === to) throw new RuleError(`This vacancy is already ${VACANCY_STATUS_LABELS[to].toLowerCase()}`);
  return updateVacancy(db, deps, ctx, viewer, id, version, { status: to });
}

// ---- Finding vacancies ---------------------------------------------------------------------------

export interface VacancySearch {
  q?: string | undefined;
  /** The list's choice (open by default): `closed` is open but past its closing date. */
  listStatus?: ListStatus | undefined;
  /** The stored status (the API's filter). */
  status?: VacancyStatus | undefined;
  /** Open and closing within the next two weeks. */
  closingSoon?: boolean | undefined;
  foundVia?: FoundVia | undefined;
  employerId?: string | undefined;
  /** Open for applications on this day. */
  openOn?: string | undefined;
}

function filterOf(f: VacancySearch, today: string): repo.VacancyFilter {
  const text = f.q?.trim().toLowerCase();
  const out: repo.VacancyFilter = {
    text: text || undefined,
    employerText: f.q ? employerNameKey(f.q) : undefined,
    status: f.status,
    foundVia: f.foundVia,
    employerId: f.employerId,
    openOn: f.openOn,
  };
  const list = f.listStatus ?? 'all';
  if (list === 'open') out.openOn = today;
  else if (list === 'closed') out.closedBefore = today;
  else if (list === 'filled' || list === 'withdrawn') out.status = list;
  if (f.closingSoon) {
    out.openOn = today;
    out.closingBy = closingSoonUntil(today);
  }
  return out;
}

/** A page of vacancies and how many match in all. */
export async function searchVacancies(
  db: DbOrTrx,
  viewer: Viewer,
  today: string,
  search: VacancySearch,
  page: { sort: repo.VacancySort; limit: number; offset: number },
): Promise<{ items: Vacancy[]; total: number }> {
  if (!employers.canUseEmployers(viewer)) return { items: [], total: 0 };
  const filter = filterOf(search, today);
  const [rows, total] = await Promise.all([repo.search(db, filter, page), repo.count(db, filter)]);
  return { items: rows.map(toVacancy), total };
}

/** A page for the API (one more row than asked says whether another page follows). */
export async function pageVacancies(
  db: DbOrTrx,
  viewer: Viewer,
  today: string,
  search: VacancySearch,
  page: { limit: number; offset: number },
): Promise<{ items: Vacancy[]; hasMore: boolean }> {
  if (!employers.canUseEmployers(viewer)) return { items: [], hasMore: false };
  const rows = await repo.search(db, filterOf(search, today), { sort: 'newest', limit: page.limit + 1, offset: page.offset });
  return { items: rows.slice(0, page.limit).map(toVacancy), hasMore: rows.length > page.limit };
}

/**
 * The pay check for one person the viewer may see (404 otherwise), by their age on the start
 * date. Reading their date of birth is a read of their record, so it is audited.
 */
export async function payCheckForPerson(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  vacancy: Vacancy,
  participantId: string,
  today: string,
): Promise<CompetitivePayResult> {
  const person = await participants.loadVisible(db, viewer, participantId);
  await audit.record(db, deps, ctx, {
    action: 'participant.viewed',
    entityType: 'participant',
    entityId: participantId,
    details: { for: 'vacancy_pay_check', vacancy_id: vacancy.id },
  });
  return vacancyPay(vacancy, today, person);
}

/** The departments and sites a vacancy at this employer can name, as select choices. */
export async function partChoices(
  db: DbOrTrx,
  viewer: Viewer,
  employerId: string,
): Promise<{ departments: { id: string; name: string }[]; sites: { id: string; name: string }[] }> {
  const parts = await employers.employerParts(db, viewer, employerId);
  const pick = (p: { id: string; name: string }) => ({ id: p.id, name: p.name });
  return { departments: parts.departments.map(pick), sites: parts.sites.map(pick) };
}

// ---- CSV import ----------------------------------------------------------------------------------

/** Rows written per transaction, and between progress updates. */
export const IMPORT_BATCH = 250;
// The report keeps this many row errors; the count of rows not imported is always exact.
const MAX_ERRORS_KEPT = 1000;

export type ImportStatus = 'running' | 'done' | 'failed';

export interface RowError {
  line: number;
  message: string;
}

export interface VacancyImport {
  id: string;
  userId: string;
  fileName: string | null;
  status: ImportStatus;
  totalRows: number;
  processedRows: number;
  added: number;
  alreadyImported: number;
  newEmployers: number;
  /** Rows that could not be imported (`errors` may hold fewer: the first ones only). */
  notImported: number;
  errors: RowError[];
  failure: string | null;
  createdAt: string;
  finishedAt: string | null;
}

function toImport(r: repo.ImportRow): VacancyImport {
  const processed = Number(r.processed_rows);
  const added = Number(r.added);
  const already = Number(r.already_there);
  return {
    id: r.id,
    userId: r.user_id,
    fileName: r.file_name,
    status: r.status as ImportStatus,
    totalRows: Number(r.total_rows),
    processedRows: processed,
    added,
    alreadyImported: already,
    newEmployers: Number(r.new_employers),
    notImported: processed - added - already,
    errors: JSON.parse(r.errors) as RowError[],
    failure: r.failure,
    createdAt: r.created_at,
    finishedAt: r.finished_at,
  };
}

/** The report of an import: its importer's, or a manager's of the importer's team (404 for anyone else). */
export async function getImport(db: DbOrTrx, viewer: Viewer, id: string): Promise<VacancyImport> {
  const row = employers.canUseEmployers(viewer) ? await repo.findImport(db, id) : undefined;
  const mayRead =
    row !== undefined &&
    (row.user_id === viewer.userId ||
      (viewer.role === 'manager' && viewer.teamId !== null && viewer.teamId === row.user_team_id));
  if (!row || !mayRead) throw new NotFoundError('Import not found');
  return toImport(row);
}

/** The viewer's own latest imports. */
export async function recentImports(db: DbOrTrx, viewer: Viewer, limit = 5): Promise<VacancyImport[]> {
  if (!employers.canUseEmployers(viewer)) return [];
  return (await repo.importsBy(db, viewer.userId, limit)).map(toImport);
}

/** What an import remembers between batches: employers and their parts by name, keys already used. */
interface ImportState {
  employers: Map<string, { id: string; sites: Map<string, string>; departments: Map<string, string> }>;
  keys: Set<string>;
  report: { added: number; already: number; newEmployers: number; processed: number; errors: RowError[]; notImported: number };
}

const nameKey = (s: string) => s.trim().replace(/\s+/g, ' ').toLowerCase();

/** The employer a row names, created (external, prospect) when it is not recorded yet. */
async function importEmployer(
  trx: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  state: ImportState,
  v: ImportVacancy,
) {
  const known = state.employers.get(v.employerKey);
  if (known) return known;
  let employer = await employers.findByName(trx, v.employerName);
  if (!employer) {
    employer = await employers.createEmployer(trx, deps, ctx, viewer, {
      name: v.employerName,
      type: 'external',
      relationshipStage: 'prospect',
    });
    state.report.newEmployers++;
  }
  const parts = await employers.employerParts(trx, viewer, employer.id);
  const entry = {
    id: employer.id,
    sites: new Map(parts.sites.map((s) => [nameKey(s.name), s.id])),
    departments: new Map(parts.departments.map((d) => [nameKey(d.name), d.id])),
  };
  state.employers.set(v.employerKey, entry);
  return entry;
}

/** Writes one batch of rows in the caller's transaction; valid new rows are added whole, the rest reported. */
async function importBatch(
  trx: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  importId: string,
  file: CsvFile,
  from: number,
  state: ImportState,
): Promise<void> {
  const batch = file.rows.slice(from, from + IMPORT_BATCH);
  const parsed = batch.map((row) => ({ line: row.line, result: parseImportRow(file.columns, row) }));
  const keys = parsed.flatMap((p) => (p.result.ok ? [p.result.vacancy.importKey] : []));
  const inDb = await repo.existingImportKeys(trx, keys);
  const rows: repo.VacancyRow[] = [];
  const fail = (line: number, message: string) => {
    state.report.notImported++;
    if (state.report.errors.length < MAX_ERRORS_KEPT) state.report.errors.push({ line, message });
  };
  for (const { line, result } of parsed) {
    if (!result.ok) {
      fail(line, result.message);
      continue;
    }
    const v = result.vacancy;
    // Already imported: by an earlier import, or by an earlier line of this file.
    if (inDb.has(v.importKey) || state.keys.has(v.importKey)) {
      state.report.already++;
      continue;
    }
    state.keys.add(v.importKey);
    const employer = await importEmployer(trx, deps, ctx, viewer, state, v);
    let siteId: string | null = null;
    if (v.site) {
      siteId = employer.sites.get(nameKey(v.site)) ?? null;
      if (!siteId) {
        siteId = (await employers.saveSite(trx, deps, ctx, viewer, employer.id, null, { name: v.site })).id;
        employer.sites.set(nameKey(v.site), siteId);
      }
    }
    let departmentId: string | null = null;
    if (v.department) {
      departmentId = employer.departments.get(nameKey(v.department)) ?? null;
      if (!departmentId) {
        const d = await employers.saveDepartment(trx, deps, ctx, viewer, employer.id, null, { name: v.department, siteId });
        departmentId = d.id;
        employer.departments.set(nameKey(v.department), departmentId);
      }
    }
    // The row's names for the employer, department and site give way to their records.
    rows.push(rowOf(deps, viewer, { ...v, employerId: employer.id, departmentId, siteId }, v.importKey));
  }
  await repo.insertMany(trx, rows);
  for (const row of rows)
    await audit.record(trx, deps, ctx, {
      action: 'vacancy.created',
      entityType: 'vacancy',
      entityId: row.id,
      details: { employer_id: row.employer_id, import_id: importId },
    });
  state.report.added += rows.length;
  state.report.processed += batch.length;
  await repo.updateImport(trx, importId, {
    processed_rows: state.report.processed,
    added: state.report.added,
    already_there: state.report.already,
    new_employers: state.report.newEmployers,
    errors: JSON.stringify(state.report.errors),
  });
}

/**
 * Starts importing a CSV file. The file is read first: one that is not CSV, or has a bad header,
 * is a ValidationError on `file` and writes nothing. Then an import record is made (its id is
 * returned at once) and the rows are written in batches, each batch in one transaction with the
 * progress, so the report always matches what is saved. `finished` settles when it is done; on
 * an unexpected failure the import is marked failed (rows of earlier batches stay) and it rejects.
 */
export async function startImport(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  upload: { fileName: string | null; text: string },
): Promise<{ id: string; finished: Promise<VacancyImport> }> {
  if (!employers.canUseEmployers(viewer)) throw new NotFoundError('Not found');
  const file = readCsv(upload.text);
  const id = newRecordColumns(deps.clock).id;
  await repo.insertImport(db, {
    id,
    user_id: viewer.userId,
    file_name: upload.fileName?.slice(0, 200) ?? null,
    status: 'running',
    total_rows: file.rows.length,
    processed_rows: 0,
    added: 0,
    already_there: 0,
    new_employers: 0,
    errors: '[]',
    failure: null,
    created_at: deps.clock.now().toISOString(),
    finished_at: null,
  });
  const state: ImportState = {
    employers: new Map(),
    keys: new Set(),
    report: { added: 0, already: 0, newEmployers: 0, processed: 0, errors: [], notImported: 0 },
  };
  const run = async (): Promise<VacancyImport> => {
    // Let the caller answer before the first batch takes the database.
    await new Promise((resolve) => setImmediate(resolve));
    let from = 0;
    try {
      for (; from < file.rows.length; from += IMPORT_BATCH) {
        await db.transaction().execute((trx) => importBatch(trx, deps, ctx, viewer, id, file, from, state));
      }
      await repo.updateImport(db, id, { status: 'done', finished_at: deps.clock.now().toISOString() });
      await audit.record(db, deps, ctx, {
        action: 'vacancy.imported',
        entityType: 'vacancy_import',
        entityId: id,
        details: {
          rows: file.rows.length,
          added: state.report.added,
          already_imported: state.report.already,
          new_employers: state.report.newEmployers,
          not_imported: state.report.notImported,
        },
      });
    } catch (err) {
      const line = file.rows[from]?.line;
      await repo.updateImport(db, id, {
        status: 'failed',
        failure: `The import stopped${line ? ` at line ${line}` : ''} because of a problem on our side. Rows before it were imported; import the file again to add the rest (rows already imported are skipped)`,
        finished_at: deps.clock.now().toISOString(),
      });
      throw err;
    }
    return getImport(db, viewer, id);
  };
  // Batches run after the import's row has committed, each in a transaction of its own.
  return { id, finished: startAfterCommit(run) };
}
