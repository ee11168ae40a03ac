import { randomUUID } from 'node:crypto';
import * as appointments from '../appointments/service.ts';
import * as audit from '../audit/service.ts';
import { isUniqueViolation, newRecordColumns } from '../db/records.ts';
import { inRequestTransaction } from '../db/request-transaction.ts';
import type { DbOrTrx } from '../db/types.ts';
import type { Deps } from '../deps.ts';
import * as employers from '../employers/service.ts';
import { ConflictError, NotFoundError, RuleError, ValidationError } from '../errors.ts';
import type { CompetitivePayResult } from '../pay/minimum-wage.ts';
import { type ParticipantStatus, type Viewer, canSeeSensitive, searchText, statusChangeProblem } from '../participants/rules.ts';
import * as participants from '../participants/service.ts';
import * as placements from '../placements/service.ts';
import { DAYS, type Day, TIMES, TRAVEL_MODES, type TimeOfDay, type TravelMode } from '../profiles/rules.ts';
import { displayName } from '../profiles/service.ts';
import { isCalendarDate, londonDate } from '../referrals/rules.ts';
import type * as users from '../users/service.ts';
import { isOpenOn, vacancyPayCheck } from '../vacancies/rules.ts';
import * as vacancies from '../vacancies/service.ts';
import * as repo from './repo.ts';
import {
  type MatchProfile,
  type MatchResult,
  type MatchVacancy,
  rankPeoplePage,
  rankVacanciesPage,
  scoreMatch,
  withoutConvictionDetail,
} from './rules.ts';
import { MATCH_STAGE_LABELS, type MatchStage, nextStages, stageChangeProblem } from './stages.ts';

/** A reason as the pages and the API show it (DESIGN.md section 3: `fits` and `text`). */
export interface ReasonView {
  fits: boolean;
  text: string;
}

/** The reason the minimum-wage check adds; it does not change the score. */
export const BELOW_MINIMUM_WAGE = 'Pay below the minimum wage for their age';

/** A match's score and reasons as one viewer may see them. */
export interface Assessment {
  score: number;
  excluded: boolean;
  /** Only ever true for a viewer who may see the person's convictions. */
  talkThrough: boolean;
  reasons: ReasonView[];
  pay: CompetitivePayResult;
}

export interface Match {
  id: string;
  participantId: string;
  vacancyId: string;
  /** Whose board it is on: the person's practitioner when the match was made. */
  practitionerId: string;
  stage: MatchStage;
  /** The score when the match was made or last moved. */
  savedScore: number;
  stageChangedAt: string;
  createdAt: string;
  updatedAt: string;
  version: number;
}

/** A match with its vacancy, the person's name, the live assessment and where it can go next. */
export interface MatchView extends Match {
  vacancy: vacancies.Vacancy;
  personName: string;
  assessment: Assessment;
  nextStages: readonly MatchStage[];
  /** The placement a move to "started" created. */
  placementId: string | null;
}

// ---- The person's side: their profile as the matching rules read it ---------------------------

const isDay = (x: unknown): x is Day => typeof x === 'string' && (DAYS as readonly string[]).includes(x);
const isTime = (x: unknown): x is TimeOfDay => typeof x === 'string' && (TIMES as readonly string[]).includes(x);
const isMode = (x: unknown): x is TravelMode => typeof x === 'string' && (TRAVEL_MODES as readonly string[]).includes(x);
const isText = (x: unknown): x is string => typeof x === 'string' && x.trim() !== '';
const listOf = <T>(v: unknown, keep: (x: unknown) => x is T): T[] => (Array.isArray(v) ? v.filter(keep) : []);
const numberOrNull = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/**
 * A person's match profile from their stored vocational profile (the JSON of its current
 * version; null before the first save): the job preferences, the limits they set themselves
 * (`never_times`, `no_weekends`), home when both coordinates are recorded, and whether the
 * convictions section has anything in it (used only to mark talk-through, never to score).
 * It reads only these fields, leniently, without the profile's full validation: ranking a
 * caseload of 2,000 must not parse 2,000 whole profiles.
 */
export function matchProfileFromStored(json: string | null | undefined): MatchProfile {
  let raw: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(json ?? '{}');
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) raw = parsed as Record<string, unknown>;
  } catch {
    // A profile that cannot be read matches as one with no preferences.
  }
  const lat = numberOrNull(raw.home_latitude);
  const lon = numberOrNull(raw.home_longitude);
  return {
    occupations: listOf(raw.occupations, isText),
    hours_per_week_min: numberOrNull(raw.hours_per_week_min),
    hours_per_week_max: numberOrNull(raw.hours_per_week_max),
    days: listOf(raw.days, isDay),
    times: listOf(raw.times, isTime),
    weekends_ok: typeof raw.weekends_ok === 'boolean' ? raw.weekends_ok : null,
    places: listOf(raw.places, isText),
    max_travel_minutes: numberOrNull(raw.max_travel_minutes),
    travel_modes: listOf(raw.travel_modes, isMode),
    lowest_hourly_pay_pence: numberOrNull(raw.lowest_hourly_pay_pence),
    has_convictions: isText(raw.convictions) || isText(raw.convictions_job_impact),
    never_times: listOf(raw.never_times, isTime),
    no_weekends: raw.no_weekends === true,
    home: lat !== null && lon !== null ? { lat, lon } : null,
  };
}

/** Whether the job preferences say anything at all (else the ranking is only the practical facts). */
export function hasPreferences(p: MatchProfile): boolean {
  return (
    p.occupations.length > 0 ||
    p.hours_per_week_min !== null ||
    p.hours_per_week_max !== null ||
    p.days.length > 0 ||
    p.times.length > 0 ||
    p.weekends_ok !== null ||
    p.places.length > 0 ||
    p.max_travel_minutes !== null ||
    p.lowest_hourly_pay_pence !== null
  );
}

// A profile version never changes once saved (an edit adds a new one), so what the matching
// rules read from it is kept by person and version number: ranking a caseload then reads and
// parses only the versions saved since.
const PROFILE_CACHE_SIZE = 50_000;
const profileCache = new WeakMap<object, Map<string, MatchProfile>>();
const NO_PROFILE = matchProfileFromStored(null);

/**
 * The match profile of each person at the version given (0: never saved), reading only the ones
 * not yet known. Returned in the order given.
 */
async function matchProfilesAt(db: DbOrTrx, people: readonly { id: string; version: number }[]): Promise<MatchProfile[]> {
  // A transaction may see versions it has not committed: read them, but keep nothing.
  const cacheable = !db.isTransaction && !inRequestTransaction();
  const kept = cacheable ? (profileCache.get(db) ?? new Map<string, MatchProfile>()) : new Map<string, MatchProfile>();
  if (cacheable) profileCache.set(db, kept);
  const key = (id: string, version: number) => `${id}:${version}`;
  const missing = people.filter((p) => p.version > 0 && !kept.has(key(p.id, p.version))).map((p) => p.id);
  const read = new Map<string, MatchProfile>();
  if (missing.length > 0) {
    if (kept.size + missing.length > PROFILE_CACHE_SIZE) kept.clear();
    for (const [id, { version, data }] of await repo.latestProfileData(db, missing)) {
      const profile = matchProfileFromStored(data);
      kept.set(key(id, version), profile);
      read.set(id, profile);
    }
  }
  // A version saved between the two reads is simply the newer one.
  return people.map((p) => (p.version > 0 ? (kept.get(key(p.id, p.version)) ?? read.get(p.id)) : undefined) ?? NO_PROFILE);
}

/** Each person's current match profile (the empty one before their first save). */
async function currentMatchProfiles(db: DbOrTrx, participantIds: readonly string[]): Promise<Map<string, MatchProfile>> {
  const versions = await repo.latestVersions(db, participantIds);
  const people = participantIds.map((id) => ({ id, version: versions.get(id) ?? 0 }));
  const profiles = await matchProfilesAt(db, people);
  return new Map(people.map((p, i) => [p.id, profiles[i] ?? NO_PROFILE]));
}

// ---- Access -------------------------------------------------------------------------------------

/** Matching is job development: practitioners and managers only (as employers and vacancies). */
function assertCanMatch(viewer: Viewer): void {
  if (!employers.canUseEmployers(viewer)) throw new NotFoundError('Participant not found');
}

function today(deps: Deps): string {
  return londonDate(deps.clock.now());
}

/** The score and reasons as this viewer may see them, with the minimum-wage check for the person. */
function assessmentOf(match: MatchResult, pay: CompetitivePayResult, seesConvictions: boolean): Assessment {
  const shown = seesConvictions ? match : withoutConvictionDetail(match);
  const reasons: ReasonView[] = shown.reasons.map((r) => ({ fits: r.fits, text: r.text }));
  if (pay.competitive === false) reasons.push({ fits: false, text: BELOW_MINIMUM_WAGE });
  return { score: shown.score, excluded: shown.excluded, talkThrough: shown.talkThrough, reasons, pay };
}

// ---- Open vacancies, kept in memory between requests -------------------------------------------

type OpenVacancy = MatchVacancy & { id: string };

interface OpenVacancies {
  day: string;
  mark: repo.VacancyChangeMark;
  forMatching: OpenVacancy[];
  byId: Map<string, vacancies.Vacancy>;
  /** Worked out on first use and kept with the list: the text searched, and the closing-date order. */
  searchable?: Map<string, string>;
  byClosing?: OpenVacancy[];
}

// Per database handle (never shared between databases). Reading and mapping 20,000 open
// vacancies with their employer and site takes far longer than ranking them, so the list is
// kept, and re-read only on another day or when a vacancy, employer or site has changed since.
const openCache = new WeakMap<object, OpenVacancies>();

async function openVacanciesFor(db: DbOrTrx, day: string): Promise<OpenVacancies> {
  // Inside a transaction the list may include its own uncommitted writes: never cache those.
  const cacheable = !db.isTransaction && !inRequestTransaction();
  const hit = cacheable ? openCache.get(db) : undefined;
  if (hit && hit.day === day && (await repo.vacancyChangeMark(db, hit.mark.since)).signature === hit.mark.signature) return hit;
  // The mark is taken before the list is read, so a write in between only costs another read later.
  const mark = await repo.vacancyChangeMark(db);
  const list = await vacancies.openVacancies(db, day);
  const entry: OpenVacancies = {
    day,
    mark,
    forMatching: list.map(vacancies.toMatchVacancy),
    byId: new Map(list.map((v) => [v.id, v])),
  };
  if (cacheable) openCache.set(db, entry);
  return entry;
}

function searchableOf(open: OpenVacancies): Map<string, string> {
  open.searchable ??= new Map(
    [...open.byId.values()].map((v) => [v.id, searchText(`${v.title} ${v.occupation ?? ''} ${v.employerName}`)]),
  );
  return open.searchable;
}

function byClosingOf(open: OpenVacancies): OpenVacancy[] {
  // Soonest first; open-ended ones last. The sort is stable, so ties keep the list's order.
  open.byClosing ??= [...open.forMatching].sort((a, b) =>
    a.closing_date === b.closing_date
      ? 0
      : a.closing_date === null
        ? 1
        : b.closing_date === null
          ? -1
          : a.closing_date < b.closing_date
            ? -1
            : 1,
  );
  return open.byClosing;
}

// ---- Ranked vacancies for a person --------------------------------------------------------------

export interface RankedVacancyItem {
  vacancy: vacancies.Vacancy;
  assessment: Assessment;
}

export interface RankedVacancies {
  participant: participants.ParticipantView;
  profile: MatchProfile;
  /** Whether the viewer may see talk-through (the person's convictions section). */
  seesConvictions: boolean;
  items: RankedVacancyItem[];
  /** How many open vacancies are ranked (not yet in their matches, not against their own limits). */
  total: number;
}

export interface RankedVacancyOptions {
  limit: number;
  offset: number;
  /** Words in the title, occupation or employer's name. */
  search?: string | undefined;
  /** `best` (the default) or `closing`: the soonest closing date first. */
  sort?: 'best' | 'closing';
}

/**
 * The open vacancies on today's date (London) ranked for one person, leaving out those already
 * in their matches. Talk-through is shown only to a viewer who may see their convictions; anyone
 * else gets the neutral wording. Audited as `match.viewed`.
 */
export async function rankedVacancies(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  participantId: string,
  options: RankedVacancyOptions,
): Promise<RankedVacancies> {
  assertCanMatch(viewer);
  const day = today(deps);
  // Independent reads, side by side (PostgreSQL answers them on separate connections). Nothing
  // is used, or shown, unless the person turns out to be visible to the viewer.
  const [participant, profiles, open, saved] = await Promise.all([
    participants.loadVisible(db, viewer, participantId),
    currentMatchProfiles(db, [participantId]),
    openVacanciesFor(db, day),
    repo.vacancyIdsOf(db, participantId),
  ]);
  const profile = profiles.get(participantId) ?? NO_PROFILE;
  // Only a viewer who may see the convictions section may learn there is something in it.
  const seesConvictions = participant.canSeeSensitive;
  const words = options.search ? searchText(options.search) : '';
  let candidates = options.sort === 'closing' ? byClosingOf(open) : open.forMatching;
  if (saved.size > 0 || words !== '') {
    const text = words === '' ? null : searchableOf(open);
    candidates = candidates.filter((v) => !saved.has(v.id) && (text === null || (text.get(v.id) ?? '').includes(words)));
  }
  const page = rankVacanciesPage(profile, candidates, {
    today: day,
    limit: options.limit,
    offset: options.offset,
    order: options.sort === 'closing' ? 'given' : 'score',
  });
  const items = page.items.map(({ vacancy, match }) => {
    const v = open.byId.get(vacancy.id) as vacancies.Vacancy;
    return { vacancy: v, assessment: assessmentOf(match, vacancyPayCheck(v, participant, day), seesConvictions) };
  });
  await audit.record(db, deps, ctx, {
    action: 'match.viewed',
    entityType: 'participant',
    entityId: participantId,
    details: { list: 'ranked_vacancies', shown: items.length, offset: options.offset },
  });
  return { participant, profile, seesConvictions, items, total: page.total };
}

// ---- Ranked people for a vacancy ----------------------------------------------------------------

export interface RankedPersonItem {
  id: string;
  name: string;
  status: ParticipantStatus;
  practitionerId: string | null;
  assessment: Assessment;
  /** Their match with this vacancy, when they already have one. */
  existing: { id: string; stage: MatchStage } | null;
}

export interface RankedPeople {
  vacancy: vacancies.Vacancy;
  open: boolean;
  items: RankedPersonItem[];
  total: number;
}

export interface RankedPeopleOptions {
  limit: number;
  offset: number;
  /** All or part of a name. */
  search?: string | undefined;
  /** `best` (the default) or `name`. */
  sort?: 'best' | 'name';
}

/**
 * The people of the viewer's permitted caseload (a practitioner: their own and their team's; a
 * manager: their team's), not discharged, ranked for one vacancy. One query finds everyone and
 * their current profile version (profiles already read are reused); a second names the page's
 * people. Audited once as `match.people_ranked` with the number of people.
 */
export async function rankedPeople(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  vacancyId: string,
  options: RankedPeopleOptions,
): Promise<RankedPeople> {
  assertCanMatch(viewer);
  const day = today(deps);
  const [vacancy, rows, existing] = await Promise.all([
    vacancies.getVacancy(db, viewer, vacancyId),
    repo.caseload(db, viewer, options.search ? searchText(options.search) : undefined),
    repo.stagesForVacancy(db, vacancyId),
  ]);
  const profiles = await matchProfilesAt(
    db,
    rows.map((r) => ({ id: r.id, version: r.profile_version })),
  );
  const page = rankPeoplePage(vacancies.toMatchVacancy(vacancy), profiles, {
    today: day,
    limit: options.limit,
    offset: options.offset,
    // The rows come sorted by name.
    order: options.sort === 'name' ? 'given' : 'score',
  });
  const shown = page.items.map(({ index }) => rows[index] as repo.CaseloadRow);
  const about = await repo.peopleByIds(
    db,
    shown.map((r) => r.id),
  );
  const items = page.items.map(({ match }, i) => {
    const r = shown[i] as repo.CaseloadRow;
    const person = about.get(r.id) as repo.PersonRow;
    const sees = canSeeSensitive(viewer, { practitionerId: r.practitioner_id, teamId: r.team_id, clinicalTeamIds: [] });
    const had = existing.get(r.id);
    return {
      id: r.id,
      name: displayName({ givenName: person.given_name, familyName: person.family_name, preferredName: person.preferred_name }),
      status: person.status as ParticipantStatus,
      practitionerId: r.practitioner_id,
      assessment: assessmentOf(match, vacancyPayCheck(vacancy, { dateOfBirth: person.date_of_birth }, day), sees),
      existing: had ? { id: had.id, stage: had.stage as MatchStage } : null,
    };
  });
  await audit.record(db, deps, ctx, {
    action: 'match.people_ranked',
    entityType: 'vacancy',
    entityId: vacancyId,
    details: { vacancy_id: vacancyId, people: page.total },
  });
  return { vacancy, open: isOpenOn(vacancy, day), items, total: page.total };
}

// ---- Saved matches ------------------------------------------------------------------------------

function toMatch(r: repo.MatchRow): Match {
  return {
    id: r.id,
    participantId: r.participant_id,
    vacancyId: r.vacancy_id,
    practitionerId: r.practitioner_id,
    stage: r.stage as MatchStage,
    savedScore: Number(r.score),
    stageChangedAt: r.stage_changed_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: Number(r.version),
  };
}

/**
 * Saved matches with their live assessment as this viewer may see it: one query for the
 * profiles, one for placements, whatever the number of matches.
 */
async function viewsOf(db: DbOrTrx, viewer: Viewer, rows: repo.MatchWithVacancy[], day: string): Promise<MatchView[]> {
  const profiles = await currentMatchProfiles(
    db,
    rows.map((r) => r.match.participant_id),
  );
  const placed = await placements.placementIdsByMatch(
    db,
    rows.filter((r) => r.match.stage === 'started').map((r) => r.match.id),
  );
  return rows.map((r) => {
    const vacancy = vacancies.toVacancy(r.vacancy);
    const match = scoreMatch(profiles.get(r.match.participant_id) ?? NO_PROFILE, vacancies.toMatchVacancy(vacancy), {
      today: day,
    });
    const pay = vacancyPayCheck(vacancy, { dateOfBirth: r.person.date_of_birth }, day);
    const sees = canSeeSensitive(viewer, {
      practitionerId: r.person.practitioner_id,
      teamId: r.person.team_id,
      clinicalTeamIds: [],
    });
    const m = toMatch(r.match);
    return {
      ...m,
      vacancy,
      personName: displayName({
        givenName: r.person.given_name,
        familyName: r.person.family_name,
        preferredName: r.person.preferred_name,
      }),
      assessment: assessmentOf(match, pay, sees),
      nextStages: nextStages(m.stage),
      placementId: placed.get(m.id) ?? null,
    };
  });
}

/** A person's saved matches, most recently moved first, each with its live score. Audited as `match.viewed`. */
export async function listMatches(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  participantId: string,
): Promise<{ participant: participants.ParticipantView; matches: MatchView[] }> {
  assertCanMatch(viewer);
  const participant = await participants.loadVisible(db, viewer, participantId);
  const rows = await repo.forParticipant(db, participantId);
  const matches = await viewsOf(db, viewer, rows, today(deps));
  await audit.record(db, deps, ctx, {
    action: 'match.viewed',
    entityType: 'participant',
    entityId: participantId,
    details: { list: 'matches', shown: matches.length },
  });
  return { participant, matches };
}

async function matchOf(db: DbOrTrx, deps: Deps, viewer: Viewer, participantId: string, id: string) {
  const row = await repo.findWithVacancy(db, id);
  if (!row || row.match.participant_id !== participantId) throw new NotFoundError('Match not found');
  const [view] = await viewsOf(db, viewer, [row], today(deps));
  return view as MatchView;
}

/** One of a person's matches, for the start confirmation page (no audit: the page shows what the list did). */
export async function getMatch(db: DbOrTrx, deps: Deps, viewer: Viewer, participantId: string, id: string): Promise<MatchView> {
  assertCanMatch(viewer);
  const participant = await participants.loadEditable(db, viewer, participantId);
  return matchOf(db, deps, viewer, participant.id, id);
}

/** The score now, from the person's current profile. */
async function liveScore(db: DbOrTrx, participantId: string, vacancy: vacancies.Vacancy, day: string): Promise<number> {
  const profile = (await currentMatchProfiles(db, [participantId])).get(participantId) ?? NO_PROFILE;
  return scoreMatch(profile, vacancies.toMatchVacancy(vacancy), { today: day }).score;
}

/**
 * Adds a vacancy to a person's matches at "suggested", scored now. The vacancy must be open; a
 * second match of the same person and vacancy is refused with a plain message (422).
 */
export async function createMatch(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  participantId: string,
  vacancyId: string,
): Promise<MatchView> {
  assertCanMatch(viewer);
  const participant = await participants.loadEditable(db, viewer, participantId);
  const vacancy = await vacancies.getVacancy(db, viewer, vacancyId).catch((err: unknown) => {
    if (err instanceof NotFoundError) throw new ValidationError({ vacancy_id: 'Choose a vacancy that exists' });
    throw err;
  });
  const day = today(deps);
  const name = displayName(participant);
  if (participant.status === 'discharged') {
    throw new RuleError(`${name} is discharged. To support them again, add a new referral, then match them to jobs`);
  }
  if (!isOpenOn(vacancy, day))
    throw new RuleError(`“${vacancy.title}” is no longer open, so it cannot be added to ${name}’s matches`);
  const duplicate = () => new RuleError(`“${vacancy.title}” at ${vacancy.employerName} is already in ${name}’s matches`);
  if (await repo.findByPersonAndVacancy(db, participantId, vacancyId)) throw duplicate();
  const score = await liveScore(db, participantId, vacancy, day);
  const record = newRecordColumns(deps.clock);
  const row: repo.MatchRow = {
    ...record,
    participant_id: participantId,
    vacancy_id: vacancyId,
    practitioner_id: participant.practitionerId ?? viewer.userId,
    stage: 'suggested',
    score,
    stage_changed_at: record.created_at,
    notes: null,
    created_by_user_id: viewer.userId,
  };
  try {
    await repo.insert(db, row);
  } catch (err) {
    // Two people adding the same vacancy at once: the unique constraint decides.
    if (isUniqueViolation(err)) throw duplicate();
    throw err;
  }
  await repo.insertStageChange(db, {
    id: randomUUID(),
    match_id: row.id,
    from_stage: null,
    to_stage: 'suggested',
    changed_at: record.created_at,
    changed_by_user_id: viewer.userId,
  });
  await audit.record(db, deps, ctx, {
    action: 'match.created',
    entityType: 'participant',
    entityId: participantId,
    details: { match_id: row.id, vacancy_id: vacancyId, score },
  });
  return matchOf(db, deps, viewer, participantId, row.id);
}

export interface StageMoveResult {
  match: MatchView;
  /** The placement created by a move to "started". */
  placementId: string | null;
  /** The person's status after the move when it changed (to employed). */
  statusChangedTo: ParticipantStatus | null;
  /** Why the person's status stayed as it was after starting, if it did. */
  statusKept: string | null;
}

/**
 * Moves a match to another stage when the stage rules allow it (422 with the reason otherwise)
 * and `version` is current (409 otherwise). "Started" records the placement (start date today
 * unless given) and moves the person to employed when their status allows it. Pass a transaction.
 */
export async function moveStage(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  participantId: string,
  matchId: string,
  version: number,
  to: MatchStage,
  options: { startDate?: string | null } = {},
): Promise<StageMoveResult> {
  assertCanMatch(viewer);
  const participant = await participants.loadEditable(db, viewer, participantId);
  const row = await repo.findWithVacancy(db, matchId);
  if (!row || row.match.participant_id !== participantId) throw new NotFoundError('Match not found');
  const from = row.match.stage as MatchStage;
  if (Number(row.match.version) !== version) {
    throw new ConflictError(`Someone else moved this match after you opened it. It is now at “${MATCH_STAGE_LABELS[from]}”`);
  }
  const problem = stageChangeProblem(from, to);
  if (problem) throw new RuleError(problem);
  const day = today(deps);
  const startDate = options.startDate ?? day;
  if (to === 'started' && !isCalendarDate(startDate))
    throw new ValidationError({ start_date: 'Enter a real start date, like 2026-12-01' });
  const vacancy = vacancies.toVacancy(row.vacancy);
  const score = await liveScore(db, participantId, vacancy, day);
  const now = deps.clock.now().toISOString();
  if ((await repo.update(db, matchId, version, { stage: to, score, stage_changed_at: now, updated_at: now })) === 0) {
    throw new ConflictError('Someone else moved this match after you opened it');
  }
  await repo.insertStageChange(db, {
    id: randomUUID(),
    match_id: matchId,
    from_stage: from,
    to_stage: to,
    changed_at: now,
    changed_by_user_id: viewer.userId,
  });
  let placementId: string | null = null;
  let statusChangedTo: ParticipantStatus | null = null;
  let statusKept: string | null = null;
  if (to === 'started') {
    const placement = await placements.createPlacement(db, deps, ctx, {
      participantId,
      employerId: vacancy.employerId,
      vacancyId: vacancy.id,
      matchId,
      practitionerId: participant.practitionerId,
      title: vacancy.title,
      departmentId: vacancy.departmentId,
      siteId: vacancy.siteId,
      startDate,
      hoursPerWeek: vacancy.hoursPerWeek,
      hourlyPayPence: vacancy.hourlyPayPence,
    });
    placementId = placement.id;
    if (participant.status !== 'employed') {
      statusKept = statusChangeProblem(participant.status, 'employed');
      if (statusKept === null) {
        await participants.setStatus(db, deps, ctx, viewer, participant, 'employed', 'Started a job from their matches');
        statusChangedTo = 'employed';
      }
    }
  }
  await audit.record(db, deps, ctx, {
    action: 'match.stage_changed',
    entityType: 'participant',
    entityId: participantId,
    details: { match_id: matchId, from, to, ...(placementId ? { placement_id: placementId } : {}) },
  });
  return { match: await matchOf(db, deps, viewer, participantId, matchId), placementId, statusChangedTo, statusKept };
}

// ---- The board ----------------------------------------------------------------------------------

/**
 * Whose board the viewer may see: their own, or (for a manager) that of an active practitioner
 * or manager of their own team; anyone else is "not found". The same rule as whose week of
 * appointments a manager may open, so it is that rule, not a copy.
 */
export async function boardOwner(db: DbOrTrx, viewer: Viewer, requestedId?: string): Promise<users.User> {
  assertCanMatch(viewer);
  return appointments.diaryOwner(db, viewer, requestedId);
}

/** The people whose boards a manager may choose between, by name (empty for anyone else). */
export async function teamBoardOwners(db: DbOrTrx, viewer: Viewer): Promise<users.User[]> {
  return appointments.teamDiaryOwners(db, viewer);
}

/**
 * A practitioner's board: their matches of people the viewer may see, with live scores, most
 * recently moved first. `search` narrows to a name or a vacancy title.
 */
export async function board(db: DbOrTrx, deps: Deps, viewer: Viewer, owner: users.User, search?: string): Promise<MatchView[]> {
  assertCanMatch(viewer);
  const q = search?.trim();
  const rows = await repo.board(db, viewer, owner.id, q ? { name: searchText(q), title: q.toLowerCase() } : {});
  return viewsOf(db, viewer, rows, today(deps));
}

// ---- The API shape ------------------------------------------------------------------------------

/** A saved match in the API (DESIGN.md section 3: `score` 0–100 and `reasons` of `fits` and `text`). */
export function matchJson(m: MatchView): Record<string, unknown> {
  return {
    id: m.id,
    participant_id: m.participantId,
    vacancy_id: m.vacancyId,
    vacancy_title: m.vacancy.title,
    employer_id: m.vacancy.employerId,
    employer_name: m.vacancy.employerName,
    practitioner_id: m.practitionerId,
    stage: m.stage,
    stage_changed_at: m.stageChangedAt,
    score: m.assessment.score,
    talk_through: m.assessment.talkThrough,
    reasons: m.assessment.reasons,
    pay_competitive: m.assessment.pay.competitive,
    next_stages: m.nextStages,
    placement_id: m.placementId,
    created_at: m.createdAt,
    updated_at: m.updatedAt,
    version: m.version,
  };
}

/** A ranked open vacancy in the API. */
export function rankedVacancyJson(r: RankedVacancyItem): Record<string, unknown> {
  return {
    vacancy_id: r.vacancy.id,
    title: r.vacancy.title,
    employer_id: r.vacancy.employerId,
    employer_name: r.vacancy.employerName,
    closing_date: r.vacancy.closingDate,
    score: r.assessment.score,
    talk_through: r.assessment.talkThrough,
    reasons: r.assessment.reasons,
    pay_competitive: r.assessment.pay.competitive,
  };
}
