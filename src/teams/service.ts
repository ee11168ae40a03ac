import type { Clock } from '../clock.ts';
import type { DbOrTrx } from '../db/types.ts';
import { isUniqueViolation, newRecordColumns } from '../db/records.ts';
import { ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import * as audit from '../audit/service.ts';
import * as repo from './repo.ts';

export interface Team {
  id: string;
  name: string;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface TeamDeps {
  clock: Clock;
  auditKey: Buffer;
}

/** A name as shown: trimmed, with runs of spaces made single. Teams and sites share it. */
export function tidyName(name: string): string {
  return name.trim().replace(/\s+/g, ' ');
}

/** The key a name is unique under, whatever its case or spacing. Teams and sites share it. */
export function nameKey(name: string): string {
  return tidyName(name).toLowerCase();
}

/** A name is free unless another record (not `selfId`) already holds its key; teams and sites share the rule. */
export function assertNameFree(holder: { id: string } | undefined, selfId: string | null, thing: string): void {
  if (holder && holder.id !== selfId) throw new ValidationError({ name: `A ${thing} with this name already exists` });
}

/**
 * Runs an insert or rename whose name must be unique. Two people saving the same name at the same
 * moment both pass the check above; the database's unique index stops the second, which then gets
 * the same message beside the field instead of an error page.
 */
export async function withUniqueName<T>(thing: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (isUniqueViolation(err)) throw new ValidationError({ name: `A ${thing} with this name already exists` });
    throw err;
  }
}

/** Team names are unique whatever their case or spacing. */
export function teamNameKey(name: string): string {
  return nameKey(name);
}

/** The JSON shape of a team in the API (snake_case). */
export function teamJson(t: Team): Record<string, unknown> {
  return { id: t.id, name: t.name, created_at: t.createdAt, updated_at: t.updatedAt, version: t.version };
}

function toTeam(r: repo.TeamRow): Team {
  return { id: r.id, name: r.name, createdAt: r.created_at, updatedAt: r.updated_at, version: Number(r.version) };
}

export async function listTeams(db: DbOrTrx): Promise<Team[]> {
  return (await repo.listAll(db)).map(toTeam);
}

export async function listTeamsPage(db: DbOrTrx, limit: number, after?: string): Promise<{ items: Team[]; next: string | null }> {
  const rows = await repo.listPage(db, limit + 1, after);
  const page = rows.slice(0, limit);
  return { items: page.map(toTeam), next: rows.length > limit ? (page[page.length - 1]?.name_key ?? null) : null };
}

export async function teamMemberCounts(db: DbOrTrx): Promise<Map<string, number>> {
  return repo.memberCounts(db);
}

export async function getTeam(db: DbOrTrx, id: string): Promise<Team> {
  const row = await repo.findById(db, id);
  if (!row) throw new NotFoundError('Team not found');
  return toTeam(row);
}

export async function findTeamByName(db: DbOrTrx, name: string): Promise<Team | undefined> {
  const row = await repo.findByNameKey(db, teamNameKey(name));
  return row ? toTeam(row) : undefined;
}

/** Creates a team; a name already used (in any case) is a validation error on `name`. */
export async function createTeam(db: DbOrTrx, deps: TeamDeps, ctx: audit.AuditContext, name: string): Promise<Team> {
  const key = teamNameKey(name);
  assertNameFree(await repo.findByNameKey(db, key), null, 'team');
  const row = { ...newRecordColumns(deps.clock), name: tidyName(name), name_key: key };
  await withUniqueName('team', () => repo.insert(db, row));
  await audit.record(db, deps, ctx, { action: 'team.created', entityType: 'team', entityId: row.id });
  return toTeam(row);
}

/** Finds the team by name, creating it when it does not exist yet (the CLI's `--team`). */
export async function ensureTeam(db: DbOrTrx, deps: TeamDeps, ctx: audit.AuditContext, name: string): Promise<Team> {
  return (await findTeamByName(db, name)) ?? createTeam(db, deps, ctx, name);
}

export async function renameTeam(
  db: DbOrTrx,
  deps: TeamDeps,
  ctx: audit.AuditContext,
  id: string,
  version: number,
  name: string,
): Promise<Team> {
  const current = await getTeam(db, id);
  const key = teamNameKey(name);
  assertNameFree(await repo.findByNameKey(db, key), id, 'team');
  const changed = await repo.rename(db, id, version, tidyName(name), key, deps.clock.now().toISOString());
  if (changed === 0)
    throw new ConflictError(`Someone else changed this team after you opened it (it is now called ${current.name})`);
  await audit.record(db, deps, ctx, {
    action: 'team.renamed',
    entityType: 'team',
    entityId: id,
    details: { from: current.name },
  });
  return getTeam(db, id);
}
