import type { Clock } from '../clock.ts';
import type { DbOrTrx } from '../db/types.ts';
import { newRecordColumns } from '../db/records.ts';
import { ConflictError, NotFoundError } from '../errors.ts';
import * as audit from '../audit/service.ts';
import { assertNameFree, nameKey, tidyName, withUniqueName } from '../teams/service.ts';
import * as repo from './repo.ts';

/** A place where people work, for example one hospital site of a trust. */
export interface Site {
  id: string;
  name: string;
  address: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface SiteDeps {
  clock: Clock;
  auditKey: Buffer;
}

/** What an administrator types for a site. */
export interface SiteDetails {
  name: string;
  address: string | null;
}

function toSite(r: repo.SiteRow): Site {
  return {
    id: r.id,
    name: r.name,
    address: r.address,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: Number(r.version),
  };
}

/** Every site, by name. */
export async function listSites(db: DbOrTrx): Promise<Site[]> {
  return (await repo.listAll(db)).map(toSite);
}

export async function getSite(db: DbOrTrx, id: string): Promise<Site> {
  const row = await repo.findById(db, id);
  if (!row) throw new NotFoundError('Site not found');
  return toSite(row);
}

/** Creates a site; a name already used (in any case) is a validation error on `name`. */
export async function createSite(db: DbOrTrx, deps: SiteDeps, ctx: audit.AuditContext, input: SiteDetails): Promise<Site> {
  const key = nameKey(input.name);
  assertNameFree(await repo.findByNameKey(db, key), null, 'site');
  const row: repo.SiteRow = {
    ...newRecordColumns(deps.clock),
    name: tidyName(input.name),
    name_key: key,
    address: input.address?.trim() || null,
  };
  await withUniqueName('site', () => repo.insert(db, row));
  await audit.record(db, deps, ctx, { action: 'site.created', entityType: 'site', entityId: row.id });
  return toSite(row);
}

/** Changes a site's name and address when `version` is current; a stale one changes nothing. */
export async function updateSite(
  db: DbOrTrx,
  deps: SiteDeps,
  ctx: audit.AuditContext,
  id: string,
  version: number,
  input: SiteDetails,
): Promise<Site> {
  const current = await getSite(db, id);
  const stale = () => new ConflictError(`Someone else changed this site after you opened it (it is now called ${current.name})`);
  if (current.version !== version) throw stale();
  const key = nameKey(input.name);
  assertNameFree(await repo.findByNameKey(db, key), id, 'site');
  const next = { name: tidyName(input.name), address: input.address?.trim() || null };
  const changed = (['name', 'address'] as const).filter((f) => next[f] !== current[f]);
  if (changed.length === 0) return current;
  const rows = await repo.update(db, id, version, { ...next, name_key: key, updated_at: deps.clock.now().toISOString() });
  if (rows === 0) throw stale();
  await audit.record(db, deps, ctx, {
    action: 'site.updated',
    entityType: 'site',
    entityId: id,
    details: { changed, ...(changed.includes('name') ? { from: current.name } : {}) },
  });
  return getSite(db, id);
}
