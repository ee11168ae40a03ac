import { rowsUpdated } from '../db/records.ts';
import type { BreakGlassGrantsTable, DbOrTrx } from '../db/types.ts';

export type GrantRow = BreakGlassGrantsTable;

/** A grant with the names a list shows: who has it, who made it, the person and their team. */
export type GrantListRow = GrantRow & {
  granted_to_name: string | null;
  granted_by_name: string | null;
  given_name: string;
  family_name: string;
  participant_team_id: string | null;
  nhs_number: string | null;
};

export async function insert(db: DbOrTrx, row: GrantRow): Promise<void> {
  await db.insertInto('break_glass_grants').values(row).execute();
}

function listQuery(db: DbOrTrx) {
  return db
    .selectFrom('break_glass_grants')
    .innerJoin('participants', 'participants.id', 'break_glass_grants.participant_id')
    .leftJoin('users as grantee', 'grantee.id', 'break_glass_grants.granted_to_user_id')
    .leftJoin('users as granter', 'granter.id', 'break_glass_grants.granted_by_user_id')
    .selectAll('break_glass_grants')
    .select([
      'grantee.name as granted_to_name',
      'granter.name as granted_by_name',
      'participants.given_name',
      'participants.family_name',
      'participants.team_id as participant_team_id',
      'participants.nhs_number',
    ]);
}

export async function findById(db: DbOrTrx, id: string): Promise<GrantListRow | undefined> {
  return listQuery(db).where('break_glass_grants.id', '=', id).executeTakeFirst();
}

/** Grants on a team's people that no manager has reviewed yet, oldest first. */
export async function unreviewedForTeam(db: DbOrTrx, teamId: string, limit: number): Promise<GrantListRow[]> {
  return listQuery(db)
    .where('participants.team_id', '=', teamId)
    .where('break_glass_grants.reviewed_at', 'is', null)
    .orderBy('break_glass_grants.created_at')
    .orderBy('break_glass_grants.id')
    .limit(limit)
    .execute();
}

/** The grants a manager made, newest first. */
export async function grantedBy(db: DbOrTrx, userId: string, limit: number): Promise<GrantListRow[]> {
  return listQuery(db)
    .where('break_glass_grants.granted_by_user_id', '=', userId)
    .orderBy('break_glass_grants.created_at', 'desc')
    .orderBy('break_glass_grants.id')
    .limit(limit)
    .execute();
}

/** Grants to a member of staff in force at `at`, soonest to end first. */
export async function inForceFor(db: DbOrTrx, userId: string, at: string): Promise<GrantListRow[]> {
  return listQuery(db)
    .where('break_glass_grants.granted_to_user_id', '=', userId)
    .where('break_glass_grants.revoked_at', 'is', null)
    .where('break_glass_grants.starts_at', '<=', at)
    .where('break_glass_grants.expires_at', '>', at)
    .orderBy('break_glass_grants.expires_at')
    .execute();
}

/** Revokes a grant not yet revoked; returns whether it did. */
export async function revoke(db: DbOrTrx, id: string, byUserId: string, at: string): Promise<boolean> {
  const r = await db
    .updateTable('break_glass_grants')
    .set({ revoked_at: at, revoked_by_user_id: byUserId })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return rowsUpdated(r) > 0;
}

/** Marks a grant reviewed once; returns whether it did. */
export async function markReviewed(db: DbOrTrx, id: string, byUserId: string, at: string): Promise<boolean> {
  const r = await db
    .updateTable('break_glass_grants')
    .set({ reviewed_at: at, reviewed_by_user_id: byUserId })
    .where('id', '=', id)
    .where('reviewed_at', 'is', null)
    .executeTakeFirst();
  return rowsUpdated(r) > 0;
}
