import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  insertEmployerContact,
  makeEmployer,
  makeParticipant,
  makeProfile,
  makeReferral,
  makeTeam,
  makeUser,
  makeJob,
} from '../../test/factories.ts';
import { createTestApp, type TestApp } from '../../test/test-app.ts';
import type { Viewer } from '../participants/rules.ts';
import type { User } from '../users/service.ts';
import type { Period } from './outcomes.ts';
import { type ShownCount, type ShownRate, loadFacts, outcomeReport, present } from './service.ts';

// The test clock stands at 2026-11-25 10:00 UTC. Figures are for 2026/27 Q2 (July to September
// 2026), worked out by hand from the records each test makes.

const Q2: Period = { from: '2026-07-01', to: '2026-09-30' };
const viewerOf = (u: User): Viewer => ({ userId: u.id, role: u.role, teamId: u.teamId });

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

/** A person on `by`'s caseload with a referral accepted on `accepted`. */
async function referred(by: User, accepted: string, inWork = false) {
  const p = await makeParticipant(t.db, t.deps, by);
  await makeReferral(t.db, t.deps, by, p.id, { receivedDate: accepted, inWorkAtReferral: inWork });
  return p;
}

/** A job started through the placements service, ended when `end` is given. */
async function job(by: User, participantId: string, start: string, hours: number, end?: string) {
  return makeJob(t.db, t.deps, by, participantId, { startDate: start, hoursPerWeek: hours, ...(end ? { endDate: end } : {}) });
}

describe('outcome figures from real records', () => {
  let pat: User;
  let p1: string;
  let p2: string;
  let p3: string;
  let other: string;

  beforeAll(async () => {
    const team = await makeTeam(t.db, t.deps);
    const otherTeam = await makeTeam(t.db, t.deps);
    pat = await makeUser(t.db, t.deps, { role: 'practitioner', teamId: team.id });
    const olu = await makeUser(t.db, t.deps, { role: 'practitioner', teamId: otherTeam.id });
    // P1: out of work; a job of 3 hours a week that ended after 7 days is 3 paid hours, not a job start.
    p1 = (await referred(pat, '2026-07-06')).id;
    await job(pat, p1, '2026-07-10', 3, '2026-07-16');
    // P2: referred while in work (job retention): a job start, but out of the employment rate.
    p2 = (await referred(pat, '2026-07-06', true)).id;
    await job(pat, p2, '2026-07-20', 20);
    // P3: out of work; two jobs are two job starts but one person into work.
    p3 = (await referred(pat, '2026-07-01')).id;
    await job(pat, p3, '2026-07-15', 16);
    await job(pat, p3, '2026-08-01', 10);
    // Another team's person never reaches this team's figures.
    other = (await referred(olu, '2026-07-10')).id;
    await job(olu, other, '2026-07-20', 30);
  });

  it('loads only the team’s people for a practitioner, and everyone for a commissioner', async () => {
    const mine = (await loadFacts(t.db, viewerOf(pat))).map((x) => x.id);
    expect(mine.sort()).toEqual([p1, p2, p3].sort());
    const commissioner = await makeUser(t.db, t.deps, { role: 'commissioner' });
    const all = (await loadFacts(t.db, viewerOf(commissioner))).map((x) => x.id);
    expect(all).toEqual(expect.arrayContaining([p1, p2, p3, other]));
  });

  it('applies the four-hour rule, leaves in-work referrals out of the employment rate and counts a second job once per person', async () => {
    const r = await outcomeReport(t.db, { clock: t.clock }, viewerOf(pat), Q2, 'none');
    const f = r.total.figures;
    expect(r.scope).toBe('Your team');
    expect(f.referrals_accepted.value).toBe(3);
    expect(f.job_starts.value).toBe(3);
    expect(f.job_starts.people.sort()).toEqual([p2, p3].sort());
    expect(f.people_into_work.value).toBe(2);
    expect(f.employment_rate.numerator.people).toEqual([p3]);
    expect(f.employment_rate.denominator.people.sort()).toEqual([p1, p3].sort());
    expect(f.employment_rate.percent).toBe(50);
    expect(f.job_retention_share.numerator.people).toEqual([p2]);
  });

  it('shows a practitioner exact figures with the people behind them', async () => {
    const shown = present(await outcomeReport(t.db, { clock: t.clock }, viewerOf(pat), Q2, 'none'));
    const starts = shown.total.figures.job_starts as ShownCount;
    expect(starts.value).toBe(3);
    expect(starts.people?.sort()).toEqual([p2, p3].sort());
    const rate = shown.total.figures.employment_rate as ShownRate;
    expect(rate).toMatchObject({ numerator: { value: 1 }, denominator: { value: 2 }, percent: 50, hidden: false });
  });

  it('hides small numbers and the people from a commissioner', async () => {
    const commissioner = await makeUser(t.db, t.deps, { role: 'commissioner' });
    const shown = present(await outcomeReport(t.db, { clock: t.clock }, viewerOf(commissioner), Q2, 'none'));
    expect(shown.scope).toBe('The whole service');
    const people = shown.total.figures.people_into_work as ShownCount;
    expect(people).toEqual({ value: '<5', hidden: 'small', people: null });
    const rate = shown.total.figures.employment_rate as ShownRate;
    expect(rate.hidden).toBe(true);
    expect(rate.percent).toBeNull();
  });

  it('leaves the people figures out of each employer type when split by employer type', async () => {
    const shown = present(await outcomeReport(t.db, { clock: t.clock }, viewerOf(pat), Q2, 'employer_type'));
    expect(shown.groups.map((g) => g.label)).toEqual(['Other employer']);
    const external = shown.groups[0]!;
    expect(external.figures.referrals_accepted).toBeNull();
    expect((external.figures.job_starts as ShownCount).value).toBe(3);
  });
});

describe('engagement and rapid job search', () => {
  it('counts the profile start as engagement and the first face-to-face employer contact after the referral', async () => {
    const team = await makeTeam(t.db, t.deps);
    const pat = await makeUser(t.db, t.deps, { role: 'practitioner', teamId: team.id });
    const p = await referred(pat, '2026-07-06');
    await makeProfile(t.db, t.deps, pat, p.id, { aspirations: 'Work in a kitchen' });
    const employer = await makeEmployer(t.db, t.deps, pat);
    // Before the referral: not counted. Twelve days after: counted.
    await insertEmployerContact(t.db, t.deps, employer.id, pat.id, '2026-07-01T10:00:00Z', { participant_id: p.id });
    await insertEmployerContact(t.db, t.deps, employer.id, pat.id, '2026-07-18T10:00:00Z', { participant_id: p.id });
    const f = (await outcomeReport(t.db, { clock: t.clock }, viewerOf(pat), { from: '2026-07-01', to: '2026-12-31' }, 'none'))
      .total.figures;
    // The profile was saved on the test clock's day, 25 November 2026.
    expect(f.people_engaged.people).toEqual([p.id]);
    expect(f.days_to_first_employer_contact.median).toBe(12);
    expect(f.days_to_first_employer_contact.buckets[1]!.people).toEqual([p.id]);
    expect(f.days_to_first_contact.notYet.people).toEqual([p.id]);
  });
});
