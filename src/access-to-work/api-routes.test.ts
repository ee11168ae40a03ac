import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type ErrorBody, type TestApp } from '../../test/test-app.ts';
import { makeParticipant, makeTeam, makeTokenUser } from '../../test/factories.ts';
import type { Participant } from '../participants/service.ts';

// The test clock stands at 2026-11-25 10:00 UTC, so the default claim period is October 2026.

let t: TestApp;
let north: string;
let token: string;
let person: Participant;

beforeEach(async () => {
  t = await createTestApp();
  north = (await makeTeam(t.db, t.deps, 'North IPS')).id;
  const made = await makeTokenUser(t.db, t.deps, 'practitioner', north);
  token = made.token;
  person = await makeParticipant(t.db, t.deps, made.user);
});
afterEach(async () => {
  await t.close();
});

const headers = (tok: string = token, extra: Record<string, string> = {}) => ({
  authorization: `Bearer ${tok}`,
  'content-type': 'application/json',
  ...extra,
});

type Json = Record<string, unknown>;

async function call(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown, tok?: string) {
  return t.app.inject({ method, url, headers: headers(tok), ...(payload === undefined ? {} : { payload: payload as Json }) });
}

const jobCoachAward = (overrides: Json = {}) => ({
  participant_id: person.id,
  support_kind: 'job_coach',
  reference: 'ATW/0042',
  start_date: '2026-10-01',
  end_date: '2027-09-30',
  hours_per_week: 3,
  hourly_rate_pence: 2850,
  ...overrides,
});

async function createAward(overrides: Json = {}): Promise<Json> {
  const res = await call('POST', '/api/v1/access-to-work/awards', jobCoachAward(overrides));
  expect(res.statusCode).toBe(201);
  return res.json<Json>();
}

/** Logs in-work support over the API (charged by default to the one active job-coach award). */
async function logSupport(startedAt: string, minutes: number, extra: Json = {}): Promise<Json> {
  const res = await call('POST', `/api/v1/participants/${person.id}/contacts`, {
    started_at: startedAt,
    duration_minutes: minutes,
    mode: 'face_to_face',
    place: 'workplace',
    purpose: 'in_work_support',
    notes: 'Went through the rota with their manager',
    ...extra,
  });
  expect(res.statusCode).toBe(201);
  return res.json<Json>();
}

describe('Access to Work awards API', () => {
  it('creates, reads, lists and changes an award, with its figures in hours and pence', async () => {
    const award = await createAward({ hours_per_week: null, hours_total: 60 });
    expect(award).toMatchObject({
      participant_id: person.id,
      support_kind: 'job_coach',
      reference: 'ATW/0042',
      start_date: '2026-10-01',
      end_date: '2027-09-30',
      hours_total: 60,
      hours_per_week: null,
      hourly_rate_pence: 2850,
      awarded_hours: 60,
      delivered_hours: 0,
      claimed_hours: 0,
      claimed_pence: 0,
      left_hours: 60,
      active: true,
      renewal_due: false,
      renewal_alert_from: '2027-07-08',
      renews_award_id: null,
      renewed_by_award_id: null,
      version: 1,
    });

    await logSupport('2026-10-05T09:00:00Z', 90);
    const read = await call('GET', `/api/v1/access-to-work/awards/${award.id as string}`);
    expect(read.statusCode).toBe(200);
    expect(read.json()).toMatchObject({ delivered_hours: 1.5, left_hours: 58.5 });

    const list = await call('GET', `/api/v1/access-to-work/awards?participant_id=${person.id}`);
    expect(list.json<{ items: Json[] }>().items.map((a) => a.id)).toEqual([award.id]);
    const everyone = await call('GET', '/api/v1/access-to-work/awards');
    expect(everyone.json<{ items: Json[] }>().items.map((a) => a.id)).toEqual([award.id]);

    const stale = await call('PATCH', `/api/v1/access-to-work/awards/${award.id as string}`, { version: 7, notes: 'Late' });
    expect(stale.statusCode).toBe(409);

    // A partial change keeps the rest; hours a week replaces hours in total.
    const changed = await call('PATCH', `/api/v1/access-to-work/awards/${award.id as string}`, {
      version: 1,
      hours_per_week: 2,
      notes: 'Letter of 3 October',
    });
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toMatchObject({
      hours_per_week: 2,
      hours_total: null,
      hourly_rate_pence: 2850,
      reference: 'ATW/0042',
      notes: 'Letter of 3 October',
      version: 2,
    });
  });

  it('links a renewal to the award it renews, and the old award stops asking for one', async () => {
    // Ends 84 days after today: the renewal alert shows from today.
    const old = await createAward({ start_date: '2026-01-01', end_date: '2027-02-17' });
    expect(old).toMatchObject({ renewal_alert_from: '2026-11-25', renewal_due: true });
    const renewal = await createAward({
      start_date: '2027-02-18',
      end_date: '2028-02-17',
      hourly_rate_pence: 2990,
      renews_award_id: old.id,
    });
    expect(renewal.renews_award_id).toBe(old.id);
    const again = await call('GET', `/api/v1/access-to-work/awards/${old.id as string}`);
    expect(again.json()).toMatchObject({ renewed_by_award_id: renewal.id, renewal_due: false });
  });

  it('refuses an award of more than three years on end_date, and names money fields in pence', async () => {
    const long = await call('POST', '/api/v1/access-to-work/awards', jobCoachAward({ end_date: '2029-10-01' }));
    expect(long.statusCode).toBe(400);
    expect(long.json<ErrorBody>().error.fields?.end_date).toContain('An award lasts at most 3 years');

    const free = await call('POST', '/api/v1/access-to-work/awards', jobCoachAward({ hourly_rate_pence: 0 }));
    expect(free.statusCode).toBe(400);
    expect(free.json<ErrorBody>().error.fields).toEqual({ hourly_rate_pence: 'Hourly rate must be more than £0' });

    const backwards = await call('POST', '/api/v1/access-to-work/awards', jobCoachAward({ end_date: '2026-09-01' }));
    expect(backwards.json<ErrorBody>().error.fields?.end_date).toBe('End date must be after the start date');
    expect(await t.db.selectFrom('atw_awards').select('id').execute()).toEqual([]);
  });

  it('pages the list with a cursor', async () => {
    const first = await createAward({ start_date: '2026-10-01', end_date: '2027-09-30' });
    const second = await createAward({
      support_kind: 'travel',
      start_date: '2026-06-01',
      end_date: '2027-05-31',
      total_amount_pence: 120000,
    });
    const page1 = (await call('GET', '/api/v1/access-to-work/awards?limit=1')).json<{ items: Json[]; next_cursor: string }>();
    expect(page1.items.map((a) => a.id)).toEqual([first.id]);
    const page2 = (await call('GET', `/api/v1/access-to-work/awards?limit=1&cursor=${page1.next_cursor}`)).json<{
      items: Json[];
      next_cursor: string | null;
    }>();
    expect(page2).toEqual({ items: [expect.objectContaining({ id: second.id, total_amount_pence: 120000 })], next_cursor: null });
  });

  it('answers 404 to another team and 403 to clinicians and commissioners', async () => {
    const award = await createAward();
    const other = await makeTokenUser(t.db, t.deps, 'practitioner', (await makeTeam(t.db, t.deps)).id);
    const url = `/api/v1/access-to-work/awards/${award.id as string}`;
    expect((await call('GET', url, undefined, other.token)).statusCode).toBe(404);
    expect((await call('PATCH', url, { version: 1, notes: 'x' }, other.token)).statusCode).toBe(404);
    expect(
      (await call('GET', `/api/v1/access-to-work/awards?participant_id=${person.id}`, undefined, other.token)).statusCode,
    ).toBe(404);
    expect((await call('GET', '/api/v1/access-to-work/awards', undefined, other.token)).json()).toEqual({
      items: [],
      next_cursor: null,
    });
    expect((await call('POST', '/api/v1/access-to-work/awards', jobCoachAward(), other.token)).statusCode).toBe(404);

    for (const role of ['clinician', 'commissioner'] as const) {
      const { token: tok } = await makeTokenUser(t.db, t.deps, role, north);
      expect((await call('GET', url, undefined, tok)).statusCode).toBe(403);
      expect((await call('GET', '/api/v1/access-to-work/awards', undefined, tok)).statusCode).toBe(403);
      expect((await call('POST', '/api/v1/access-to-work/claims', { award_id: award.id }, tok)).statusCode).toBe(403);
    }
    expect((await call('GET', '/api/v1/access-to-work/awards/not-a-uuid')).json<ErrorBody>().error.fields).toHaveProperty('id');
  });

  it('returns the first answer to a repeated Idempotency-Key and creates one award', async () => {
    const send = () =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/access-to-work/awards',
        headers: headers(token, { 'idempotency-key': 'award-create-0001' }),
        payload: jobCoachAward(),
      });
    const a = await send();
    const b = await send();
    expect(b.statusCode).toBe(201);
    expect(b.json<Json>().id).toBe(a.json<Json>().id);
    expect(await t.db.selectFrom('atw_awards').select('id').execute()).toHaveLength(1);
  });
});

describe('Access to Work applications API', () => {
  it('records an application, lists it and changes its status', async () => {
    const created = await call('POST', '/api/v1/access-to-work/applications', {
      participant_id: person.id,
      applied_by: 'coach',
      applicant_name: 'Jo Coach',
      status: 'sent',
      sent_date: '2026-11-02',
      hours_per_week: 3,
    });
    expect(created.statusCode).toBe(201);
    const app = created.json<Json>();
    expect(app).toMatchObject({ status: 'sent', support_kind: 'job_coach', applied_by: 'coach', version: 1 });

    const list = await call('GET', `/api/v1/access-to-work/applications?participant_id=${person.id}`);
    expect(list.json<{ items: Json[] }>().items.map((a) => a.id)).toEqual([app.id]);
    expect((await call('GET', '/api/v1/access-to-work/applications')).json<ErrorBody>().error.fields).toHaveProperty(
      'participant_id',
    );

    const undecided = await call('PATCH', `/api/v1/access-to-work/applications/${app.id as string}`, {
      version: 1,
      status: 'awarded',
    });
    expect(undecided.statusCode).toBe(400);
    expect(undecided.json<ErrorBody>().error.fields?.decision_date).toBe('Enter the date of the decision');

    const awarded = await call('PATCH', `/api/v1/access-to-work/applications/${app.id as string}`, {
      version: 1,
      status: 'awarded',
      decision_date: '2026-11-20',
    });
    expect(awarded.statusCode).toBe(200);
    expect(awarded.json()).toMatchObject({
      status: 'awarded',
      decision_date: '2026-11-20',
      applicant_name: 'Jo Coach',
      version: 2,
    });
  });
});

describe('Access to Work claims API', () => {
  it('builds, submits and marks paid a monthly claim whose total in pence is the sum of its lines', async () => {
    const award = await createAward();
    await logSupport('2026-10-05T09:00:00Z', 60);
    await logSupport('2026-10-12T13:00:00Z', 45);
    const locked = await logSupport('2026-10-12T15:00:00Z', 20);
    // 23:30 to 00:30 London time: half an hour on each day.
    await logSupport('2026-10-20T22:30:00Z', 60);
    // Not charged: the person said it was not for Access to Work.
    await logSupport('2026-10-22T09:00:00Z', 30, { atw_award_id: null });

    const built = await call('POST', '/api/v1/access-to-work/claims', { award_id: award.id });
    expect(built.statusCode).toBe(201);
    const draft = built.json<Json & { lines: Json[] }>();
    expect(draft).toMatchObject({
      status: 'draft',
      period_start: '2026-10-01',
      period_end: '2026-10-31',
      award_reference: 'ATW/0042',
    });
    // £28.50 an hour: 60 min £28.50; 65 min £30.875 → £30.88; 30 min £14.25 twice.
    expect(draft.lines).toEqual([
      { date: '2026-10-05', hours: 1, minutes: 60, amount_pence: 2850, contacts: 1 },
      { date: '2026-10-12', hours: 1.08, minutes: 65, amount_pence: 3088, contacts: 2 },
      { date: '2026-10-20', hours: 0.5, minutes: 30, amount_pence: 1425, contacts: 1 },
      { date: '2026-10-21', hours: 0.5, minutes: 30, amount_pence: 1425, contacts: 0 },
    ]);
    expect(draft).toMatchObject({ total_minutes: 185, total_hours: 3.08, total_pence: 8788, hourly_rate_pence: 2850 });
    expect(draft.total_pence).toBe(draft.lines.reduce((s, l) => s + (l.amount_pence as number), 0));

    const claimUrl = `/api/v1/access-to-work/claims/${draft.id as string}`;
    expect((await call('PATCH', claimUrl, { version: 5, status: 'submitted' })).statusCode).toBe(409);
    const submitted = await call('PATCH', claimUrl, { version: 1, status: 'submitted' });
    expect(submitted.statusCode).toBe(200);
    expect(submitted.json()).toMatchObject({ status: 'submitted', total_pence: 8788, total_minutes: 185, version: 2 });
    expect(submitted.json<{ lines: Json[] }>().lines).toEqual(draft.lines);

    // A contact in the submitted claim cannot change, and nothing does.
    const contactUrl = `/api/v1/participants/${person.id}/contacts/${locked.id as string}`;
    const edit = await call('PATCH', contactUrl, { version: 1, duration_minutes: 120 });
    expect(edit.statusCode).toBe(422);
    expect(edit.json<ErrorBody>().error.message).toContain(
      'part of an Access to Work claim for 1 October 2026 to 31 October 2026',
    );
    expect((await call('GET', contactUrl)).json()).toMatchObject({ duration_minutes: 20, locked_in_claim: true, version: 1 });
    const remove = await call('DELETE', contactUrl, { version: 1, reason: 'Wrong person' });
    expect(remove.statusCode).toBe(422);
    expect((await call('GET', claimUrl)).json()).toMatchObject({ total_pence: 8788, total_minutes: 185 });

    const early = await call('PATCH', claimUrl, { version: 2, status: 'paid', paid_date: '2026-11-26' });
    expect(early.json<ErrorBody>().error.fields?.paid_date).toBe('Payment date cannot be in the future');
    const paid = await call('PATCH', claimUrl, { version: 2, status: 'paid', paid_date: '2026-11-25' });
    expect(paid.statusCode).toBe(200);
    expect(paid.json()).toMatchObject({ status: 'paid', paid_date: '2026-11-25', paid_pence: 8788, version: 3 });

    const figures = (await call('GET', `/api/v1/access-to-work/awards/${award.id as string}`)).json<Json>();
    expect(figures).toMatchObject({ delivered_hours: 3.08, claimed_hours: 3.08, claimed_pence: 8788 });
    const claims = await call('GET', `/api/v1/access-to-work/claims?award_id=${award.id as string}`);
    expect(claims.json<{ items: Json[] }>().items.map((c) => [c.id, c.status])).toEqual([[draft.id, 'paid']]);
    expect((await call('DELETE', claimUrl, { version: 3 })).statusCode).toBe(422);
  });

  it('deletes a draft with its version, and refuses a period with nothing to claim', async () => {
    const award = await createAward();
    const empty = await call('POST', '/api/v1/access-to-work/claims', {
      award_id: award.id,
      period_start: '2026-11-01',
      period_end: '2026-11-30',
    });
    expect(empty.statusCode).toBe(422);
    expect(empty.json<ErrorBody>().error.message).toContain('There is no unclaimed support');
    const half = await call('POST', '/api/v1/access-to-work/claims', { award_id: award.id, period_start: '2026-11-01' });
    expect(half.json<ErrorBody>().error.fields?.period_end).toBe('Send both period_start and period_end, or neither');

    await logSupport('2026-11-03T10:00:00Z', 30);
    const draft = (
      await call('POST', '/api/v1/access-to-work/claims', {
        award_id: award.id,
        period_start: '2026-11-01',
        period_end: '2026-11-30',
      })
    ).json<Json>();
    const url = `/api/v1/access-to-work/claims/${draft.id as string}`;
    expect((await call('DELETE', url, { version: 2 })).statusCode).toBe(409);
    expect((await call('DELETE', url, { version: 1 })).statusCode).toBe(204);
    expect((await call('GET', url)).statusCode).toBe(404);
  });

  it('hides another team’s claims', async () => {
    const award = await createAward();
    await logSupport('2026-10-05T09:00:00Z', 60);
    const draft = (await call('POST', '/api/v1/access-to-work/claims', { award_id: award.id })).json<Json>();
    const other = await makeTokenUser(t.db, t.deps, 'manager', (await makeTeam(t.db, t.deps)).id);
    const url = `/api/v1/access-to-work/claims/${draft.id as string}`;
    expect((await call('GET', url, undefined, other.token)).statusCode).toBe(404);
    expect((await call('PATCH', url, { version: 1, status: 'submitted' }, other.token)).statusCode).toBe(404);
    expect(
      (await call('GET', `/api/v1/access-to-work/claims?participant_id=${person.id}`, undefined, other.token)).statusCode,
    ).toBe(404);
    expect((await call('POST', '/api/v1/access-to-work/claims', { award_id: award.id }, other.token)).statusCode).toBe(404);
  });
});
