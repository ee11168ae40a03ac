import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/test-app.ts';
import { makeParticipant, makeTeam, makeUser, referFromClinicalTeam } from '../../test/factories.ts';
import { SYSTEM_CONTEXT } from '../audit/service.ts';
import * as contacts from '../contacts/service.ts';
import { NotFoundError, RuleError, ValidationError } from '../errors.ts';
import * as participants from '../participants/service.ts';
import type { User } from '../users/service.ts';
import * as atw from './service.ts';

let t: TestApp;
let coach: User;
let personId: string;
beforeEach(async () => {
  t = await createTestApp({ now: '2026-11-25T10:00:00Z' });
  const team = (await makeTeam(t.db, t.deps, 'Trust job coaching')).id;
  coach = await makeUser(t.db, t.deps, { role: 'practitioner', teamId: team });
  personId = (await makeParticipant(t.db, t.deps, coach)).id;
});
afterEach(async () => {
  await t.close();
});

const v = (u: User) => participants.viewerOf({ userId: u.id, role: u.role, teamId: u.teamId });
const terms = {
  applicationId: null,
  placementId: null,
  coachUserId: null,
  reference: 'ATW-0042',
  notes: null,
  renewsAwardId: null,
  supportKind: 'job_coach' as const,
  startDate: '2026-10-15',
  endDate: '2027-10-14',
  hoursPerWeek: 3,
  hoursTotal: null,
  hourlyRatePence: 1271,
  totalAmountPence: null,
  employerContributionPence: null,
};
const support = (startedAt: string, durationMinutes: number) =>
  contacts.logContact(t.db, t.deps, SYSTEM_CONTEXT, v(coach), personId, {
    startedAt,
    durationMinutes,
    mode: 'face_to_face',
    place: 'workplace',
    purpose: 'in_work_support',
  });

describe('Access to Work claims', () => {
  it('charges in-work support to the one active job-coach award, and only inside its dates', async () => {
    const award = await atw.createAward(t.db, t.deps, SYSTEM_CONTEXT, v(coach), personId, terms);
    expect(award.coachUserId).toBe(coach.id);
    expect((await support('2026-11-02T10:00:00Z', 60)).atwAwardId).toBe(award.id);
    // Before the award started: nothing to charge to.
    expect((await support('2026-10-01T10:00:00Z', 60)).atwAwardId).toBeNull();
    // Other work is not charged unless asked.
    const search = await contacts.logContact(t.db, t.deps, SYSTEM_CONTEXT, v(coach), personId, {
      startedAt: '2026-11-03T10:00:00Z',
      durationMinutes: 30,
      mode: 'phone',
      place: 'remote',
      purpose: 'job_search',
    });
    expect(search.atwAwardId).toBeNull();
    await expect(
      contacts.logContact(t.db, t.deps, SYSTEM_CONTEXT, v(coach), personId, {
        startedAt: '2026-10-01T10:00:00Z',
        durationMinutes: 30,
        mode: 'phone',
        place: 'remote',
        purpose: 'in_work_support',
        atwAwardId: award.id,
      }),
    ).rejects.toSatisfy((e) => e instanceof ValidationError && /outside it/.test(e.fields.atw_award_id ?? ''));
  });

  it('locks the contacts of a submitted claim, whose totals never change afterwards', async () => {
    const award = await atw.createAward(t.db, t.deps, SYSTEM_CONTEXT, v(coach), personId, terms);
    const first = await support('2026-10-20T09:00:00Z', 60);
    await support('2026-10-27T09:00:00Z', 20);
    await support('2026-10-31T23:00:00Z', 120); // runs into 1 November
    const draft = await atw.buildClaim(t.db, t.deps, SYSTEM_CONTEXT, v(coach), personId, award.id, {
      start: '2026-10-01',
      end: '2026-10-31',
    });
    // Clipped to the award: it started on 15 October.
    expect([draft.periodStart, draft.status]).toEqual(['2026-10-15', 'draft']);
    expect(draft.lines.map((l) => [l.day, l.minutes, l.amountPence])).toEqual([
      ['2026-10-20', 60, 1271],
      ['2026-10-27', 20, 424],
      ['2026-10-31', 60, 1271],
      ['2026-11-01', 60, 1271],
    ]);
    expect(draft.totalPence).toBe(4237);

    // A draft follows edits until it is submitted.
    await contacts.editContact(t.db, t.deps, SYSTEM_CONTEXT, v(coach), personId, first.id, first.version, {
      durationMinutes: 90,
    });
    const submitted = await t.db
      .transaction()
      .execute((trx) => atw.submitClaim(trx, t.deps, SYSTEM_CONTEXT, v(coach), personId, draft.id, draft.version));
    expect([submitted.status, submitted.totalMinutes, submitted.totalPence]).toEqual([
      'submitted',
      230,
      1907 + 424 + 1271 + 1271,
    ]);

    const locked = await contacts.getContact(t.db, v(coach), personId, first.id);
    await expect(
      contacts.editContact(t.db, t.deps, SYSTEM_CONTEXT, v(coach), personId, first.id, locked.version, { durationMinutes: 30 }),
    ).rejects.toThrow(
      /part of an Access to Work claim for 15 October 2026 to 31 October 2026 that was submitted on 25 November 2026/,
    );
    await expect(
      contacts.deleteContact(t.db, t.deps, SYSTEM_CONTEXT, v(coach), personId, first.id, locked.version, 'Wrong person'),
    ).rejects.toBeInstanceOf(RuleError);
    expect((await contacts.getContact(t.db, v(coach), personId, first.id)).durationMinutes).toBe(90);

    // A new rate on the award does not touch the submitted claim.
    const current = await atw.getAward(t.db, v(coach), personId, award.id);
    await atw.updateAward(t.db, t.deps, SYSTEM_CONTEXT, v(coach), personId, award.id, current.version, {
      ...terms,
      hourlyRatePence: 2000,
    });
    const again = await atw.viewClaim(t.db, t.deps, SYSTEM_CONTEXT, v(coach), personId, draft.id);
    expect([again.totalPence, again.hourlyRatePence, again.lines.length]).toEqual([submitted.totalPence, 1271, 4]);
  });

  it('flags support logged later in a claimed month, and a second claim takes only that', async () => {
    const award = await atw.createAward(t.db, t.deps, SYSTEM_CONTEXT, v(coach), personId, terms);
    await support('2026-10-20T09:00:00Z', 60);
    const draft = await atw.buildClaim(t.db, t.deps, SYSTEM_CONTEXT, v(coach), personId, award.id, {
      start: '2026-10-01',
      end: '2026-10-31',
    });
    await expect(
      atw.buildClaim(t.db, t.deps, SYSTEM_CONTEXT, v(coach), personId, award.id, { start: '2026-10-01', end: '2026-10-31' }),
    ).rejects.toThrow(/already a draft claim/);
    await t.db
      .transaction()
      .execute((trx) => atw.submitClaim(trx, t.deps, SYSTEM_CONTEXT, v(coach), personId, draft.id, draft.version));
    expect((await atw.alerts(t.db, { teamIds: [coach.teamId!] }, '2026-11-25')).unclaimed).toEqual([]);

    await support('2026-10-29T09:00:00Z', 45);
    const { unclaimed } = await atw.alerts(t.db, { teamIds: [coach.teamId!] }, '2026-11-25');
    expect(unclaimed.map((u) => [u.awardId, u.month.start, u.month.minutes, u.month.pastLimit])).toEqual([
      [award.id, '2026-10-01', 45, false],
    ]);
    const second = await atw.buildClaim(t.db, t.deps, SYSTEM_CONTEXT, v(coach), personId, award.id, {
      start: '2026-10-01',
      end: '2026-10-31',
    });
    expect(second.lines.map((l) => [l.day, l.minutes])).toEqual([['2026-10-29', 45]]);
  });

  it('keeps Access to Work from clinicians, who may see the person otherwise', async () => {
    const clinicalTeam = await makeTeam(t.db, t.deps, 'Community mental health team');
    const clinician = await makeUser(t.db, t.deps, { role: 'clinician', teamId: clinicalTeam.id });
    await referFromClinicalTeam(t.db, personId, clinicalTeam.id);
    await participants.loadVisible(t.db, v(clinician), personId);
    await expect(atw.overview(t.db, t.deps, SYSTEM_CONTEXT, v(clinician), personId)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('refuses an award of more than three years with the reason on the end date', async () => {
    await expect(
      atw.createAward(t.db, t.deps, SYSTEM_CONTEXT, v(coach), personId, {
        ...terms,
        startDate: '2026-01-01',
        endDate: '2029-01-01',
      }),
    ).rejects.toSatisfy((e) => e instanceof ValidationError && /at most 3 years/.test(e.fields.end_date ?? ''));
  });
});
