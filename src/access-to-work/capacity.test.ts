import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeContact, makeEmployer, makeParticipant, makeTeam, makeUser } from '../../test/factories.ts';
import { createTestApp, type TestApp } from '../../test/test-app.ts';
import { SYSTEM_CONTEXT } from '../audit/service.ts';
import * as placements from '../placements/service.ts';
import * as support from '../support/service.ts';
import type { User } from '../users/service.ts';
import * as capacity from './capacity.ts';
import * as atw from './service.ts';

// The test clock stands at Wednesday 25 November 2026, so this week starts on Monday 23 November
// and the forecast's 26 weeks run to the week of 17 May 2027 (week 0 to week 25).
//
// The hand-checked scenario, team North:
//   Ann (practitioner) 37.5 h a week, Bea (practitioner) 18.75 h: capacity 56.25 h.
//   Award 1: 10 h/week, Ann's person, ends Sunday 17 January 2027 (the end of week 7).
//   Award 2: 30 h/week, Bea's person, runs past the forecast.
//   A support plan of 5 h/week on a job of Ann's third person, with no award.
//   A pending application for 20 h/week, Bea's person, expected to start Monday 1 February 2027 (week 10).
// Demand: weeks 0-7 10+30+5 = 45 h; weeks 8-9 35 h; weeks 10-25 30+5+20 = 55 h.
// Left out: a plan on award 1's job (the award pays for it), a travel award, an award that ended
// last week, a refused application, another team's award.

let t: TestApp;
let north: string;
let ann: User;
let bea: User;
let admin: User;

const v = (u: User) => ({ userId: u.id, role: u.role, teamId: u.teamId });

beforeEach(async () => {
  t = await createTestApp();
  north = (await makeTeam(t.db, t.deps, 'North IPS')).id;
  ann = await makeUser(t.db, t.deps, { role: 'practitioner', teamId: north, name: 'Ann Coach' });
  bea = await makeUser(t.db, t.deps, { role: 'practitioner', teamId: north, name: 'Bea Coach' });
  admin = await makeUser(t.db, t.deps, { role: 'admin' });
});
afterEach(async () => {
  await t.close();
});

async function award(
  by: User,
  participantId: string,
  terms: { start: string; end: string; hours: number; kind?: 'job_coach' | 'travel'; placementId?: string | null },
) {
  const hourly = terms.kind !== 'travel';
  return atw.createAward(t.db, t.deps, SYSTEM_CONTEXT, v(by), participantId, {
    supportKind: terms.kind ?? 'job_coach',
    startDate: terms.start,
    endDate: terms.end,
    hoursPerWeek: hourly ? terms.hours : null,
    hoursTotal: null,
    hourlyRatePence: hourly ? 2500 : null,
    totalAmountPence: hourly ? null : 50000,
    employerContributionPence: null,
    applicationId: null,
    placementId: terms.placementId ?? null,
    coachUserId: null,
    reference: null,
    notes: null,
    renewsAwardId: null,
  });
}

async function job(by: User, participantId: string) {
  const employer = await makeEmployer(t.db, t.deps, by);
  return placements.createPlacement(t.db, t.deps, SYSTEM_CONTEXT, {
    participantId,
    employerId: employer.id,
    practitionerId: by.id,
    title: 'Porter',
    startDate: '2026-06-01',
  });
}

async function plan(by: User, placementId: string, hoursPerWeek: number | null) {
  return support.savePlan(
    t.db,
    t.deps,
    SYSTEM_CONTEXT,
    v(by),
    placementId,
    {
      coachSupport: null,
      employerOwns: null,
      contactEveryDays: 7,
      adjustments: null,
      nextReviewDate: null,
      fadingPlan: null,
      hoursPerWeek,
    },
    undefined,
  );
}

async function application(by: User, participantId: string, status: 'sent' | 'refused', hours: number, start: string) {
  return atw.createApplication(t.db, t.deps, SYSTEM_CONTEXT, v(by), participantId, {
    appliedBy: 'coach',
    applicantName: null,
    sentDate: '2026-11-02',
    reference: null,
    status,
    decisionDate: status === 'refused' ? '2026-11-20' : null,
    supportKind: 'job_coach',
    hoursPerWeek: hours,
    expectedStartDate: start,
    renewsAwardId: null,
    notes: null,
  });
}

async function scenario() {
  await capacity.setContractedHours(t.db, t.deps, SYSTEM_CONTEXT, v(admin), ann.id, 37.5);
  await capacity.setContractedHours(t.db, t.deps, SYSTEM_CONTEXT, v(admin), bea.id, 18.75);
  const p1 = await makeParticipant(t.db, t.deps, ann);
  const job1 = await job(ann, p1.id);
  await award(ann, p1.id, { start: '2026-06-01', end: '2027-01-17', hours: 10, placementId: job1.id });
  await plan(ann, job1.id, 3); // paid for by award 1 while it runs: not counted
  await award(ann, p1.id, { start: '2026-06-01', end: '2027-05-31', hours: 4, kind: 'travel' });
  await award(ann, p1.id, { start: '2025-12-01', end: '2026-11-22', hours: 6 }); // ended last week
  const p2 = await makeParticipant(t.db, t.deps, bea);
  await award(bea, p2.id, { start: '2026-09-01', end: '2027-08-31', hours: 30 });
  const p3 = await makeParticipant(t.db, t.deps, ann);
  await plan(ann, (await job(ann, p3.id)).id, 5);
  const p4 = await makeParticipant(t.db, t.deps, bea);
  await application(bea, p4.id, 'sent', 20, '2027-02-01');
  await application(bea, p4.id, 'refused', 15, '2026-12-07');
  // Another team's work is not this team's demand.
  const south = (await makeTeam(t.db, t.deps, 'South IPS')).id;
  const sam = await makeUser(t.db, t.deps, { role: 'practitioner', teamId: south });
  await award(sam, (await makeParticipant(t.db, t.deps, sam)).id, { start: '2026-06-01', end: '2027-05-31', hours: 25 });
  return { p1, p2, p3, p4 };
}

const HOUR = 60;

describe('the team’s coach capacity', () => {
  it('adds up demand week by week from awards, plans and pending applications, against the contracted hours', async () => {
    await scenario();
    const c = await capacity.teamCapacity(t.db, north, '2026-11-25');
    const f = c.forecast;
    expect(f.capacityMinutes).toBe(56.25 * HOUR);
    expect(f.weeks).toHaveLength(26);
    expect(f.weeks[0]).toEqual({
      weekStart: '2026-11-23',
      demandMinutes: 45 * HOUR,
      capacityMinutes: 56.25 * HOUR,
      excessMinutes: -11.25 * HOUR,
    });
    expect(f.weeks[7]).toMatchObject({ weekStart: '2027-01-11', demandMinutes: 45 * HOUR });
    expect(f.weeks[8]).toMatchObject({ weekStart: '2027-01-18', demandMinutes: 35 * HOUR });
    expect(f.weeks[9]).toMatchObject({ weekStart: '2027-01-25', demandMinutes: 35 * HOUR });
    expect(f.weeks[10]).toMatchObject({ weekStart: '2027-02-01', demandMinutes: 55 * HOUR });
    expect(f.weeks[25]).toMatchObject({ weekStart: '2027-05-17', demandMinutes: 55 * HOUR });
    expect(f.shortfallFrom).toBeNull();
    expect(f.statement).toBe(
      "The team's contracted hours cover the demand for the next 26 weeks, with at least 1.3 h/week to spare.",
    );
    expect(c.counts).toEqual({ awards: 2, plans: 1, pipeline: 1 });
  });

  it('gives each coach’s contracted hours and what is committed to them now, leaving the pipeline out of “now”', async () => {
    await scenario();
    const { forecast } = await capacity.teamCapacity(t.db, north, '2026-11-25');
    expect(forecast.coaches.map((c) => [c.name, c.contractedHoursPerWeek, c.committedMinutes])).toEqual([
      ['Ann Coach', 37.5, 15 * HOUR],
      ['Bea Coach', 18.75, 30 * HOUR],
    ]);
    expect(forecast.unassignedMinutes).toBe(0);
  });

  it('says by how much and from when demand exceeds capacity, and how much of a full-time coach that is', async () => {
    await scenario();
    await capacity.setContractedHours(t.db, t.deps, SYSTEM_CONTEXT, v(admin), bea.id, 7.5);
    const { forecast } = await capacity.teamCapacity(t.db, north, '2026-11-25');
    // Capacity 45 h: week 0 is exactly at capacity, week 10 is 55 - 45 = 10 h over.
    expect(forecast.weeks[0]?.excessMinutes).toBe(0);
    expect(forecast.weeks[10]?.excessMinutes).toBe(10 * HOUR);
    expect(forecast.shortfallFrom).toBe('2027-02-01');
    expect(forecast.statement).toBe(
      "Demand exceeds the team's capacity by 10 h/week from the week of 1 February 2027: about 0.3 of a full-time coach (37.5 hours a week).",
    );
  });

  it('counts a support plan once the award paying for its job has ended', async () => {
    await scenario();
    // On 20 January 2027 award 1 has ended, so its job's plan (3 h) counts, open-ended.
    const { forecast } = await capacity.teamCapacity(t.db, north, '2027-01-20');
    expect(forecast.weeks[0]).toMatchObject({ weekStart: '2027-01-18', demandMinutes: (30 + 5 + 3) * HOUR });
    expect(forecast.coaches.find((c) => c.id === ann.id)?.committedMinutes).toBe((5 + 3) * HOUR);
  });

  it('counts the in-work support each coach delivered in the 12 whole weeks before this one', async () => {
    const { p1, p2 } = await scenario();
    const support = { purpose: 'in_work_support' as const, place: 'workplace' as const };
    await makeContact(t.db, t.deps, ann, p1.id, { ...support, startedAt: '2026-08-31T08:00:00Z', durationMinutes: 90 });
    await makeContact(t.db, t.deps, ann, p1.id, { ...support, startedAt: '2026-11-20T09:00:00Z', durationMinutes: 60 });
    // 30 August is before the 12 weeks (from Monday 31 August); this week's contact is not yet counted.
    await makeContact(t.db, t.deps, ann, p1.id, { ...support, startedAt: '2026-08-30T09:00:00Z', durationMinutes: 45 });
    await makeContact(t.db, t.deps, ann, p1.id, { ...support, startedAt: '2026-11-24T09:00:00Z', durationMinutes: 45 });
    // An engagement contact is not in-work support.
    await makeContact(t.db, t.deps, bea, p2.id, { startedAt: '2026-11-10T09:00:00Z', durationMinutes: 30 });
    const c = await capacity.teamCapacity(t.db, north, '2026-11-25');
    expect(c.deliveredFrom).toBe('2026-08-31');
    expect(c.deliveredTo).toBe('2026-11-22');
    expect(c.forecast.coaches.map((x) => [x.name, x.deliveredMinutes12Weeks])).toEqual([
      ['Ann Coach', 150],
      ['Bea Coach', 0],
    ]);
  });

  it('lists team members with no hours and nothing committed apart from the coaches', async () => {
    await makeUser(t.db, t.deps, { role: 'manager', teamId: north, name: 'Meg Manager' });
    await capacity.setContractedHours(t.db, t.deps, SYSTEM_CONTEXT, v(admin), ann.id, 37.5);
    const c = await capacity.teamCapacity(t.db, north, '2026-11-25');
    expect(c.forecast.coaches.map((x) => x.name)).toEqual(['Ann Coach']);
    expect(c.others.map((x) => x.name)).toEqual(['Bea Coach', 'Meg Manager']);
    expect(c.forecast.statement).toBe(
      "The team's contracted hours cover the demand for the next 26 weeks, with at least 37.5 h/week to spare.",
    );
  });
});

describe('contracted hours', () => {
  it('lets a manager set their own team’s coach’s hours, audited with the old and new value, and hides other teams’ coaches', async () => {
    const meg = await makeUser(t.db, t.deps, { role: 'manager', teamId: north });
    const saved = await capacity.setContractedHours(t.db, t.deps, SYSTEM_CONTEXT, v(meg), ann.id, 30);
    expect(saved.contractedHoursPerWeek).toBe(30);
    const events = await t.db
      .selectFrom('audit_events')
      .select(['entity_id', 'details'])
      .where('action', '=', 'user.contracted_hours_changed')
      .execute();
    expect(events).toHaveLength(1);
    expect(events[0]?.entity_id).toBe(ann.id);
    expect(JSON.parse(String(events[0]?.details))).toEqual({ from: null, to: 30 });

    const south = (await makeTeam(t.db, t.deps)).id;
    const other = await makeUser(t.db, t.deps, { role: 'manager', teamId: south });
    await expect(capacity.setContractedHours(t.db, t.deps, SYSTEM_CONTEXT, v(other), ann.id, 10)).rejects.toThrow(
      'Coach not found',
    );
    await expect(capacity.coachFor(t.db, v(ann), bea.id)).rejects.toThrow('Coach not found');
    expect((await capacity.coachFor(t.db, v(admin), ann.id)).contractedHoursPerWeek).toBe(30);
  });
});
