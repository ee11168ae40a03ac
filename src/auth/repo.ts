import type { ApiTokensTable, DbOrTrx, SessionsTable, SignInThrottleTable, UsersTable } from '../db/types.ts';

export type SessionRow = SessionsTable;
export type ApiTokenRow = ApiTokensTable;
export type ThrottleRow = SignInThrottleTable;

type ActorColumns = Pick<UsersTable, 'email' | 'name' | 'role' | 'team_id' | 'active'>;

export async function insertSession(db: DbOrTrx, row: SessionRow): Promise<void> {
  await db.insertInto('sessions').values(row).execute();
}

/** The session and its user in one query. */
export async function findSession(db: DbOrTrx, id: string): Promise<(SessionRow & ActorColumns) | undefined> {
  return db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .selectAll('sessions')
    .select(['users.email', 'users.name', 'users.role', 'users.team_id', 'users.active'])
    .where('sessions.id', '=', id)
    .executeTakeFirst();
}

export async function touchSession(db: DbOrTrx, id: string, at: string): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: at }).where('id', '=', id).execute();
}

export async function completeSecondFactor(db: DbOrTrx, id: string): Promise<void> {
  await db.updateTable('sessions').set({ second_factor_pending: 0 }).where('id', '=', id).execute();
}

export async function deleteSession(db: DbOrTrx, id: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', id).execute();
}

export async function deleteSessionsOfUser(db: DbOrTrx, userId: string): Promise<void> {
  await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
}

export async function deleteExpiredSessions(db: DbOrTrx, now: string, idleBefore: string): Promise<void> {
  await db
    .deleteFrom('sessions')
    .where((eb) => eb.or([eb('expires_at', '<=', now), eb('last_seen_at', '<', idleBefore)]))
    .execute();
}

export async function insertToken(db: DbOrTrx, row: ApiTokenRow): Promise<void> {
  await db.insertInto('api_tokens').values(row).execute();
}

export async function findTokenByHash(db: DbOrTrx, tokenHash: string): Promise<(ApiTokenRow & ActorColumns) | undefined> {
  return db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .selectAll('api_tokens')
    .select(['users.email', 'users.name', 'users.role', 'users.team_id', 'users.active'])
    .where('api_tokens.token_hash', '=', tokenHash)
    .executeTakeFirst();
}

export async function touchToken(db: DbOrTrx, id: string, at: string): Promise<void> {
  await db.updateTable('api_tokens').set({ last_used_at: at }).where('id', '=', id).execute();
}

export async function listTokensOfUser(db: DbOrTrx, userId: string): Promise<ApiTokenRow[]> {
  return db.selectFrom('api_tokens').selectAll().where('user_id', '=', userId).orderBy('created_at', 'desc').execute();
}

export async function findToken(db: DbOrTrx, id: string): Promise<ApiTokenRow | undefined> {
  return db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function revokeToken(db: DbOrTrx, id: string, at: string): Promise<void> {
  await db.updateTable('api_tokens').set({ revoked_at: at }).where('id', '=', id).where('revoked_at', 'is', null).execute();
}

export async function findThrottle(db: DbOrTrx, keys: string[]): Promise<ThrottleRow[]> {
  return db.selectFrom('sign_in_throttle').selectAll().where('key', 'in', keys).execute();
}

export async function saveThrottle(db: DbOrTrx, row: ThrottleRow): Promise<void> {
  await db
    .insertInto('sign_in_throttle')
    .values(row)
    .onConflict((oc) =>
      oc
        .column('key')
        .doUpdateSet({ failures: row.failures, window_started_at: row.window_started_at, locked_until: row.locked_until }),
    )
    .execute();
}

export async function clearThrottle(db: DbOrTrx, key: string): Promise<void> {
  await db.deleteFrom('sign_in_throttle').where('key', '=', key).execute();
}

/** Throttle rows whose window began before `windowBefore` and that are not locked now. */
export async function deleteStaleThrottles(db: DbOrTrx, windowBefore: string, now: string): Promise<void> {
  await db
    .deleteFrom('sign_in_throttle')
    .where('window_started_at', '<', windowBefore)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
    .execute();
}
