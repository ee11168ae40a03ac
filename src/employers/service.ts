import type { DbOrTrx } from '../db/types.ts';
import type { Deps } from '../deps.ts';
import { isUniqueViolation, newRecordColumns } from '../db/records.ts';
import { ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import * as audit from '../audit/service.ts';
import type { Viewer } from '../participants/rules.ts';
import { searchText } from '../participants/rules.ts';
import * as repo from './repo.ts';
import { type EmployerSize, type EmployerType, type RelationshipStage, employerNameKey, tidyEmployerName } from './rules.ts';

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
  if ((lat === null || lat === undefined) !== (lon === null || lon === undefined)) {
    const missing = lat === null || lat === undefined ? 'latitude' : 'longitude';
    throw new ValidationError({ [missing]: 'Enter both latitude and longitude, or neither' });
  }
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
