import { type ExpressionBuilder, sql } from 'kysely';
import { containsPattern, like } from '../db/like.ts';
import { rowsUpdated, toCount } from '../db/records.ts';
import type { Database, DbOrTrx, MatchStageChangesTable, MatchesTable, VacanciesTable } from '../db/types.ts';
// The one statement of who may see which person, as SQL (shared rather than copied, so the
// ranked caseload and the board can never show more than the participant list does).
import { visibleTo } from '../participants/repo.ts';
import type { Viewer } from '../participants/rules.ts';

export type MatchRow = MatchesTable;
export type StageChangeRow = MatchStageChangesTable;

/** A vacancy with the names shown beside it, as the vacancies service maps it (`toVacancy`). */
export type VacancyWithNames = VacanciesTable & {
  employer_name: string;
  department_name: string | null;
  site_name: string | null;
  site_latitude: number | null;
  site_longitude: number | null;
};

/** A match with its vacancy and the person's names, for the pages and the API. */
export interface MatchWithVacancy {
  match: MatchRow;
  vacancy: VacancyWithNames;
  person: {
    given_name: string;
    family_name: string;
    preferred_name: string | null;
    date_of_birth: string | null;
    practitioner_id: string | null;
    team_id: string | null;
  };
}

export async function insert(db: DbOrTrx, row: MatchRow): Promise<void> {
  await db.insertInto('matches').values(row).execute();
}

export async function insertStageChange(db: DbOrTrx, row: StageChangeRow): Promise<void> {
  await db.insertInto('match_stage_changes').values(row).execute();
}

export async function findByPersonAndVacancy(
  db: DbOrTrx,
  participantId: string,
  vacancyId: string,
): Promise<MatchRow | undefined> {
  return db
    .selectFrom('matches')
    .selectAll()
    .where('participant_id', '=', participantId)
    .where('vacancy_id', '=', vacancyId)
    .executeTakeFirst();
}

/** Applies changes when `version` still matches; returns the rows changed (0 means stale or gone). */
export async function update(db: DbOrTrx, id: string, version: number, changes: Partial<MatchRow>): Promise<number> {
  const result = await db
    .updateTable('matches')
    .set({ ...changes, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return rowsUpdated(result);
}

function withVacancy(db: DbOrTrx) {
  return db
    .selectFrom('matches')
    .innerJoin('participants', 'participants.id', 'matches.participant_id')
    .innerJoin('vacancies', 'vacancies.id', 'matches.vacancy_id')
    .innerJoin('employers', 'employers.id', 'vacancies.employer_id')
    .leftJoin('employer_departments', 'employer_departments.id', 'vacancies.employer_department_id')
    .leftJoin('employer_sites', 'employer_sites.id', 'vacancies.employer_site_id')
    .selectAll('vacancies')
    .select([
      'employers.name as employer_name',
      'employer_departments.name as department_name',
      'employer_sites.name as site_name',
      'employer_sites.latitude as site_latitude',
      'employer_sites.longitude as site_longitude',
      'participants.given_name as p_given_name',
      'participants.family_name as p_family_name',
      'participants.preferred_name as p_preferred_name',
      'participants.date_of_birth as p_date_of_birth',
      'participants.practitioner_id as p_practitioner_id',
      'participants.team_id as p_team_id',
      'matches.id as m_id',
      'matches.participant_id as m_participant_id',
      'matches.vacancy_id as m_vacancy_id',
      'matches.practitioner_id as m_practitioner_id',
      'matches.stage as m_stage',
      'matches.score as m_score',
      'matches.stage_changed_at as m_stage_changed_at',
      'matches.notes as m_notes',
      'matches.created_by_user_id as m_created_by_user_id',
      'matches.created_at as m_created_at',
      'matches.updated_at as m_updated_at',
      'matches.version as m_version',
    ]);
}

type JoinedRow = Awaited<ReturnType<ReturnType<typeof withVacancy>['execute']>>[number];

function split(r: JoinedRow): MatchWithVacancy {
  const {
    p_given_name,
    p_family_name,
    p_preferred_name,
    p_date_of_birth,
    p_practitioner_id,
    p_team_id,
    m_id,
    m_participant_id,
    m_vacancy_id,
    m_practitioner_id,
    m_stage,
    m_score,
    m_stage_changed_at,
    m_notes,
    m_created_by_user_id,
    m_created_at,
    m_updated_at,
    m_version,
    ...vacancy
  } = r;
  return {
    match: {
      id: m_id,
      participant_id: m_participant_id,
      vacancy_id: m_vacancy_id,
      practitioner_id: m_practitioner_id,
      stage: m_stage,
      score: Number(m_score),
      stage_changed_at: m_stage_changed_at,
      notes: m_notes,
      created_by_user_id: m_created_by_user_id,
      created_at: m_created_at,
      updated_at: m_updated_at,
      version: Number(m_version),
    },
    vacancy,
    person: {
      given_name: p_given_name,
      family_name: p_family_name,
      preferred_name: p_preferred_name,
      date_of_birth: p_date_of_birth,
      practitioner_id: p_practitioner_id,
      team_id: p_team_id,
    },
  };
}

/** A person's matches, most recently moved first. */
export async function forParticipant(db: DbOrTrx, participantId: string): Promise<MatchWithVacancy[]> {
  const rows = await withVacancy(db)
    .where('matches.participant_id', '=', participantId)
    .orderBy('matches.stage_changed_at', 'desc')
    .orderBy('matches.id')
    .execute();
  return rows.map(split);
}

/** One match with its vacancy. */
export async function findWithVacancy(db: DbOrTrx, id: string): Promise<MatchWithVacancy | undefined> {
  const row = await withVacancy(db).where('matches.id', '=', id).executeTakeFirst();
  return row ? split(row) : undefined;
}

/**
 * A practitioner's board: the matches made for their people, of people the viewer may see,
 * optionally narrowed to a name or vacancy title (`search`), most recently moved first.
 */
export async function board(
  db: DbOrTrx,
  viewer: Viewer,
  practitionerId: string,
  search: { name?: string | undefined; title?: string | undefined },
): Promise<MatchWithVacancy[]> {
  let q = withVacancy(db)
    .where('matches.practitioner_id', '=', practitionerId)
    .where((eb) => visibleTo(viewer)(eb));
  const name = search.name;
  const title = search.title;
  if (name || title) {
    q = q.where((eb) =>
      eb.or([
        ...(name ? [like(eb.ref('participants.search_name'), containsPattern(name))] : []),
        ...(title ? [like(eb.fn('lower', [eb.ref('vacancies.title')]), containsPattern(title))] : []),
      ]),
    );
  }
  const rows = await q.orderBy('matches.stage_changed_at', 'desc').orderBy('matches.id').execute();
  return rows.map(split);
}

/** Which of these people already have a match with the vacancy, and at what stage. */
export async function stagesForVacancy(
  db: DbOrTrx,
  vacancyId: string,
): Promise<Map<string, { id: string; stage: string; version: number }>> {
  const rows = await db
    .selectFrom('matches')
    .select(['id', 'participant_id', 'stage', 'version'])
    .where('vacancy_id', '=', vacancyId)
    .execute();
  return new Map(rows.map((r) => [r.participant_id, { id: r.id, stage: r.stage, version: Number(r.version) }]));
}

/** A person of the caller's caseload, with the number of their current profile version (0 before the first save). */
export interface CaseloadRow {
  id: string;
  practitioner_id: string | null;
  team_id: string | null;
  profile_version: number;
}

/** The number of the person's latest profile version, read from the (participant_id, version) unique index alone. */
function latestVersion(eb: ExpressionBuilder<Database, 'participants'>) {
  return eb
    .selectFrom('profile_versions')
    .select((v) => v.fn.max('profile_versions.version').as('v'))
    .whereRef('profile_versions.participant_id', '=', 'participants.id');
}

/**
 * The people the viewer may see who are not discharged, by name, each with their current
 * profile version's number. Only what ranking needs: the names of the few shown are read after.
 */
export async function caseload(db: DbOrTrx, viewer: Viewer, search?: string): Promise<CaseloadRow[]> {
  let q = db.selectFrom('participants').where(visibleTo(viewer)).where('participants.status', '!=', 'discharged');
  if (search) q = q.where((eb) => like(eb.ref('participants.search_name'), containsPattern(search)));
  const rows = await q
    .select((eb) => [
      'participants.id',
      'participants.practitioner_id',
      'participants.team_id',
      latestVersion(eb).as('profile_version'),
    ])
    .orderBy('participants.family_name')
    .orderBy('participants.given_name')
    .orderBy('participants.id')
    .execute();
  return rows.map((r) => ({ ...r, profile_version: Number(r.profile_version ?? 0) }));
}

/** What a ranked person's card shows about them. */
export interface PersonRow {
  id: string;
  given_name: string;
  family_name: string;
  preferred_name: string | null;
  date_of_birth: string | null;
  status: string;
}

export async function peopleByIds(db: DbOrTrx, ids: readonly string[]): Promise<Map<string, PersonRow>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('participants')
    .select(['id', 'given_name', 'family_name', 'preferred_name', 'date_of_birth', 'status'])
    .where('id', 'in', [...ids])
    .execute();
  return new Map(rows.map((r) => [r.id, r]));
}

/** The current profile version number of each of these people (0 before the first save). One query. */
export async function latestVersions(db: DbOrTrx, participantIds: readonly string[]): Promise<Map<string, number>> {
  if (participantIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('participants')
    .select((eb) => ['participants.id', latestVersion(eb).as('v')])
    .where('participants.id', 'in', [...new Set(participantIds)])
    .execute();
  return new Map(rows.map((r) => [r.id, Number(r.v ?? 0)]));
}

/** The stored JSON and number of each of these people's current profile version (those with none are absent). */
export async function latestProfileData(
  db: DbOrTrx,
  participantIds: readonly string[],
): Promise<Map<string, { version: number; data: string }>> {
  const out = new Map<string, { version: number; data: string }>();
  // In slices, to stay well inside either database's limit on bound parameters.
  for (let i = 0; i < participantIds.length; i += 1000) {
    const rows = await db
      .selectFrom('profile_versions')
      .select(['participant_id', 'version', 'data'])
      .where('participant_id', 'in', participantIds.slice(i, i + 1000))
      .where((eb) =>
        eb(
          'version',
          '=',
          eb
            .selectFrom('profile_versions as latest')
            .select((l) => l.fn.max('latest.version').as('v'))
            .whereRef('latest.participant_id', '=', 'profile_versions.participant_id'),
        ),
      )
      .execute();
    for (const r of rows) out.set(r.participant_id, { version: Number(r.version), data: r.data });
  }
  return out;
}

/** A mark to compare with later: whether any vacancy, employer or site changed in between. */
export interface VacancyChangeMark {
  /** The latest vacancy `updated_at` when the mark was taken ('' with no vacancies). */
  since: string;
  signature: string;
}

/**
 * A mark of the vacancies as they are. Every vacancy write sets `updated_at` to now and bumps
 * `version`, and vacancies are never deleted, so the vacancies changed after a mark are exactly
 * those with `updated_at` at or after its `since`: their count and version sum move. That reads
 * only the few newest entries of the (updated_at, version) index, not all 20,000 rows. Employers
 * and sites (whose names and places a vacancy shows) are few, so all of theirs are summed.
 */
export async function vacancyChangeMark(db: DbOrTrx, since?: string): Promise<VacancyChangeMark> {
  let from = since;
  if (from === undefined) {
    const latest = await db
      .selectFrom('vacancies')
      .select((eb) => eb.fn.max('updated_at').as('u'))
      .executeTakeFirst();
    from = latest?.u ?? '';
  }
  const all = (table: 'employers' | 'employer_sites') =>
    db
      .selectFrom(table)
      .select((eb) => [
        sql.lit(table).as('t'),
        eb.fn.countAll().as('n'),
        eb.fn.sum<string | number | null>('version').as('v'),
        eb.fn.max('updated_at').as('u'),
      ]);
  const rows = await db
    .selectFrom('vacancies')
    .where('updated_at', '>=', from)
    .select((eb) => [
      sql.lit('vacancies').as('t'),
      eb.fn.countAll().as('n'),
      eb.fn.sum<string | number | null>('version').as('v'),
      eb.fn.max('updated_at').as('u'),
    ])
    .unionAll(all('employers'))
    .unionAll(all('employer_sites'))
    .execute();
  const signature = rows
    .map((r) => `${String(r.t)}:${toCount(r.n)}:${toCount(r.v)}:${String(r.u ?? '')}`)
    .sort()
    .join('|');
  return { since: from, signature };
}

/** The vacancies already in a person's matches. */
export async function vacancyIdsOf(db: DbOrTrx, participantId: string): Promise<Set<string>> {
  const rows = await db.selectFrom('matches').select('vacancy_id').where('participant_id', '=', participantId).execute();
  return new Set(rows.map((r) => r.vacancy_id));
}
