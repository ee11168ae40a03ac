import type { DbOrTrx } from '../db/types.ts';
import type { Deps } from '../deps.ts';
import { isUniqueViolation, newRecordColumns } from '../db/records.ts';
import { ConflictError, NotFoundError, RuleError, ValidationError } from '../errors.ts';
import * as audit from '../audit/service.ts';
import type { Viewer } from '../participants/rules.ts';
import { canSeeParticipant, searchText } from '../participants/rules.ts';
import * as participants from '../participants/service.ts';
import { displayName } from '../profiles/service.ts';
import * as repo from './repo.ts';
import {
  type EmployerContactMode,
  type EmployerContactPurpose,
  type EmployerSize,
  type EmployerType,
  type RelationshipStage,
  canChangeEmployerContact,
  coordinateProblems,
  isFaceToFace,
  stageAfterContact,
  employerNameKey,
  tidyEmployerName,
} from './rules.ts';

export interface Employer {
  id: string;
  name: string;
  type: EmployerType;
  sector: string | null;
  size: EmployerSize | null;
  address: string | null;
  postcode: string | null;
  latitude: number | null;
  longitude: number | null;
  website: string | null;
  relationshipStage: RelationshipStage;
  notes: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

/** What a practitioner types for an employer (all but the name optional). */
export interface EmployerDetails {
  name: string;
  type: EmployerType;
  sector?: string | null;
  size?: EmployerSize | null;
  address?: string | null;
  postcode?: string | null;
  latitude?: number | null;
  longitude?: number | null;
  website?: string | null;
  relationshipStage?: RelationshipStage;
  notes?: string | null;
}

const num = (v: number | string | null): number | null => (v === null ? null : Number(v));

export function toEmployer(r: repo.EmployerRow): Employer {
  return {
    id: r.id,
    name: r.name,
    type: r.type as EmployerType,
    sector: r.sector,
    size: r.size as EmployerSize | null,
    address: r.address,
    postcode: r.postcode,
    latitude: num(r.latitude),
    longitude: num(r.longitude),
    website: r.website,
    relationshipStage: r.relationship_stage as RelationshipStage,
    notes: r.notes,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: Number(r.version),
  };
}

/** The API shape (DESIGN.md section 3: `name`, `type`). */
export function employerJson(e: Employer): Record<string, unknown> {
  return {
    id: e.id,
    name: e.name,
    type: e.type,
    sector: e.sector,
    size: e.size,
    address: e.address,
    postcode: e.postcode,
    latitude: e.latitude,
    longitude: e.longitude,
    website: e.website,
    relationship_stage: e.relationshipStage,
    notes: e.notes,
    created_at: e.createdAt,
    updated_at: e.updatedAt,
    version: e.version,
  };
}

/** The message beside the name when the organisation is already recorded. */
export function duplicateMessage(existing: { name: string }): string {
  return `${existing.name} is already recorded. Open it from the employers list instead of adding it again`;
}

/** Employers are the service's shared CRM: practitioners and managers of any team read and change them. */
export function canUseEmployers(viewer: Viewer): boolean {
  return viewer.role === 'practitioner' || viewer.role === 'manager';
}

function assertCanUse(viewer: Viewer): void {
  if (!canUseEmployers(viewer)) throw new NotFoundError('Employer not found');
}

export async function getEmployer(db: DbOrTrx, viewer: Viewer, id: string): Promise<Employer> {
  assertCanUse(viewer);
  const row = await repo.findById(db, id);
  if (!row) throw new NotFoundError('Employer not found');
  return toEmployer(row);
}

/** The employer already recorded under this name (by its duplicate key), if any. */
export async function findByName(db: DbOrTrx, name: string): Promise<Employer | undefined> {
  const row = await repo.findByNameKey(db, employerNameKey(name));
  return row ? toEmployer(row) : undefined;
}

function clean(v: string | null | undefined): string | null {
  const t = v?.trim();
  return t ? t : null;
}

function checkCoordinates(lat: number | null | undefined, lon: number | null | undefined): void {
  const problems = coordinateProblems(lat, lon);
  if (Object.keys(problems).length > 0) throw new ValidationError(problems);
}

/**
 * The employer a form names by its typed name (matched the way duplicates are caught), or the
 * message to show beside the field when it is empty or not recorded.
 */
export async function employerTypedInForm(
  db: DbOrTrx,
  typed: unknown,
): Promise<{ employer: Employer; problem?: undefined } | { employer: null; problem: string }> {
  const name = typeof typed === 'string' ? typed.trim() : '';
  if (!name) return { employer: null, problem: 'Enter the employer’s name' };
  const employer = await findByName(db, name);
  return employer
    ? { employer }
    : { employer: null, problem: `No employer called “${name}” is recorded. Check the spelling, or add the employer first` };
}

/** Creates an employer. A name already recorded (by its duplicate key) is a validation error on `name`. */
export async function createEmployer(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  input: EmployerDetails,
): Promise<Employer> {
  assertCanUse(viewer);
  const name = tidyEmployerName(input.name);
  const key = employerNameKey(name);
  if (!key) throw new ValidationError({ name: 'Enter the name of the organisation' });
  const existing = await repo.findByNameKey(db, key);
  if (existing) throw new ValidationError({ name: duplicateMessage(existing) });
  checkCoordinates(input.latitude, input.longitude);
  const row: repo.EmployerRow = {
    ...newRecordColumns(deps.clock),
    name,
    name_key: key,
    type: input.type,
    sector: clean(input.sector),
    size: input.size ?? null,
    address: clean(input.address),
    postcode: clean(input.postcode)?.toUpperCase() ?? null,
    latitude: input.latitude ?? null,
    longitude: input.longitude ?? null,
    website: clean(input.website),
    relationship_stage: input.relationshipStage ?? 'prospect',
    notes: clean(input.notes),
    created_by_user_id: viewer.userId,
  };
  try {
    await repo.insert(db, row);
  } catch (err) {
    // Two people adding the same organisation at once: the unique key stops the second.
    if (isUniqueViolation(err)) throw new ValidationError({ name: duplicateMessage(row) });
    throw err;
  }
  await audit.record(db, deps, ctx, {
    action: 'employer.created',
    entityType: 'employer',
    entityId: row.id,
    details: { type: row.type },
  });
  return toEmployer(row);
}

/** Changes an employer when `version` is current (409 otherwise); fields left undefined keep their value. */
export async function updateEmployer(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  id: string,
  version: number,
  changes: Partial<EmployerDetails>,
): Promise<Employer> {
  const current = await getEmployer(db, viewer, id);
  if (current.version !== version) throw new ConflictError('Someone else changed this employer after you opened it');
  const set: Partial<repo.EmployerRow> = {};
  if (changes.name !== undefined) {
    const name = tidyEmployerName(changes.name);
    const key = employerNameKey(name);
    if (!key) throw new ValidationError({ name: 'Enter the name of the organisation' });
    const holder = await repo.findByNameKey(db, key);
    if (holder && holder.id !== id) throw new ValidationError({ name: duplicateMessage(holder) });
    set.name = name;
    set.name_key = key;
  }
  if (changes.type !== undefined) set.type = changes.type;
  if (changes.sector !== undefined) set.sector = clean(changes.sector);
  if (changes.size !== undefined) set.size = changes.size;
  if (changes.address !== undefined) set.address = clean(changes.address);
  if (changes.postcode !== undefined) set.postcode = clean(changes.postcode)?.toUpperCase() ?? null;
  if (changes.latitude !== undefined) set.latitude = changes.latitude;
  if (changes.longitude !== undefined) set.longitude = changes.longitude;
  checkCoordinates(
    set.latitude !== undefined ? set.latitude : current.latitude,
    set.longitude !== undefined ? set.longitude : current.longitude,
  );
  if (changes.website !== undefined) set.website = clean(changes.website);
  if (changes.relationshipStage !== undefined) set.relationship_stage = changes.relationshipStage;
  if (changes.notes !== undefined) set.notes = clean(changes.notes);
  const before = employerJson(current);
  const changed = Object.keys(set).filter((k) => k !== 'name_key' && before[k] !== (set as Record<string, unknown>)[k]);
  if (changed.length === 0) return current;
  let rows: number;
  try {
    rows = await repo.update(db, id, version, { ...set, updated_at: deps.clock.now().toISOString() });
  } catch (err) {
    if (isUniqueViolation(err)) throw new ValidationError({ name: duplicateMessage({ name: set.name ?? current.name }) });
    throw err;
  }
  if (rows === 0) throw new ConflictError('Someone else changed this employer after you opened it');
  await audit.record(db, deps, ctx, {
    action: 'employer.updated',
    entityType: 'employer',
    entityId: id,
    details: { changed },
  });
  return getEmployer(db, viewer, id);
}

export interface EmployerSearch {
  q?: string | undefined;
  type?: EmployerType | undefined;
  stage?: RelationshipStage | undefined;
  sort?: repo.EmployerSort | undefined;
}

/** A page of employers (one more row than asked says whether another page follows). */
export async function searchEmployers(
  db: DbOrTrx,
  viewer: Viewer,
  filter: EmployerSearch,
  page: { limit: number; offset: number },
): Promise<{ items: Employer[]; hasMore: boolean }> {
  assertCanUse(viewer);
  // Folded the way names are keyed, so "St Mary's" finds "ST MARYS" and "Acme Ltd" finds "Acme".
  const text = filter.q ? employerNameKey(filter.q) || searchText(filter.q) : undefined;
  const rows = await repo.search(
    db,
    { text, type: filter.type, stage: filter.stage },
    { sort: filter.sort ?? 'name', limit: page.limit + 1, offset: page.offset },
  );
  return { items: rows.slice(0, page.limit).map(toEmployer), hasMore: rows.length > page.limit };
}

/** How many employers a search finds, for "Showing 1 to 25 of 73". */
export async function countEmployers(db: DbOrTrx, viewer: Viewer, filter: EmployerSearch): Promise<number> {
  assertCanUse(viewer);
  const text = filter.q ? employerNameKey(filter.q) || searchText(filter.q) : undefined;
  return repo.count(db, { text, type: filter.type, stage: filter.stage });
}

/** The names of the most recently changed employers (at most `limit`), for suggestions as you type. */
export async function employerNames(db: DbOrTrx, viewer: Viewer, limit = 500): Promise<string[]> {
  assertCanUse(viewer);
  return repo.recentNames(db, limit);
}

// ---- Sites, departments and people ---------------------------------------------------------------

interface PartColumns {
  id: string;
  employerId: string;
  name: string;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface EmployerSite extends PartColumns {
  address: string | null;
  postcode: string | null;
  latitude: number | null;
  longitude: number | null;
}

export interface EmployerDepartment extends PartColumns {
  siteId: string | null;
}

export interface EmployerPerson extends PartColumns {
  jobTitle: string | null;
  email: string | null;
  phone: string | null;
  notes: string | null;
}

export interface SiteDetails {
  name: string;
  address?: string | null;
  postcode?: string | null;
  latitude?: number | null;
  longitude?: number | null;
}

export interface DepartmentDetails {
  name: string;
  siteId?: string | null;
}

export interface PersonDetails {
  name: string;
  jobTitle?: string | null;
  email?: string | null;
  phone?: string | null;
  notes?: string | null;
}

function partColumns(r: {
  id: string;
  employer_id: string;
  name: string;
  created_at: string;
  updated_at: string;
  version: number;
}) {
  return {
    id: r.id,
    employerId: r.employer_id,
    name: r.name,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: Number(r.version),
  };
}

function toSite(r: repo.SiteRow): EmployerSite {
  return {
    ...partColumns(r),
    address: r.address,
    postcode: r.postcode,
    latitude: num(r.latitude),
    longitude: num(r.longitude),
  };
}

function toDepartment(r: repo.DepartmentRow): EmployerDepartment {
  return { ...partColumns(r), siteId: r.employer_site_id };
}

function toPerson(r: repo.PersonRow): EmployerPerson {
  return { ...partColumns(r), jobTitle: r.job_title, email: r.email, phone: r.phone, notes: r.notes };
}

/** Each kind of part: its table and its word in messages. */
const PARTS = {
  site: { table: 'employer_sites', word: 'Site' },
  department: { table: 'employer_departments', word: 'Department' },
  person: { table: 'employer_people', word: 'Person' },
} as const;
type PartKind = keyof typeof PARTS;

/** An employer's sites, departments and people, each by name. */
export async function employerParts(
  db: DbOrTrx,
  viewer: Viewer,
  employerId: string,
): Promise<{ sites: EmployerSite[]; departments: EmployerDepartment[]; people: EmployerPerson[] }> {
  await getEmployer(db, viewer, employerId);
  const [sites, departments, people] = await Promise.all([
    repo.listParts(db, 'employer_sites', employerId),
    repo.listParts(db, 'employer_departments', employerId),
    repo.listParts(db, 'employer_people', employerId),
  ]);
  return { sites: sites.map(toSite), departments: departments.map(toDepartment), people: people.map(toPerson) };
}

export async function getSite(db: DbOrTrx, viewer: Viewer, employerId: string, id: string): Promise<EmployerSite> {
  return toSite(await findPart(db, viewer, 'site', employerId, id));
}

export async function getDepartment(db: DbOrTrx, viewer: Viewer, employerId: string, id: string): Promise<EmployerDepartment> {
  return toDepartment(await findPart(db, viewer, 'department', employerId, id));
}

export async function getPerson(db: DbOrTrx, viewer: Viewer, employerId: string, id: string): Promise<EmployerPerson> {
  return toPerson(await findPart(db, viewer, 'person', employerId, id));
}

async function findPart<K extends PartKind>(
  db: DbOrTrx,
  viewer: Viewer,
  kind: K,
  employerId: string,
  id: string,
): Promise<repo.PartRow<(typeof PARTS)[K]['table']>> {
  await getEmployer(db, viewer, employerId);
  const row = await repo.findPart(db, PARTS[kind].table, employerId, id);
  if (!row) throw new NotFoundError(`${PARTS[kind].word} not found`);
  // TypeScript cannot follow the kind through the lookup table; the table is the kind's own.
  return row as repo.PartRow<(typeof PARTS)[K]['table']>;
}

/**
 * Adds a part to an employer (`existing` null) or changes one at the version read (409 when
 * stale), audited against the employer with the names of the fields changed.
 */
async function savePart(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  kind: PartKind,
  employerId: string,
  existing: { id: string; version: number } | null,
  values: Record<string, string | number | null>,
): Promise<string> {
  await getEmployer(db, viewer, employerId);
  const { table, word } = PARTS[kind];
  const now = deps.clock.now().toISOString();
  let id: string;
  if (existing) {
    const current = (await repo.findPart(db, table, employerId, existing.id)) as Record<string, unknown> | undefined;
    if (!current) throw new NotFoundError(`${word} not found`);
    const stale = () => new ConflictError(`Someone else changed this ${word.toLowerCase()} after you opened it`);
    if (Number(current.version) !== existing.version) throw stale();
    const changed = Object.keys(values).filter((k) => current[k] !== values[k]);
    if (changed.length === 0) return existing.id;
    if ((await repo.updatePart(db, table, existing.id, existing.version, { ...values, updated_at: now })) === 0) throw stale();
    id = existing.id;
    await audit.record(db, deps, ctx, {
      action: `employer.${kind}_changed`,
      entityType: 'employer',
      entityId: employerId,
      details: { [`${kind}_id`]: id, changed },
    });
  } else {
    const row = { ...newRecordColumns(deps.clock), employer_id: employerId, ...values };
    await repo.insertPart(db, table, row as never);
    id = row.id;
    await audit.record(db, deps, ctx, {
      action: `employer.${kind}_added`,
      entityType: 'employer',
      entityId: employerId,
      details: { [`${kind}_id`]: id },
    });
  }
  return id;
}

/** Adds a site (`existing` null) or changes one; coordinates both or neither, in range. */
export async function saveSite(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  employerId: string,
  existing: { id: string; version: number } | null,
  input: SiteDetails,
): Promise<EmployerSite> {
  checkCoordinates(input.latitude, input.longitude);
  const id = await savePart(db, deps, ctx, viewer, 'site', employerId, existing, {
    name: requiredName(input.name),
    address: clean(input.address),
    postcode: clean(input.postcode)?.toUpperCase() ?? null,
    latitude: input.latitude ?? null,
    longitude: input.longitude ?? null,
  });
  return getSite(db, viewer, employerId, id);
}

/** Adds a department (`existing` null) or changes one; its site, if any, must be one of the employer's. */
export async function saveDepartment(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  employerId: string,
  existing: { id: string; version: number } | null,
  input: DepartmentDetails,
): Promise<EmployerDepartment> {
  const siteId = input.siteId ?? null;
  if (siteId && !(await repo.findPart(db, 'employer_sites', employerId, siteId)))
    throw new ValidationError({ site_id: 'Select one of this employer’s sites, or “Not at one site”' });
  const id = await savePart(db, deps, ctx, viewer, 'department', employerId, existing, {
    name: requiredName(input.name),
    employer_site_id: siteId,
  });
  return getDepartment(db, viewer, employerId, id);
}

/** Adds a person at the employer (`existing` null) or changes one. */
export async function savePerson(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  employerId: string,
  existing: { id: string; version: number } | null,
  input: PersonDetails,
): Promise<EmployerPerson> {
  const id = await savePart(db, deps, ctx, viewer, 'person', employerId, existing, {
    name: requiredName(input.name),
    job_title: clean(input.jobTitle),
    email: clean(input.email),
    phone: clean(input.phone),
    notes: clean(input.notes),
  });
  return getPerson(db, viewer, employerId, id);
}

function requiredName(name: string): string {
  const tidy = tidyEmployerName(name);
  if (!tidy) throw new ValidationError({ name: 'Enter a name' });
  return tidy;
}

// ---- Employer contacts -----------------------------------------------------------------------------

export interface EmployerContact {
  id: string;
  employerId: string;
  employerName: string;
  practitionerId: string;
  practitionerName: string | null;
  practitionerTeamId: string | null;
  /** The person it was on behalf of: null when there was nobody, or the viewer may not see them. */
  participantId: string | null;
  participantName: string | null;
  /** True when it was on behalf of someone the viewer may not see ("Someone from another team"). */
  participantHidden: boolean;
  employerPersonId: string | null;
  employerPersonName: string | null;
  contactedAt: string;
  mode: EmployerContactMode;
  faceToFace: boolean;
  purpose: EmployerContactPurpose;
  outcome: string | null;
  nextStep: string | null;
  nextStepDue: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
  /** Whether the viewer may change or delete it. */
  canChange: boolean;
}

export interface EmployerContactInput {
  contactedAt: string;
  mode: EmployerContactMode;
  purpose: EmployerContactPurpose;
  participantId?: string | null;
  employerPersonId?: string | null;
  outcome?: string | null;
  nextStep?: string | null;
  nextStepDue?: string | null;
}

/** Whether the viewer may see a person, from the columns joined beside a contact or placement. */
function mayShowPerson(viewer: Viewer, practitionerId: string | null, teamId: string | null): boolean {
  // Employers are for practitioners and managers, whose sight of a person does not depend on the
  // referring clinical teams, so those are not loaded.
  return canSeeParticipant(viewer, { practitionerId, teamId, clinicalTeamIds: [] });
}

function personName(given: string | null, family: string | null, preferred: string | null): string {
  return displayName({ givenName: given ?? '', familyName: family ?? '', preferredName: preferred });
}

function toEmployerContact(viewer: Viewer, r: repo.EmployerContactListRow): EmployerContact {
  const shown = r.participant_id !== null && mayShowPerson(viewer, r.participant_practitioner_id, r.participant_team_id);
  return {
    id: r.id,
    employerId: r.employer_id,
    employerName: r.employer_name,
    practitionerId: r.practitioner_id,
    practitionerName: r.practitioner_name,
    practitionerTeamId: r.practitioner_team_id,
    participantId: shown ? r.participant_id : null,
    participantName: shown ? personName(r.participant_given_name, r.participant_family_name, r.participant_preferred_name) : null,
    participantHidden: r.participant_id !== null && !shown,
    employerPersonId: r.employer_person_id,
    employerPersonName: r.employer_person_name,
    contactedAt: r.contacted_at,
    mode: r.mode as EmployerContactMode,
    faceToFace: Number(r.face_to_face) === 1,
    purpose: r.purpose as EmployerContactPurpose,
    outcome: r.outcome,
    nextStep: r.next_step,
    nextStepDue: r.next_step_due,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: Number(r.version),
    canChange: canChangeEmployerContact(viewer, {
      practitionerId: r.practitioner_id,
      practitionerTeamId: r.practitioner_team_id,
    }),
  };
}

/** The API shape: `face_to_face` is derived from the mode; `participant_id` is null for someone the caller may not see. */
export function employerContactJson(c: EmployerContact): Record<string, unknown> {
  return {
    id: c.id,
    employer_id: c.employerId,
    practitioner_id: c.practitionerId,
    participant_id: c.participantId,
    employer_person_id: c.employerPersonId,
    contacted_at: c.contactedAt,
    mode: c.mode,
    face_to_face: c.faceToFace,
    purpose: c.purpose,
    outcome: c.outcome,
    next_step: c.nextStep,
    next_step_due: c.nextStepDue,
    created_at: c.createdAt,
    updated_at: c.updatedAt,
    version: c.version,
  };
}

/**
 * Writes one `participant.seen_on_employer` event for each person shown by name next to an
 * employer's contacts or placements: showing them is a read of their record.
 */
async function auditPeopleShown(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  employerId: string,
  participantIds: Iterable<string | null>,
): Promise<void> {
  const ids = [...new Set([...participantIds].filter((id): id is string => id !== null))];
  if (ids.length === 0) return;
  const write = async (trx: DbOrTrx) => {
    for (const id of ids)
      await audit.record(trx, deps, ctx, {
        action: 'participant.seen_on_employer',
        entityType: 'participant',
        entityId: id,
        details: { employer_id: employerId },
      });
  };
  if (db.isTransaction) await write(db);
  else await db.transaction().execute(write);
}

/**
 * Audits a change to an employer contact against the employer and, because a contact on someone's
 * behalf is part of their record, against each person it was (or now is) for.
 */
async function auditContactEvent(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  action: string,
  employerId: string,
  participantIds: readonly (string | null)[],
  details: Record<string, unknown>,
): Promise<void> {
  await audit.record(db, deps, ctx, { action, entityType: 'employer', entityId: employerId, details });
  for (const participantId of new Set(participantIds))
    if (participantId)
      await audit.record(db, deps, ctx, {
        action,
        entityType: 'participant',
        entityId: participantId,
        details: { ...details, employer_id: employerId },
      });
}

/** Someone to log a contact on behalf of: they must be a person the viewer may change. */
async function checkOnBehalfOf(db: DbOrTrx, viewer: Viewer, participantId: string): Promise<void> {
  try {
    await participants.loadEditable(db, viewer, participantId);
  } catch (err) {
    if (err instanceof NotFoundError || err instanceof RuleError)
      throw new ValidationError({
        participant_id: 'Select someone on your caseload or your team’s, or “Nobody in particular”',
      });
    throw err;
  }
}

async function checkPerson(db: DbOrTrx, employerId: string, personId: string): Promise<void> {
  if (!(await repo.findPart(db, 'employer_people', employerId, personId)))
    throw new ValidationError({ employer_person_id: 'Select someone at this employer, or “Not recorded”' });
}

function cleanLong(v: string | null | undefined): string | null {
  const t = v?.replace(/\r\n/g, '\n').trim();
  return t ? t : null;
}

/** The contact as saved, for the viewer (404 when it is deleted or gone). */
async function loadContact(db: DbOrTrx, viewer: Viewer, id: string): Promise<EmployerContact> {
  assertCanUse(viewer);
  const row = await repo.findContact(db, id);
  if (!row) throw new NotFoundError('Employer contact not found');
  return toEmployerContact(viewer, row);
}

/**
 * Logs a contact with an employer; the viewer is its author. On someone's behalf it becomes part
 * of that person's record (audited against them too). The first contact with a prospect moves
 * the employer to "contacted"; `stageMovedTo` says so.
 */
export async function logEmployerContact(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  employerId: string,
  input: EmployerContactInput,
): Promise<{ contact: EmployerContact; stageMovedTo: RelationshipStage | null }> {
  const employer = await getEmployer(db, viewer, employerId);
  const participantId = input.participantId ?? null;
  if (participantId) await checkOnBehalfOf(db, viewer, participantId);
  if (input.employerPersonId) await checkPerson(db, employerId, input.employerPersonId);
  const row: repo.EmployerContactRow = {
    ...newRecordColumns(deps.clock),
    employer_id: employerId,
    practitioner_id: viewer.userId,
    participant_id: participantId,
    employer_person_id: input.employerPersonId ?? null,
    contacted_at: new Date(input.contactedAt).toISOString(),
    mode: input.mode,
    face_to_face: isFaceToFace(input.mode) ? 1 : 0,
    purpose: input.purpose,
    outcome: cleanLong(input.outcome),
    next_step: cleanLong(input.nextStep),
    next_step_due: input.nextStepDue ?? null,
    deleted_at: null,
    deleted_by_user_id: null,
    delete_reason: null,
  };
  await repo.insertContact(db, row);
  const details = { employer_contact_id: row.id, mode: row.mode, purpose: row.purpose, face_to_face: row.face_to_face === 1 };
  await auditContactEvent(db, deps, ctx, 'employer_contact.logged', employerId, [participantId], details);
  let stageMovedTo: RelationshipStage | null = null;
  const next = stageAfterContact(employer.relationshipStage);
  if (
    next !== employer.relationshipStage &&
    (await repo.moveStage(db, employerId, employer.relationshipStage, next, row.created_at))
  ) {
    stageMovedTo = next;
    await audit.record(db, deps, ctx, {
      action: 'employer.stage_changed',
      entityType: 'employer',
      entityId: employerId,
      details: { from: employer.relationshipStage, to: next, employer_contact_id: row.id },
    });
  }
  return { contact: await loadContact(db, viewer, row.id), stageMovedTo };
}

/** An employer contact as the viewer may see it (the person it was for hidden when they may not see them). */
export async function getEmployerContact(db: DbOrTrx, viewer: Viewer, id: string): Promise<EmployerContact> {
  return loadContact(db, viewer, id);
}

/** Writes the person a contact was for to their audit trail, when a page shows them by name. */
export async function recordContactShown(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  contact: EmployerContact,
): Promise<void> {
  await auditPeopleShown(db, deps, ctx, contact.employerId, [contact.participantId]);
}

const CHANGE_REFUSED = 'Only the person who logged this contact, or a manager of their team, can change it';

async function loadChangeable(db: DbOrTrx, viewer: Viewer, id: string, version: number): Promise<EmployerContact> {
  const contact = await loadContact(db, viewer, id);
  if (!contact.canChange) throw new RuleError(CHANGE_REFUSED);
  if (contact.version !== version) throw new ConflictError('Someone else changed this contact after you opened it');
  return contact;
}

/** Refuses (422, with the reason) a viewer who may not change or delete this contact. */
export function assertCanChangeContact(contact: EmployerContact): void {
  if (!contact.canChange) throw new RuleError(CHANGE_REFUSED);
}

/** The participant a saved contact was for, whoever may see them (for audit only, never shown). */
async function savedParticipantId(db: DbOrTrx, id: string): Promise<string | null> {
  return (await repo.findContact(db, id))?.participant_id ?? null;
}

/**
 * Changes an employer contact (its author or a manager of the author's team) at the version
 * read. `participantId` undefined keeps the person it was for, which the viewer may not see.
 */
export async function editEmployerContact(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  id: string,
  version: number,
  changes: Partial<EmployerContactInput>,
): Promise<EmployerContact> {
  const current = await loadChangeable(db, viewer, id, version);
  const before = await savedParticipantId(db, id);
  const set: Partial<repo.EmployerContactRow> = {};
  if (changes.contactedAt !== undefined) set.contacted_at = new Date(changes.contactedAt).toISOString();
  if (changes.mode !== undefined) {
    set.mode = changes.mode;
    set.face_to_face = isFaceToFace(changes.mode) ? 1 : 0;
  }
  if (changes.purpose !== undefined) set.purpose = changes.purpose;
  if (changes.participantId !== undefined && changes.participantId !== before) {
    if (changes.participantId) await checkOnBehalfOf(db, viewer, changes.participantId);
    set.participant_id = changes.participantId;
  }
  if (changes.employerPersonId !== undefined) {
    if (changes.employerPersonId) await checkPerson(db, current.employerId, changes.employerPersonId);
    set.employer_person_id = changes.employerPersonId;
  }
  if (changes.outcome !== undefined) set.outcome = cleanLong(changes.outcome);
  if (changes.nextStep !== undefined) set.next_step = cleanLong(changes.nextStep);
  if (changes.nextStepDue !== undefined) set.next_step_due = changes.nextStepDue;
  const saved = employerContactJson(current);
  const changed = Object.keys(set).filter((k) => k === 'participant_id' || saved[k] !== (set as Record<string, unknown>)[k]);
  if (changed.length === 0) return current;
  if ((await repo.updateContact(db, id, version, { ...set, updated_at: deps.clock.now().toISOString() })) === 0)
    throw new ConflictError('Someone else changed this contact after you opened it');
  const details = { employer_contact_id: id, changed };
  const after = set.participant_id !== undefined ? set.participant_id : before;
  await auditContactEvent(db, deps, ctx, 'employer_contact.edited', current.employerId, [before, after], details);
  return loadContact(db, viewer, id);
}

/** Soft-deletes an employer contact with a reason (its author or a manager of the author's team). */
export async function deleteEmployerContact(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  id: string,
  version: number,
  reason: string,
): Promise<EmployerContact> {
  const current = await loadChangeable(db, viewer, id, version);
  if (!reason.trim()) throw new ValidationError({ reason: 'Enter why you are deleting this contact' });
  const participantId = await savedParticipantId(db, id);
  const now = deps.clock.now().toISOString();
  const changed = await repo.updateContact(db, id, version, {
    deleted_at: now,
    deleted_by_user_id: viewer.userId,
    delete_reason: reason.trim(),
    updated_at: now,
  });
  if (changed === 0) throw new ConflictError('Someone else changed this contact after you opened it');
  const details = { employer_contact_id: id };
  await auditContactEvent(db, deps, ctx, 'employer_contact.deleted', current.employerId, [participantId], details);
  return current;
}

/** A page of an employer's contacts, newest first; people shown by name are audited. */
export async function pageEmployerContacts(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  employerId: string,
  page: { limit: number; offset: number },
): Promise<{ items: EmployerContact[]; hasMore: boolean }> {
  await getEmployer(db, viewer, employerId);
  // One row more than the page says whether another page follows.
  const rows = await repo.listContacts(db, employerId, { limit: page.limit + 1, offset: page.offset });
  const items = rows.slice(0, page.limit).map((r) => toEmployerContact(viewer, r));
  await auditPeopleShown(
    db,
    deps,
    ctx,
    employerId,
    items.map((c) => c.participantId),
  );
  return { items, hasMore: rows.length > page.limit };
}

export interface EmployerVacancy {
  id: string;
  title: string;
  status: string;
  closingDate: string | null;
}

export interface EmployerPlacement {
  id: string;
  title: string;
  startDate: string;
  endDate: string | null;
  /** Null when the viewer may not see the person placed ("Someone from another team"). */
  participantId: string | null;
  participantName: string | null;
}

// The employer page lists at most this many vacancies and placements (newest first).
const HISTORY_LIMIT = 100;

/**
 * The employer's full history for its page: one page of contacts (newest first) with their total,
 * its vacancies and the people placed there. People shown by name are audited.
 */
export async function employerHistory(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  employerId: string,
  page: { limit: number; offset: number },
): Promise<{
  contacts: EmployerContact[];
  totalContacts: number;
  vacancies: EmployerVacancy[];
  placements: EmployerPlacement[];
}> {
  await getEmployer(db, viewer, employerId);
  const [contactRows, totalContacts, vacancyRows, placementRows] = await Promise.all([
    repo.listContacts(db, employerId, page),
    repo.countContacts(db, employerId),
    repo.vacanciesOf(db, employerId, HISTORY_LIMIT),
    repo.placementsAt(db, employerId, HISTORY_LIMIT),
  ]);
  const contacts = contactRows.map((r) => toEmployerContact(viewer, r));
  const placements = placementRows.map((r): EmployerPlacement => {
    const shown = mayShowPerson(viewer, r.participant_practitioner_id, r.participant_team_id);
    return {
      id: r.id,
      title: r.title,
      startDate: r.start_date,
      endDate: r.end_date,
      participantId: shown ? r.participant_id : null,
      participantName: shown
        ? personName(r.participant_given_name, r.participant_family_name, r.participant_preferred_name)
        : null,
    };
  });
  await auditPeopleShown(db, deps, ctx, employerId, [
    ...contacts.map((c) => c.participantId),
    ...placements.map((p) => p.participantId),
  ]);
  return {
    contacts,
    totalContacts,
    vacancies: vacancyRows.map((v) => ({ id: v.id, title: v.title, status: v.status, closingDate: v.closing_date })),
    placements,
  };
}

/** The people a viewer may log an employer contact for: their own and their team's active caseload, by name. */
export async function onBehalfChoices(db: DbOrTrx, viewer: Viewer): Promise<{ id: string; name: string }[]> {
  assertCanUse(viewer);
  const { items } = await participants.searchParticipants(
    db,
    viewer,
    { activeOnly: true },
    { sort: 'name', direction: 'asc', limit: 500, offset: 0 },
  );
  return items.map((p) => ({ id: p.id, name: displayName(p) }));
}
