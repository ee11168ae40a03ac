import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEmployer, makeParticipant, makeReferral, makeTeam, makeTokenUser, makeUser } from '../../test/factories.ts';
import { createTestApp, type ErrorBody, type TestApp } from '../../test/test-app.ts';
import { SYSTEM_CONTEXT } from '../audit/service.ts';
import * as placements from '../placements/service.ts';
import type { User } from '../users/service.ts';

// The test clock stands at 2026-11-25 10:00 UTC: the default period is 2026/27 Q2.

const Q2 = 'from=2026-07-01&to=2026-09-30';

interface Report {
  period: { from: string; to: string; label: string };
  as_of: string;
  split: string;
  scope: string;
  threshold: number;
  suppressed: boolean;
  definitions: Record<string, string>;
  total: { group: { key: string; label: string }; figures: Record<string, unknown> };
  groups: { group: { key: string; label: string }; figures: Record<string, unknown> }[];
}

let t: TestApp;
let west: string;
let east: string;
let wes: User;
let westToken: string;
let commissionerToken: string;

const get = (url: string, token: string) => t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });

/** A person with a referral accepted on 1 July 2026 and a 16-hour job from 15 July. */
async function intoWork(by: User, hours = 16) {
  const p = await makeParticipant(t.db, t.deps, by);
  await makeReferral(t.db, t.deps, by, p.id, { receivedDate: '2026-07-01' });
  const employer = await makeEmployer(t.db, t.deps, by);
  await placements.createPlacement(t.db, t.deps, SYSTEM_CONTEXT, {
    participantId: p.id,
    employerId: employer.id,
    title: 'Porter',
    startDate: '2026-07-15',
    hoursPerWeek: hours,
    hourlyPayPence: 1305,
  });
  return p;
}

beforeAll(async () => {
  t = await createTestApp();
  west = (await makeTeam(t.db, t.deps, 'West IPS')).id;
  east = (await makeTeam(t.db, t.deps, 'East IPS')).id;
  ({ user: wes, token: westToken } = await makeTokenUser(t.db, t.deps, 'practitioner', west));
  ({ token: commissionerToken } = await makeTokenUser(t.db, t.deps, 'commissioner'));
  for (let i = 0; i < 3; i++) await intoWork(wes);
});
afterAll(async () => {
  await t.close();
});

describe('GET /api/v1/reports/outcomes', () => {
  it('gives a commissioner "<5" for 3 job starts, with no people anywhere', async () => {
    const res = await get('/api/v1/reports/outcomes', commissionerToken);
    expect(res.statusCode).toBe(200);
    const body = res.json<Report>();
    expect(body.period).toEqual({ from: '2026-07-01', to: '2026-09-30', label: '2026/27 Q2 (July to September 2026)' });
    expect(body).toMatchObject({
      as_of: '2026-11-25',
      split: 'none',
      scope: 'The whole service',
      threshold: 5,
      suppressed: true,
    });
    expect(body.total.figures.job_starts).toBe('<5');
    expect(body.total.figures.employment_rate).toEqual({ numerator: '<5', denominator: '<5', percent: null, hidden: true });
    expect(body.total.figures.median_hourly_pay_pence).toBeNull();
    expect(body.definitions.job_starts).toContain('four hours of paid work');
    expect(res.body).not.toContain('"people"');
    expect(res.body).not.toContain(wes.id);
  });

  it('hides the second team’s figure too when only one team is small', async () => {
    const eas = await makeUser(t.db, t.deps, { role: 'practitioner', teamId: east });
    for (let i = 0; i < 6; i++) await intoWork(eas, 30);
    const body = (await get(`/api/v1/reports/outcomes?${Q2}&split=team`, commissionerToken)).json<Report>();
    expect(body.total.figures.job_starts).toBe(9);
    const byTeam = Object.fromEntries(body.groups.map((g) => [g.group.label, g.figures.job_starts]));
    expect(byTeam).toEqual({ 'East IPS': '<5', 'West IPS': '<5' });
    const hours = body.total.figures.hours_per_week as {
      count: unknown;
      median: unknown;
      buckets: { label: string; count: unknown }[];
    };
    expect(hours.count).toBe(9);
    expect(hours.median).toBe(30);
    // 3 jobs of 16 hours are a small band; the 6 of 30 hours would give them away.
    expect(hours.buckets.map((b) => b.count)).toEqual([0, '<5', '<5']);
  });

  it('gives a practitioner their team’s exact figures, money in pence', async () => {
    const res = await get(`/api/v1/reports/outcomes?${Q2}`, westToken);
    expect(res.statusCode).toBe(200);
    const body = res.json<Report>();
    expect(body).toMatchObject({ scope: 'Your team', suppressed: false });
    expect(body.total.figures.job_starts).toBe(3);
    expect(body.total.figures.people_into_work).toBe(3);
    expect(body.total.figures.employment_rate).toEqual({ numerator: 3, denominator: 3, percent: 100, hidden: false });
    expect(body.total.figures.median_hourly_pay_pence).toBe(1305);
    expect(res.body).not.toContain('"people"');
  });

  it('marks the people figures as not split by employer type', async () => {
    const body = (await get(`/api/v1/reports/outcomes?${Q2}&split=employer_type`, westToken)).json<Report>();
    expect(body.groups).toHaveLength(1);
    expect(body.groups[0]!.figures.referrals_accepted).toBeNull();
    expect(body.groups[0]!.figures.job_starts).toBe(3);
  });

  it('answers 400 naming the field for a date that is not real', async () => {
    const res = await get('/api/v1/reports/outcomes?from=2026-02-31&to=2026-03-31', westToken);
    expect(res.statusCode).toBe(400);
    expect(res.json<ErrorBody>().error).toMatchObject({
      code: 'validation_failed',
      fields: { from: expect.any(String) as string },
    });
    const split = await get(`/api/v1/reports/outcomes?${Q2}&split=colour`, westToken);
    expect(split.json<ErrorBody>().error.fields).toHaveProperty('split');
  });

  it('refuses a clinician', async () => {
    const { token } = await makeTokenUser(t.db, t.deps, 'clinician', west);
    const res = await get('/api/v1/reports/outcomes', token);
    expect(res.statusCode).toBe(403);
    expect(res.json<ErrorBody>().error.code).toBe('forbidden');
  });

  it('audits the read with the period and split only', async () => {
    await get(`/api/v1/reports/outcomes?${Q2}&split=programme`, westToken);
    const rows = await t.db
      .selectFrom('audit_events')
      .select(['details'])
      .where('action', '=', 'report.outcomes_viewed')
      .where('actor_user_id', '=', wes.id)
      .orderBy('seq')
      .execute();
    expect(JSON.parse(rows.at(-1)!.details!)).toEqual({ from: '2026-07-01', to: '2026-09-30', split: 'programme', via: 'api' });
  });
});
