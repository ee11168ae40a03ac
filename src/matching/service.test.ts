import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/test-app.ts';
import { makeEmployer, makeParticipant, makeProfile, makeTeam, makeUser, makeVacancy } from '../../test/factories.ts';
import { SYSTEM_CONTEXT } from '../audit/service.ts';
import { ConflictError, NotFoundError, RuleError } from '../errors.ts';
import type { Viewer } from '../participants/rules.ts';
import type { User } from '../users/service.ts';
import * as vacancies from '../vacancies/service.ts';
import * as matching from './service.ts';

// The test clock stands at 2026-11-25 10:00 UTC (10:00 in London).

let t: TestApp;
let north: string;
let pat: User;
let sam: User;
let employerId: string;

const viewerOf = (u: User): Viewer => ({ userId: u.id, role: u.role, teamId: u.teamId });
const page = { limit: 20, offset: 0 };

beforeEach(async () => {
  t = await createTestApp();
  north = (await makeTeam(t.db, t.deps, 'North IPS')).id;
  pat = await makeUser(t.db, t.deps, { role: 'practitioner', teamId: north, name: 'Pat Practitioner' });
  sam = await makeUser(t.db, t.deps, { role: 'practitioner', teamId: north, name: 'Sam Colleague' });
  employerId = (await makeEmployer(t.db, t.deps, pat, { name: 'Leeds General Infirmary' })).id;
});
afterEach(async () => {
  await t.close();
});

async function ranked(by: User, participantId: string, options = page) {
  return matching.rankedVacancies(t.db, t.deps, SYSTEM_CONTEXT, viewerOf(by), participantId, options);
}

async function auditEvents(action: string) {
  return t.db.selectFrom('audit_events').select(['entity_type', 'entity_id', 'details']).where('action', '=', action).execute();
}

describe('rankedVacancies', () => {
  it('ranks open vacancies best first with plain reasons, and leaves out closed ones and limits they set', async () => {
    const p = await makeParticipant(t.db, t.deps, pat);
    await makeProfile(t.db, t.deps, pat, p.id, {
      occupations: ['kitchen'],
      hours_per_week_max: 20,
      times: ['evenings'],
      ...({ never_times: ['nights'] } as object),
    });
    await makeVacancy(t.db, t.deps, pat, employerId, { title: 'Kitchen porter', hoursPerWeek: 16, times: ['evenings'] });
    await makeVacancy(t.db, t.deps, pat, employerId, { title: 'Shop assistant', occupation: 'Retail', hoursPerWeek: 16 });
    await makeVacancy(t.db, t.deps, pat, employerId, {
      title: 'Kitchen assistant',
      hoursPerWeek: 37.5,
      times: ['mornings', 'afternoons'],
    });
    await makeVacancy(t.db, t.deps, pat, employerId, { title: 'Kitchen porter (closed)', closingDate: '2026-11-24' });
    await makeVacancy(t.db, t.deps, pat, employerId, { title: 'Night kitchen porter', times: ['nights'] });
    const result = await ranked(pat, p.id);
    expect(result.items.map((i) => i.vacancy.title)).toEqual(['Kitchen porter', 'Kitchen assistant', 'Shop assistant']);
    expect(result.total).toBe(3);
    const [best, dayJob] = result.items;
    expect(best?.assessment.score).toBe(100);
    expect(best?.assessment.reasons).toContainEqual({ fits: true, text: 'The kind of work they asked for (kitchen)' });
    // Evenings only against a day job, and 20 hours at most against 37.5.
    expect(dayJob?.assessment.reasons).toContainEqual({ fits: false, text: 'They want evenings only; this is a day job' });
    expect(dayJob?.assessment.reasons).toContainEqual({ fits: false, text: 'They want up to 20 hours a week; this job is 37.5' });
    expect(dayJob!.assessment.score).toBeLessThan(best!.assessment.score);
  });

  it('adds the minimum-wage reason for the person’s age, without changing the score', async () => {
    const p = await makeParticipant(t.db, t.deps, pat, { dateOfBirth: '2000-01-01' });
    await makeVacancy(t.db, t.deps, pat, employerId, { title: 'Porter', hourlyPayPence: 1000 });
    await makeVacancy(t.db, t.deps, pat, employerId, { title: 'Cleaner', hourlyPayPence: 1300 });
    const result = await ranked(pat, p.id);
    const low = result.items.find((i) => i.vacancy.title === 'Porter')!;
    const fair = result.items.find((i) => i.vacancy.title === 'Cleaner')!;
    expect(low.assessment.reasons).toContainEqual({ fits: false, text: 'Pay below the minimum wage for their age' });
    expect(fair.assessment.reasons.map((r) => r.text)).not.toContain('Pay below the minimum wage for their age');
    expect(low.assessment.score).toBe(fair.assessment.score);
  });

  it('marks a role needing a check as “talk this through” for their practitioner, and words it neutrally for a colleague who may not see convictions', async () => {
    const p = await makeParticipant(t.db, t.deps, pat);
    await makeProfile(t.db, t.deps, pat, p.id, { occupations: ['porter'], convictions: 'Theft, 2019' });
    await makeVacancy(t.db, t.deps, pat, employerId, { title: 'Hospital porter', checkRequired: true });
    const own = (await ranked(pat, p.id)).items[0]!;
    expect(own.assessment.talkThrough).toBe(true);
    expect(own.assessment.reasons).toContainEqual({
      fits: true,
      text: 'Needs a criminal-record check: talk this through with them',
    });
    const colleague = (await ranked(sam, p.id)).items[0]!;
    expect(colleague.assessment.talkThrough).toBe(false);
    expect(colleague.assessment.reasons).toContainEqual({ fits: true, text: 'Needs a criminal-record check (DBS or similar)' });
    expect(JSON.stringify(colleague)).not.toContain('talk this through');
    // Never excluded, never scored down.
    expect(colleague.assessment.score).toBe(own.assessment.score);
  });

  it('drops a vacancy from the ranking as soon as it is filled, even after an earlier ranking', async () => {
    const p = await makeParticipant(t.db, t.deps, pat);
    const v = await makeVacancy(t.db, t.deps, pat, employerId, { title: 'Gardener' });
    expect((await ranked(pat, p.id)).items.map((i) => i.vacancy.title)).toEqual(['Gardener']);
    await vacancies.changeVacancyStatus(t.db, t.deps, SYSTEM_CONTEXT, viewerOf(pat), v.id, v.version, 'filled');
    expect((await ranked(pat, p.id)).items).toEqual([]);
    await makeVacancy(t.db, t.deps, pat, employerId, { title: 'Groundskeeper' });
    expect((await ranked(pat, p.id)).items.map((i) => i.vacancy.title)).toEqual(['Groundskeeper']);
  });

  it('pages through the ranking and searches titles and employers', async () => {
    const p = await makeParticipant(t.db, t.deps, pat);
    for (let i = 1; i <= 5; i++) await makeVacancy(t.db, t.deps, pat, employerId, { title: `Porter ${i}` });
    await makeVacancy(t.db, t.deps, pat, employerId, { title: 'Café assistant' });
    const first = await ranked(pat, p.id, { limit: 4, offset: 0 });
    const second = await ranked(pat, p.id, { limit: 4, offset: 4 });
    expect(first.total).toBe(6);
    expect(first.items).toHaveLength(4);
    expect(second.items).toHaveLength(2);
    const found = await matching.rankedVacancies(t.db, t.deps, SYSTEM_CONTEXT, viewerOf(pat), p.id, { ...page, search: 'cafe' });
    expect(found.items.map((i) => i.vacancy.title)).toEqual(['Café assistant']);
  });

  it('is audited as a read of the person’s matches, and refused for someone who may not see them', async () => {
    const p = await makeParticipant(t.db, t.deps, pat);
    await ranked(pat, p.id);
    expect(await auditEvents('match.viewed')).toEqual([
      expect.objectContaining({ entity_type: 'participant', entity_id: p.id }) as object,
    ]);
    const south = (await makeTeam(t.db, t.deps, 'South IPS')).id;
    const stranger = await makeUser(t.db, t.deps, { role: 'practitioner', teamId: south });
    await expect(ranked(stranger, p.id)).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('rankedPeople', () => {
  it('ranks only the caller’s permitted caseload, leaves out discharged people, and audits one event', async () => {
    const south = (await makeTeam(t.db, t.deps, 'South IPS')).id;
    const other = await makeUser(t.db, t.deps, { role: 'practitioner', teamId: south });
    const mine = await makeParticipant(t.db, t.deps, pat, { givenName: 'Ann' });
    await makeProfile(t.db, t.deps, pat, mine.id, { occupations: ['kitchen'] });
    const teams = await makeParticipant(t.db, t.deps, sam, { givenName: 'Bea' });
    await makeProfile(t.db, t.deps, sam, teams.id, { occupations: ['retail'] });
    const gone = await makeParticipant(t.db, t.deps, pat, { givenName: 'Cy' });
    await t.db.updateTable('participants').set({ status: 'discharged' }).where('id', '=', gone.id).execute();
    const elsewhere = await makeParticipant(t.db, t.deps, other, { givenName: 'Dee' });
    await makeProfile(t.db, t.deps, other, elsewhere.id, { occupations: ['kitchen'] });
    const v = await makeVacancy(t.db, t.deps, pat, employerId, { title: 'Kitchen porter' });

    const result = await matching.rankedPeople(t.db, t.deps, SYSTEM_CONTEXT, viewerOf(pat), v.id, page);
    expect(result.items.map((i) => i.id)).toEqual([mine.id, teams.id]);
    expect(result.items[0]?.assessment.score).toBeGreaterThan(result.items[1]!.assessment.score);
    const events = await auditEvents('match.people_ranked');
    expect(events).toHaveLength(1);
    expect(JSON.parse(events[0]!.details!)).toEqual({ vacancy_id: v.id, people: 2 });

    const otherSide = await matching.rankedPeople(t.db, t.deps, SYSTEM_CONTEXT, viewerOf(other), v.id, page);
    expect(otherSide.items.map((i) => i.id)).toEqual([elsewhere.id]);
  });

  it('shows talk-through only for the people whose convictions the caller may see', async () => {
    const own = await makeParticipant(t.db, t.deps, pat);
    await makeProfile(t.db, t.deps, pat, own.id, { convictions: 'Yes' });
    const colleagues = await makeParticipant(t.db, t.deps, sam);
    await makeProfile(t.db, t.deps, sam, colleagues.id, { convictions: 'Yes' });
    const v = await makeVacancy(t.db, t.deps, pat, employerId, { title: 'Porter', checkRequired: true });
    const result = await matching.rankedPeople(t.db, t.deps, SYSTEM_CONTEXT, viewerOf(pat), v.id, page);
    const flags = Object.fromEntries(result.items.map((i) => [i.id, i.assessment.talkThrough]));
    expect(flags).toEqual({ [own.id]: true, [colleagues.id]: false });
  });
});

describe('matches', () => {
  async function setUp() {
    const p = await makeParticipant(t.db, t.deps, pat);
    await t.db.updateTable('participants').set({ status: 'job_search' }).where('id', '=', p.id).execute();
    const v = await makeVacancy(t.db, t.deps, pat, employerId, {
      title: 'Ward housekeeper',
      hoursPerWeek: 20,
      hourlyPayPence: 1300,
    });
    const m = await matching.createMatch(t.db, t.deps, SYSTEM_CONTEXT, viewerOf(pat), p.id, v.id);
    return { p, v, m };
  }
  const move = (participantId: string, matchId: string, version: number, to: Parameters<typeof matching.moveStage>[7]) =>
    t.db
      .transaction()
      .execute((trx) => matching.moveStage(trx, t.deps, SYSTEM_CONTEXT, viewerOf(pat), participantId, matchId, version, to));

  it('creates a match at “suggested” on the person’s practitioner’s board, and refuses the same vacancy twice', async () => {
    const { p, v, m } = await setUp();
    expect(m).toMatchObject({ stage: 'suggested', practitionerId: pat.id, vacancyId: v.id, version: 1 });
    const again = matching.createMatch(t.db, t.deps, SYSTEM_CONTEXT, viewerOf(sam), p.id, v.id);
    await expect(again).rejects.toThrow(RuleError);
    await expect(again).rejects.toThrow('“Ward housekeeper” at Leeds General Infirmary is already in');
    expect(await t.db.selectFrom('matches').select('id').execute()).toHaveLength(1);
    // An added vacancy leaves the ranking.
    expect((await ranked(pat, p.id)).items).toEqual([]);
  });

  it('moves suggested to applied, refuses a move the stage rules do not allow, and refuses a stale version', async () => {
    const { p, m } = await setUp();
    const applied = await move(p.id, m.id, 1, 'applied');
    expect(applied.match).toMatchObject({ stage: 'applied', version: 2 });
    await expect(move(p.id, m.id, 2, 'started')).rejects.toThrow(
      'A match at “Applied” cannot move to “Started”. It can move to: “Interview”, “Offer”, “Unsuccessful”, “Declined (their choice)”',
    );
    await expect(move(p.id, m.id, 1, 'interview')).rejects.toBeInstanceOf(ConflictError);
    const history = await t.db
      .selectFrom('match_stage_changes')
      .select(['from_stage', 'to_stage'])
      .orderBy('changed_at')
      .execute();
    expect(history.map((h) => `${h.from_stage ?? ''}>${h.to_stage}`).sort()).toEqual(['>suggested', 'suggested>applied']);
  });

  it('records the placement when they start and moves them to employed', async () => {
    const { p, v, m } = await setUp();
    await move(p.id, m.id, 1, 'applied');
    await move(p.id, m.id, 2, 'offer');
    const started = await move(p.id, m.id, 3, 'started');
    expect(started.statusChangedTo).toBe('employed');
    expect(started.match.placementId).toBe(started.placementId);
    const placement = await t.db.selectFrom('placements').selectAll().executeTakeFirstOrThrow();
    expect(placement).toMatchObject({
      id: started.placementId,
      participant_id: p.id,
      employer_id: employerId,
      vacancy_id: v.id,
      match_id: m.id,
      title: 'Ward housekeeper',
      start_date: '2026-11-25',
      hourly_pay_pence: 1300,
    });
    expect(Number(placement.hours_per_week)).toBe(20);
    const person = await t.db.selectFrom('participants').select('status').where('id', '=', p.id).executeTakeFirstOrThrow();
    expect(person.status).toBe('employed');
    const actions = (
      await t.db.selectFrom('audit_events').select('action').where('entity_id', '=', p.id).orderBy('seq').execute()
    ).map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining(['match.created', 'match.stage_changed', 'placement.created', 'participant.status_changed']),
    );
    await expect(move(p.id, m.id, 4, 'declined')).rejects.toThrow('They have started this job');
  });

  it('keeps a referred person’s status when they start, saying why', async () => {
    const p = await makeParticipant(t.db, t.deps, pat);
    const v = await makeVacancy(t.db, t.deps, pat, employerId);
    const m = await matching.createMatch(t.db, t.deps, SYSTEM_CONTEXT, viewerOf(pat), p.id, v.id);
    await move(p.id, m.id, 1, 'applied');
    await move(p.id, m.id, 2, 'offer');
    const started = await move(p.id, m.id, 3, 'started');
    expect(started.statusChangedTo).toBeNull();
    expect(started.statusKept).toContain('cannot move straight to employed');
    expect(started.placementId).not.toBeNull();
  });

  it('refuses a vacancy that is no longer open, and a person who is discharged', async () => {
    const p = await makeParticipant(t.db, t.deps, pat);
    const v = await makeVacancy(t.db, t.deps, pat, employerId, { closingDate: '2026-11-01' });
    await expect(matching.createMatch(t.db, t.deps, SYSTEM_CONTEXT, viewerOf(pat), p.id, v.id)).rejects.toThrow(
      'is no longer open',
    );
    const open = await makeVacancy(t.db, t.deps, pat, employerId);
    await t.db.updateTable('participants').set({ status: 'discharged' }).where('id', '=', p.id).execute();
    await expect(matching.createMatch(t.db, t.deps, SYSTEM_CONTEXT, viewerOf(pat), p.id, open.id)).rejects.toThrow(
      'is discharged. To support them again, add a new referral',
    );
  });
});

describe('the board', () => {
  it('holds the matches made for a practitioner’s people, and lets a manager open a team member’s board only', async () => {
    const manager = await makeUser(t.db, t.deps, { role: 'manager', teamId: north });
    const p = await makeParticipant(t.db, t.deps, pat, { givenName: 'Ann' });
    const v = await makeVacancy(t.db, t.deps, pat, employerId, { title: 'Porter' });
    // Made by a colleague, it still goes on the person's practitioner's board.
    await matching.createMatch(t.db, t.deps, SYSTEM_CONTEXT, viewerOf(sam), p.id, v.id);
    const owner = await matching.boardOwner(t.db, viewerOf(manager), pat.id);
    const cards = await matching.board(t.db, t.deps, viewerOf(manager), owner);
    expect(cards.map((c) => [c.personName.split(' ')[0], c.vacancy.title, c.stage])).toEqual([['Ann', 'Porter', 'suggested']]);
    expect(await matching.board(t.db, t.deps, viewerOf(sam), await matching.boardOwner(t.db, viewerOf(sam)))).toEqual([]);
    await expect(matching.boardOwner(t.db, viewerOf(sam), pat.id)).rejects.toBeInstanceOf(NotFoundError);
    const south = (await makeTeam(t.db, t.deps, 'South IPS')).id;
    const elsewhere = await makeUser(t.db, t.deps, { role: 'practitioner', teamId: south });
    await expect(matching.boardOwner(t.db, viewerOf(manager), elsewhere.id)).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('matchProfileFromStored', () => {
  it('reads the job preferences, the limits, home and whether convictions are recorded, leniently', () => {
    const stored = JSON.stringify({
      occupations: ['kitchen', '  ', 3],
      hours_per_week_min: 16,
      hours_per_week_max: 'lots',
      days: ['mon', 'someday'],
      times: ['evenings'],
      weekends_ok: false,
      places: ['Leeds'],
      max_travel_minutes: 45,
      travel_modes: ['bus', 'rocket'],
      lowest_hourly_pay_pence: 1250,
      convictions: null,
      convictions_job_impact: 'Spent conviction',
      never_times: ['nights'],
      no_weekends: true,
      home_latitude: 53.8,
      home_longitude: -1.55,
      skills: 'Not read',
    });
    expect(matching.matchProfileFromStored(stored)).toEqual({
      occupations: ['kitchen'],
      hours_per_week_min: 16,
      hours_per_week_max: null,
      days: ['mon'],
      times: ['evenings'],
      weekends_ok: false,
      places: ['Leeds'],
      max_travel_minutes: 45,
      travel_modes: ['bus'],
      lowest_hourly_pay_pence: 1250,
      has_convictions: true,
      never_times: ['nights'],
      no_weekends: true,
      home: { lat: 53.8, lon: -1.55 },
    });
  });

  it('treats no profile, a broken one, or a home with one coordinate as no preference', () => {
    const empty = matching.matchProfileFromStored(null);
    expect(empty).toMatchObject({ occupations: [], has_convictions: false, home: null, no_weekends: false });
    expect(matching.matchProfileFromStored('{not json')).toEqual(empty);
    expect(matching.matchProfileFromStored(JSON.stringify({ home_latitude: 53.8 })).home).toBeNull();
    expect(matching.hasPreferences(empty)).toBe(false);
  });
});
