import type { AbsencesTable, DbOrTrx, PlacementsTable, RedeploymentsTable } from '../db/types.ts';
import { rowsUpdated } from '../db/records.ts';
import { visibleTo } from '../participants/repo.ts';
import type { Viewer } from '../participants/rules.ts';

export type PlacementRow = PlacementsTable;
export type AbsenceRow = AbsencesTable;
export type RedeploymentRow = RedeploymentsTable;

/** A placement with what its pages show beside it: employer, department, site and the person's date of birth. */
export type PlacementDetailRow = PlacementRow & {
  employer_name: string;
  employer_type: string;
  department_name: string | null;
  site_name: string | null;
  date_of_birth: string | null;
};

export async function insert(db: DbOrTrx, row: PlacementRow): Promise<void> {
  await db.insertInto('placements').values(row).execute();
}

function detailed(db: DbOrTrx) {
  return db
    .selectFrom('placements')
    .innerJoin('employers', 'employers.id', 'placements.employer_id')
    .innerJoin('participants', 'participants.id', 'placements.participant_id')
    .leftJoin('employer_departments', 'employer_departments.id', 'placements.employer_department_id')
    .leftJoin('employer_sites', 'employer_sites.id', 'placements.employer_site_id')
    .selectAll('placements')
    .select([
      'employers.name as employer_name',
      'employers.type as employer_type',
      'employer_departments.name as department_name',
      'employer_sites.name as site_name',
      'participants.date_of_birth as date_of_birth',
    ]);
}

export async function findById(db: DbOrTrx, id: string): Promise<PlacementDetailRow | undefined> {
  return detailed(db).where('placements.id', '=', id).executeTakeFirst();
}

/** A person's placements: current ones first, then the latest started. */
export async function listForParticipant(db: DbOrTrx, participantId: string): Promise<PlacementDetailRow[]> {
  const rows = await detailed(db)
    .where('placements.participant_id', '=', participantId)
    .orderBy('placements.start_date', 'desc')
    .orderBy('placements.id')
    .execute();
  return [...rows.filter((r) => r.end_date === null), ...rows.filter((r) => r.end_date !== null)];
}

/** A page of the placements of people the viewer may see, latest start first. */
export async function listVisible(
  db: DbOrTrx,
  viewer: Viewer,
  filter: { participantId?: string | undefined; limit: number; offset: number },
): Promise<PlacementDetailRow[]> {
  let q = detailed(db).where((eb) => visibleTo(viewer)(eb));
  if (filter.participantId) q = q.where('placements.participant_id', '=', filter.participantId);
  return q.orderBy('placements.start_date', 'desc').orderBy('placements.id').limit(filter.limit).offset(filter.offset).execute();
}

export async function update(db: DbOrTrx, id: string, version: number, changes: Partial<PlacementRow>): Promise<number> {
  const result = await db
    .updateTable('placements')
    .set({ ...changes, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return rowsUpdated(result);
}

/** How many of a person's jobs are still held (no end date). */
export async function countCurrent(db: DbOrTrx, participantId: string): Promise<number> {
  const r = await db
    .selectFrom('placements')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('participant_id', '=', participantId)
    .where('end_date', 'is', null)
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}

/** The employer's type (host, supplier or external), read when a new job closes a redeployment. */
export async function employerType(db: DbOrTrx, employerId: string): Promise<string | undefined> {
  const r = await db.selectFrom('employers').select('type').where('id', '=', employerId).executeTakeFirst();
  return r?.type;
}

/** The placement a match created, if any, for each of these matches. One query. */
export async function idsByMatch(db: DbOrTrx, matchIds: readonly string[]): Promise<Map<string, string>> {
  if (matchIds.length === 0) return new Map();
  const rows = await db.selectFrom('placements').select(['id', 'match_id']).where('match_id', 'in', matchIds).execute();
  return new Map(rows.filter((r) => r.match_id !== null).map((r) => [r.match_id as string, r.id]));
}

// ---- Absences -----------------------------------------------------------------------------------

export async function insertAbsence(db: DbOrTrx, row: AbsenceRow): Promise<void> {
  await db.insertInto('absences').values(row).execute();
}

export async function findAbsence(db: DbOrTrx, id: string): Promise<AbsenceRow | undefined> {
  return db.selectFrom('absences').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The absences of these placements, latest first. One query. */
export async function absencesFor(db: DbOrTrx, placementIds: readonly string[]): Promise<AbsenceRow[]> {
  if (placementIds.length === 0) return [];
  return db
    .selectFrom('absences')
    .selectAll()
    .where('placement_id', 'in', placementIds)
    .orderBy('from_date', 'desc')
    .orderBy('id')
    .execute();
}

export async function updateAbsence(db: DbOrTrx, id: string, version: number, changes: Partial<AbsenceRow>): Promise<number> {
  const result = await db
    .updateTable('absences')
    .set({ ...changes, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return rowsUpdated(result);
}

// ---- Redeployments ------------------------------------------------------------------------------

export async function insertRedeployment(db: DbOrTrx, row: RedeploymentRow): Promise<void> {
  await db.insertInto('redeployments').values(row).execute();
}

export async function findRedeployment(db: DbOrTrx, id: string): Promise<RedeploymentRow | undefined> {
  return db.selectFrom('redeployments').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function redeploymentsFor(db: DbOrTrx, participantId: string): Promise<RedeploymentRow[]> {
  return db
    .selectFrom('redeployments')
    .selectAll()
    .where('participant_id', '=', participantId)
    .orderBy('opened_on', 'desc')
    .orderBy('id')
    .execute();
}

export async function updateRedeployment(
  db: DbOrTrx,
  id: string,
  version: number,
  changes: Partial<RedeploymentRow>,
): Promise<number> {
  const result = await db
    .updateTable('redeployments')
    .set({ ...changes, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return rowsUpdated(result);
}

/** Every placement of this team's people ended by redundancy, with its employer's type and the redeployment outcome. */
export async function redundanciesForTeam(
  db: DbOrTrx,
  teamId: string,
): Promise<{ employer_type: string; outcome: string | null }[]> {
  return db
    .selectFrom('placements')
    .innerJoin('participants', 'participants.id', 'placements.participant_id')
    .innerJoin('employers', 'employers.id', 'placements.employer_id')
    .leftJoin('redeployments', 'redeployments.ended_placement_id', 'placements.id')
    .select(['employers.type as employer_type', 'redeployments.outcome as outcome'])
    .where('participants.team_id', '=', teamId)
    .where('placements.end_reason', '=', 'redundancy')
    .execute();
}
