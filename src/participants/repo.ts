import { containsPattern, like, prefixPattern } from '../db/like.ts';
import type { ExpressionBuilder } from 'kysely';
import type { Database, DbOrTrx, ParticipantsTable, ParticipantStatusChangesTable } from '../db/types.ts';
import { rowsUpdated, toCount } from '../db/records.ts';
import type { EmergencyGrant, Viewer } from './rules.ts';

export type ParticipantRow = ParticipantsTable;
export type StatusChangeRow = ParticipantStatusChangesTable;

/**
 * The rows a viewer may see, as SQL: the same rule as `canSeeParticipant`, so lists never load
 * records only to throw them away.
 */
export function visibleTo(viewer: Viewer) {
  return (eb: ExpressionBuilder<Database, 'participants'>) => {
    const none = eb.val(1).$castTo<number>();
    switch (viewer.role) {
      case 'practitioner':
        return viewer.teamId
          ? eb.or([eb('participants.practitioner_id', '=', viewer.userId), eb('participants.team_id', '=', viewer.teamId)])
          : eb('participants.practitioner_id', '=', viewer.userId);
      case 'manager':
        return viewer.teamId ? eb('participants.team_id', '=', viewer.teamId) : eb(none, '=', 0);
      case 'clinician':
        return viewer.teamId
          ? eb.exists(
              eb
                .selectFrom('referrals')
                .select('referrals.id')
                .whereRef('referrals.participant_id', '=', 'participants.id')
                .where('referrals.clinical_team_id', '=', viewer.teamId),
            )
          : eb(none, '=', 0);
      default:
        return eb(none, '=', 0);
    }
  };
}

export async function insert(db: DbOrTrx, row: ParticipantRow): Promise<void> {
  await db.insertInto('participants').values(row).execute();
}

export async function findById(db: DbOrTrx, id: string): Promise<ParticipantRow | undefined> {
  return db.selectFrom('participants').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The clinical teams that referred a person, over all their episodes. */
export async function clinicalTeamIds(db: DbOrTrx, participantId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('referrals')
    .select('clinical_team_id')
    .distinct()
    .where('participant_id', '=', participantId)
    .where('clinical_team_id', 'is not', null)
    .execute();
  return rows.map((r) => r.clinical_team_id as string);
}

/**
 * Break-glass grants on a person still in force at `at` or starting later: not revoked and not
 * yet expired. The rule (`emergencyGrantOf`) decides which of them applies to whom.
 */
export async function emergencyGrantsInForce(db: DbOrTrx, participantId: string, at: string): Promise<EmergencyGrant[]> {
  const rows = await db
    .selectFrom('break_glass_grants')
    .select(['id', 'granted_to_user_id', 'starts_at', 'expires_at'])
    .where('participant_id', '=', participantId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', at)
    .execute();
  return rows.map((r) => ({ grantId: r.id, userId: r.granted_to_user_id, startsAt: r.starts_at, expiresAt: r.expires_at }));
}

/** The participant with this NHS number (10 digits), whoever's team they are in. */
export async function findByNhsNumber(db: DbOrTrx, nhsNumber: string): Promise<ParticipantRow | undefined> {
  return db.selectFrom('participants').selectAll().where('nhs_number', '=', nhsNumber).orderBy('created_at').executeTakeFirst();
}

/** Same NHS number, or same name and date of birth (names compared without case or accents). */
export async function findPossibleDuplicates(
  db: DbOrTrx,
  p: { nhsNumber: string | null; familyKey: string; givenKey: string; dateOfBirth: string | null },
  excludeId?: string,
): Promise<(ParticipantRow & { team_name: string | null })[]> {
  let q = db
    .selectFrom('participants')
    .leftJoin('teams', 'teams.id', 'participants.team_id')
    .selectAll('participants')
    .select('teams.name as team_name')
    .where((eb) => {
      const ors = [];
      if (p.nhsNumber) ors.push(eb('participants.nhs_number', '=', p.nhsNumber));
      if (p.dateOfBirth) {
        ors.push(
          eb.and([
            eb('participants.date_of_birth', '=', p.dateOfBirth),
            like(eb.ref('participants.search_name'), prefixPattern(`${p.givenKey} ${p.familyKey}`)),
          ]),
        );
      }
      return ors.length ? eb.or(ors) : eb(eb.val(1), '=', 0);
    });
  if (excludeId) q = q.where('participants.id', '!=', excludeId);
  return q.limit(10).execute();
}

export interface ParticipantFilter {
  /** Already normalised with `searchText`. */
  name?: string;
  nhsNumber?: string;
  status?: string;
  programme?: string;
  practitionerId?: string;
  teamId?: string;
  /** Leave out discharged people. */
  activeOnly?: boolean;
}

export const SORTS = {
  name: ['participants.family_name', 'participants.given_name'],
  status: ['participants.status', 'participants.family_name'],
  updated: ['participants.updated_at', 'participants.family_name'],
} as const;
export type ParticipantSort = keyof typeof SORTS;

export type ParticipantListRow = ParticipantRow & {
  practitioner_name: string | null;
  team_name: string | null;
  latest_received_date: string | null;
};

/** A page of the participants a viewer may see, with practitioner, team and latest referral date in the same query. */
export async function search(
  db: DbOrTrx,
  viewer: Viewer,
  f: ParticipantFilter,
  sort: ParticipantSort,
  direction: 'asc' | 'desc',
  limit: number,
  offset: number,
): Promise<{ rows: ParticipantListRow[]; total: number }> {
  let q = db.selectFrom('participants').where(visibleTo(viewer));
  if (f.name) q = q.where((eb) => like(eb.ref('participants.search_name'), containsPattern(f.name!)));
  if (f.nhsNumber) q = q.where('participants.nhs_number', '=', f.nhsNumber);
  if (f.status) q = q.where('participants.status', '=', f.status);
  if (f.programme) q = q.where('participants.programme', '=', f.programme);
  if (f.practitionerId) q = q.where('participants.practitioner_id', '=', f.practitionerId);
  if (f.teamId) q = q.where('participants.team_id', '=', f.teamId);
  if (f.activeOnly) q = q.where('participants.status', '!=', 'discharged');
  const totalRow = await q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  let rows = q
    .leftJoin('users', 'users.id', 'participants.practitioner_id')
    .leftJoin('teams', 'teams.id', 'participants.team_id')
    .selectAll('participants')
    .select(['users.name as practitioner_name', 'teams.name as team_name'])
    .select((eb) =>
      eb
        .selectFrom('referrals')
        .select((r) => r.fn.max('referrals.received_date').as('d'))
        .whereRef('referrals.participant_id', '=', 'participants.id')
        .as('latest_received_date'),
    );
  for (const column of SORTS[sort]) rows = rows.orderBy(column, direction);
  const result = await rows.orderBy('participants.id').limit(limit).offset(offset).execute();
  return { rows: result, total: toCount(totalRow.n) };
}

/** Applies changes when `version` still matches; returns the rows changed (0 means stale). */
export async function update(
  db: DbOrTrx,
  id: string,
  version: number,
  changes: Partial<Omit<ParticipantRow, 'id' | 'created_at' | 'version'>>,
): Promise<number> {
  const result = await db
    .updateTable('participants')
    .set({ ...changes, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return rowsUpdated(result);
}

export async function insertStatusChange(db: DbOrTrx, row: StatusChangeRow): Promise<void> {
  await db.insertInto('participant_status_changes').values(row).execute();
}

export async function statusChanges(
  db: DbOrTrx,
  participantId: string,
): Promise<(StatusChangeRow & { changed_by_name: string | null })[]> {
  return db
    .selectFrom('participant_status_changes')
    .leftJoin('users', 'users.id', 'participant_status_changes.changed_by_user_id')
    .selectAll('participant_status_changes')
    .select('users.name as changed_by_name')
    .where('participant_status_changes.participant_id', '=', participantId)
    .orderBy('participant_status_changes.changed_at', 'desc')
    .execute();
}

/** People on a practitioner's caseload now (everyone not discharged). */
export async function activeCaseloadCount(db: DbOrTrx, practitionerId: string): Promise<number> {
  const r = await db
    .selectFrom('participants')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('practitioner_id', '=', practitionerId)
    .where('status', '!=', 'discharged')
    .executeTakeFirstOrThrow();
  return toCount(r.n);
}

/** Active caseload counts for several practitioners in one query (missing means none). */
export async function activeCaseloadCounts(db: DbOrTrx, practitionerIds: readonly string[]): Promise<Map<string, number>> {
  if (practitionerIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('participants')
    .select(['practitioner_id', (eb) => eb.fn.countAll().as('n')])
    .where('practitioner_id', 'in', practitionerIds)
    .where('status', '!=', 'discharged')
    .groupBy('practitioner_id')
    .execute();
  return new Map(rows.map((r) => [r.practitioner_id as string, toCount(r.n)]));
}
