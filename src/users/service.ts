import { type Algorithm, hash, verify } from '@node-rs/argon2';
import type { Clock } from '../clock.ts';
import type { DbOrTrx } from '../db/types.ts';
import { newRecordColumns } from '../db/records.ts';
import { ConflictError, NotFoundError, RuleError, ValidationError } from '../errors.ts';
import * as audit from '../audit/service.ts';
import * as teams from '../teams/service.ts';
import * as repo from './repo.ts';
import { type Role, normaliseEmail, passwordProblem } from './rules.ts';

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  teamId: string | null;
  teamName?: string | null;
  active: boolean;
  secondFactorEnabled: boolean;
  lastSignInAt: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface UserDeps {
  clock: Clock;
  auditKey: Buffer;
}

export function toUser(r: repo.UserRow & { team_name?: string | null }): User {
  return {
    id: r.id,
    email: r.email,
    name: r.name,
    role: r.role as Role,
    teamId: r.team_id,
    ...(r.team_name !== undefined ? { teamName: r.team_name } : {}),
    active: Number(r.active) === 1,
    secondFactorEnabled: Number(r.totp_enabled) === 1,
    lastSignInAt: r.last_sign_in_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: Number(r.version),
  };
}

/** The JSON shape of a user in the API (snake_case, no secrets). */
export function userJson(u: User): Record<string, unknown> {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    role: u.role,
    team_id: u.teamId,
    active: u.active,
    second_factor_enabled: u.secondFactorEnabled,
    last_sign_in_at: u.lastSignInAt,
    created_at: u.createdAt,
    updated_at: u.updatedAt,
    version: u.version,
  };
}

// Argon2id at OWASP's recommended minimum (19 MiB, 2 passes, 1 lane). Algorithm.Argon2id is a
// const enum, which isolated modules cannot import by name.
const ARGON2 = { algorithm: 2 as Algorithm, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export async function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2);
}

// Verified against when the email is unknown, so both cases take the same time.
let decoyHash: Promise<string> | undefined;

/** True when the password matches the hash; always spends one argon2 verification. */
export async function checkPassword(passwordHash: string | undefined, password: string): Promise<boolean> {
  decoyHash ??= hash('decoy-password-for-timing', ARGON2);
  const target = passwordHash ?? (await decoyHash);
  try {
    const ok = await verify(target, password);
    return ok && passwordHash !== undefined;
  } catch {
    return false;
  }
}

export async function countUsers(db: DbOrTrx): Promise<number> {
  return repo.countAll(db);
}

export async function getUser(db: DbOrTrx, id: string): Promise<User> {
  const row = await repo.findById(db, id);
  if (!row) throw new NotFoundError('User not found');
  return toUser(row);
}

/** The stored row with its password hash, for the sign-in check only. */
export async function findForSignIn(db: DbOrTrx, email: string): Promise<repo.UserRow | undefined> {
  return repo.findByEmail(db, normaliseEmail(email));
}

export async function findByEmail(db: DbOrTrx, email: string): Promise<User | undefined> {
  const row = await repo.findByEmail(db, normaliseEmail(email));
  return row ? toUser(row) : undefined;
}

export interface NewUser {
  email: string;
  name: string;
  role: Role;
  teamId?: string | null;
  password: string;
}

/** Creates an account; a weak password or an email already in use is a validation error. */
export async function createUser(db: DbOrTrx, deps: UserDeps, ctx: audit.AuditContext, input: NewUser): Promise<User> {
  const email = normaliseEmail(input.email);
  const problem = passwordProblem(input.password, { email, name: input.name });
  const fields: Record<string, string> = {};
  if (problem) fields.password = problem;
  if (await repo.findByEmail(db, email)) fields.email = 'An account with this email address already exists';
  if (input.teamId && !(await teams.getTeam(db, input.teamId).catch(() => undefined)))
    fields.team_id = 'Select a team from the list';
  if (Object.keys(fields).length > 0) throw new ValidationError(fields);
  const row: repo.UserRow = {
    ...newRecordColumns(deps.clock),
    email,
    name: input.name.trim(),
    role: input.role,
    team_id: input.teamId ?? null,
    active: 1,
    password_hash: await hashPassword(input.password),
    totp_secret: null,
    totp_enabled: 0,
    contracted_hours_per_week: null,
    last_sign_in_at: null,
  };
  await repo.insert(db, row);
  await audit.record(db, deps, ctx, {
    action: 'user.created',
    entityType: 'user',
    entityId: row.id,
    details: { email, role: input.role, team_id: row.team_id },
  });
  return toUser(row);
}

export interface UserChanges {
  name?: string;
  role?: Role;
  teamId?: string | null;
  active?: boolean;
}

/** Edits an account when `version` is current; keeps at least one active admin. */
export async function updateUser(
  db: DbOrTrx,
  deps: UserDeps,
  ctx: audit.AuditContext,
  id: string,
  version: number,
  changes: UserChanges,
): Promise<User> {
  const current = await getUser(db, id);
  if (current.version !== version)
    throw new ConflictError('Someone else changed this user after you opened it. Check the details and try again');
  if (changes.teamId && !(await teams.getTeam(db, changes.teamId).catch(() => undefined))) {
    throw new ValidationError({ team_id: 'Select a team from the list' });
  }
  if (changes.active === false && current.active && ctx.actorUserId === id) {
    throw new RuleError('You cannot deactivate your own account. Ask another administrator to do it');
  }
  const losesAdmin =
    current.role === 'admin' && current.active && ((changes.role && changes.role !== 'admin') || changes.active === false);
  if (losesAdmin && (await repo.countActiveAdmins(db)) <= 1) {
    throw new RuleError('This is the only active administrator. Make someone else an administrator first');
  }
  const set: Partial<repo.UserRow> = { updated_at: deps.clock.now().toISOString() };
  const changed: string[] = [];
  if (changes.name !== undefined && changes.name.trim() !== current.name) {
    set.name = changes.name.trim();
    changed.push('name');
  }
  if (changes.role !== undefined && changes.role !== current.role) {
    set.role = changes.role;
    changed.push('role');
  }
  if (changes.teamId !== undefined && changes.teamId !== current.teamId) {
    set.team_id = changes.teamId;
    changed.push('team_id');
  }
  if (changes.active !== undefined && changes.active !== current.active) {
    set.active = changes.active ? 1 : 0;
    changed.push('active');
  }
  if (changed.length === 0) return current;
  if ((await repo.update(db, id, version, set)) === 0) throw new ConflictError();
  await audit.record(db, deps, ctx, {
    action: changes.active === false ? 'user.deactivated' : changes.active === true ? 'user.reactivated' : 'user.updated',
    entityType: 'user',
    entityId: id,
    details: {
      changed,
      ...(set.role ? { role: { from: current.role, to: set.role } } : {}),
    },
  });
  return getUser(db, id);
}

/** Reads a user's record for an administrator, leaving a `user.viewed` event in the audit trail. */
export async function viewUser(db: DbOrTrx, deps: UserDeps, ctx: audit.AuditContext, id: string): Promise<User> {
  const user = await getUser(db, id);
  await audit.record(db, deps, ctx, { action: 'user.viewed', entityType: 'user', entityId: id });
  return user;
}

/** Sets a new password chosen by an administrator; a weak one is a validation error on `password`. */
export async function setPassword(
  db: DbOrTrx,
  deps: UserDeps,
  ctx: audit.AuditContext,
  id: string,
  password: string,
): Promise<User> {
  const current = await getUser(db, id);
  const problem = passwordProblem(password, { email: current.email, name: current.name });
  if (problem) throw new ValidationError({ password: problem });
  const passwordHash = await hashPassword(password);
  const changed = await repo.update(db, id, current.version, {
    password_hash: passwordHash,
    updated_at: deps.clock.now().toISOString(),
  });
  if (changed === 0) throw new ConflictError();
  await audit.record(db, deps, ctx, { action: 'user.password_reset', entityType: 'user', entityId: id });
  return getUser(db, id);
}

/** Turns off a user's second factor so they can enrol again (a lost phone). */
export async function resetSecondFactor(db: DbOrTrx, deps: UserDeps, ctx: audit.AuditContext, id: string): Promise<User> {
  const current = await getUser(db, id);
  await repo.update(db, id, current.version, { totp_secret: null, totp_enabled: 0, updated_at: deps.clock.now().toISOString() });
  await audit.record(db, deps, ctx, { action: 'user.second_factor_reset', entityType: 'user', entityId: id });
  return getUser(db, id);
}

/** Stores an enrolled (already encrypted) second-factor secret. */
export async function enableSecondFactor(
  db: DbOrTrx,
  deps: UserDeps,
  ctx: audit.AuditContext,
  id: string,
  sealedSecret: string,
): Promise<void> {
  const current = await getUser(db, id);
  await repo.update(db, id, current.version, {
    totp_secret: sealedSecret,
    totp_enabled: 1,
    updated_at: deps.clock.now().toISOString(),
  });
  await audit.record(db, deps, ctx, { action: 'user.second_factor_enabled', entityType: 'user', entityId: id });
}

export async function recordSignIn(db: DbOrTrx, deps: UserDeps, id: string): Promise<void> {
  await repo.touchSignIn(db, id, deps.clock.now().toISOString());
}

export type UserListFilter = repo.UserListFilter;

export interface UserPage {
  items: User[];
  nextCursor: string | null;
}

export async function listUsers(db: DbOrTrx, filter: repo.UserListFilter, limit: number, cursor?: string): Promise<UserPage> {
  const rows = await repo.listPage(db, filter, limit + 1, cursor);
  const page = rows.slice(0, limit);
  return { items: page.map(toUser), nextCursor: rows.length > limit ? (page[page.length - 1]?.email ?? null) : null };
}
