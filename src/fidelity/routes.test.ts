import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeParticipant, makeTeam, makeTokenUser, makeUser } from '../../test/factories.ts';
import { type Browser, createTestApp, type ErrorBody, signedInAs, type TestApp } from '../../test/test-app.ts';
import type { Role } from '../users/roles.ts';
import type { User } from '../users/service.ts';

// The test clock stands at 25 November 2026, so a new review reads the last complete quarter:
// 1 July to 30 September 2026.

let t: TestApp;
let north: string;
let south: string;
let browser: Browser;

beforeEach(async () => {
  t = await createTestApp();
  north = (await makeTeam(t.db, t.deps, 'North IPS')).id;
  south = (await makeTeam(t.db, t.deps, 'South IPS')).id;
  ({ browser } = await signedInAs(t, 'manager', north));
});
afterEach(async () => {
  await t.close();
});

const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');

/** A referral accepted on `accepted` (and closed on `closed`), written straight to the table. */
async function acceptedReferral(participantId: string, accepted: string | null, closed: string | null = null) {
  const now = '2026-05-01T09:00:00.000Z';
  await t.db
    .insertInto('referrals')
    .values({
      id: randomUUID(),
      participant_id: participantId,
      source: 'self',
      referrer_name: null,
      referrer_organisation: null,
      referrer_contact: null,
      clinical_team_id: null,
      care_coordinator: null,
      received_date: '2026-05-01',
      accepted_date: accepted,
      first_contact_date: null,
      what_they_want: null,
      notes: null,
      in_work_at_referral: 0,
      status: closed ? 'closed' : 'open',
      closed_date: closed,
      close_reason: closed ? 'their_choice' : null,
      close_note: null,
      created_by_user_id: null,
      created_at: now,
      updated_at: now,
      version: 1,
    })
    .execute();
}

async function practitioner(teamId: string, hours: number | null, active = true): Promise<User> {
  const u = await makeUser(t.db, t.deps, { role: 'practitioner', teamId });
  await t.db
    .updateTable('users')
    .set({ contracted_hours_per_week: hours, active: active ? 1 : 0 })
    .where('id', '=', u.id)
    .execute();
  return u;
}

async function api(token: string, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) {
  return t.app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload } : {}) });
}

interface ReviewBody {
  id: string;
  version: number;
  total: number | null;
  band: string | null;
  scored: number;
  items: { item: number; score: number | null; proposed: { score: number | null; evidence: string | null } | null }[];
}

const PERIOD = { review_date: '2026-11-20', period_from: '2026-07-01', period_to: '2026-09-30' };

describe('proposed scores', () => {
  it('proposes the caseload score worked out by hand when a review is started', async () => {
    // Two active practitioners: 7.5 and 3.75 hours a week, 0.2 + 0.1 = 0.3 full-time equivalent.
    // A third has left (inactive) and does not count.
    const p1 = await practitioner(north, 7.5);
    await practitioner(north, 3.75);
    await practitioner(north, null, false);
    // Eight of the team's people were on the caseload on 30 September: 8 / 0.3 = 26.7, a 3.
    for (let i = 0; i < 8; i++) await acceptedReferral((await makeParticipant(t.db, t.deps, p1)).id, '2026-06-01');
    // Not counted: closed before the end, accepted after it, never accepted, another team's.
    await acceptedReferral((await makeParticipant(t.db, t.deps, p1)).id, '2026-06-01', '2026-09-15');
    await acceptedReferral((await makeParticipant(t.db, t.deps, p1)).id, '2026-10-02');
    await acceptedReferral((await makeParticipant(t.db, t.deps, p1)).id, null);
    const other = await practitioner(south, null);
    await acceptedReferral((await makeParticipant(t.db, t.deps, other)).id, '2026-06-01');

    await browser.get('/fidelity-reviews/new');
    const res = await browser.post('/fidelity-reviews/new', {
      review_date: '20/11/2026',
      period_from: '2026-07-01',
      period_to: '2026-09-30',
      reviewers: 'Sam Patel, Jo Reid',
    });
    expect(res.statusCode).toBe(302);
    const location = String(res.headers.location);
    expect(location).toMatch(/^\/fidelity-reviews\/[0-9a-f-]{36}\?done=created$/);

    const page = text((await browser.get(location)).body);
    expect(page).toContain('Review started');
    expect(page).toContain(
      'Proposed from the records 3 : Average caseload 26.7 per full-time specialist (2 practitioners, 0.3 full-time equivalent, 8 people with an open referral on 30 September 2026)',
    );
    expect(page).toContain('Reviewers’ score Not scored yet');
    expect(page).toContain('0 of 25 scored');

    const { token } = await makeTokenUser(t.db, t.deps, 'commissioner');
    const id = location.split('/')[2]!.split('?')[0]!;
    const body = (await api(token, 'GET', `/api/v1/fidelity-reviews/${id}`)).json<ReviewBody>();
    expect(body.items[0]).toMatchObject({ item: 1, score: null, proposed: { score: 3 } });
    // Items the records cannot inform have no proposal at all.
    expect(body.items[1]!.proposed).toBeNull();
  });

  it('works the proposals out again on request without touching the reviewers’ scores', async () => {
    // One full-time practitioner; the reviewer is the team's manager.
    const p1 = await practitioner(north, null);
    const { token } = await makeTokenUser(t.db, t.deps, 'manager', north);
    const created = (
      await api(token, 'POST', '/api/v1/fidelity-reviews', { ...PERIOD, items: [{ item: 1, score: 2, evidence: 'Our count' }] })
    ).json<ReviewBody>();
    expect(created.items[0]).toMatchObject({ score: 2, proposed: { score: 5 } });
    // 25 people arrive on the caseload: 25 per full-time specialist is a 4.
    for (let i = 0; i < 25; i++) await acceptedReferral((await makeParticipant(t.db, t.deps, p1)).id, '2026-08-01');
    const refreshed = (
      await api(token, 'PATCH', `/api/v1/fidelity-reviews/${created.id}`, { version: created.version, refresh_proposals: true })
    ).json<ReviewBody>();
    expect(refreshed.items[0]).toMatchObject({ score: 2, proposed: { score: 4 } });
  });
});

describe('the review pages', () => {
  it('shows an empty list that says what to do next', async () => {
    const page = text((await browser.get('/fidelity-reviews')).body);
    expect(page).toContain('No fidelity reviews yet');
    expect(page).toContain('Start a fidelity review');
  });

  it('keeps the typed values and shows the error when the period ends before it starts', async () => {
    await browser.get('/fidelity-reviews/new');
    const res = await browser.post('/fidelity-reviews/new', {
      review_date: '2026-11-20',
      period_from: '2026-09-30',
      period_to: '2026-07-01',
      reviewers: 'Sam Patel',
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('There is a problem');
    expect(res.body).toContain('href="#period_to"');
    expect(text(res.body)).toContain('The end of the period must be on or after its start');
    expect(res.body).toContain('value="Sam Patel"');
    expect(await t.db.selectFrom('fidelity_reviews').select('id').execute()).toEqual([]);
  });

  it('scores a section, shows the total and band once all 25 are scored, and keeps values on a bad score', async () => {
    const { token } = await makeTokenUser(t.db, t.deps, 'manager', north);
    const review = (
      await api(token, 'POST', '/api/v1/fidelity-reviews', {
        ...PERIOD,
        items: Array.from({ length: 22 }, (_, i) => ({ item: i + 4, score: 4 })),
      })
    ).json<ReviewBody>();
    const url = `/fidelity-reviews/${review.id}/sections/staffing`;
    await browser.get(url);

    const bad = await browser.post(url, { version: String(review.version), score_1: '7', evidence_1: 'Counted in October' });
    expect(bad.statusCode).toBe(400);
    expect(text(bad.body)).toContain('Select a score from 1 to 5 for item 1');
    expect(bad.body).toContain('Counted in October');

    const ok = await browser.post(url, {
      version: String(review.version),
      score_1: '5',
      score_2: '4',
      score_3: '3',
      evidence_1: 'Counted in October',
    });
    expect(ok.statusCode).toBe(302);
    const page = text((await browser.get(`/fidelity-reviews/${review.id}`)).body);
    expect(page).toContain('Total 100 of 125 : Good fidelity');
    expect(page).toContain('Reviewers’ score 5 Evidence Counted in October');
    expect(page).toContain('Check them against the UK IPS-25 form before relying on them');

    const audit = await t.db.selectFrom('audit_events').select('action').where('entity_id', '=', review.id).execute();
    expect(audit.map((a) => a.action)).toEqual(['fidelity_review.created', 'fidelity_review.updated']);
  });

  it('refuses a section form sent with a stale version and shows the saved scores', async () => {
    const { token } = await makeTokenUser(t.db, t.deps, 'manager', north);
    const review = (await api(token, 'POST', '/api/v1/fidelity-reviews', PERIOD)).json<ReviewBody>();
    await api(token, 'PATCH', `/api/v1/fidelity-reviews/${review.id}`, {
      version: review.version,
      items: [{ item: 1, score: 2 }],
    });
    const url = `/fidelity-reviews/${review.id}/sections/staffing`;
    await browser.get(url);
    const res = await browser.post(url, { version: String(review.version), score_1: '5' });
    expect(res.statusCode).toBe(409);
    expect(text(res.body)).toContain('Someone else changed this record after you opened it');
    expect(res.body).toMatch(/value="2" checked/);
  });

  it('starts with last quarter as the period, and changes the details of a review', async () => {
    const form = await browser.get('/fidelity-reviews/new');
    expect(form.body).toContain('value="2026-07-01"');
    expect(form.body).toContain('value="2026-09-30"');
    const { token } = await makeTokenUser(t.db, t.deps, 'manager', north);
    const review = (await api(token, 'POST', '/api/v1/fidelity-reviews', PERIOD)).json<ReviewBody>();
    const edit = await browser.get(`/fidelity-reviews/${review.id}/edit`);
    expect(edit.body).toContain('value="2026-11-20"');
    const res = await browser.post(`/fidelity-reviews/${review.id}/edit`, {
      version: String(review.version),
      review_date: '2026-11-21',
      period_from: '2026-04-01',
      period_to: '2026-09-30',
      reviewers: 'Sam Patel',
      notes: '',
    });
    expect(res.statusCode).toBe(302);
    const page = text((await browser.get(`/fidelity-reviews/${review.id}`)).body);
    expect(page).toContain('Period reviewed 1 April 2026 to 30 September 2026');
    expect(page).toContain('Reviewers Sam Patel');
    const refreshed = await browser.post(`/fidelity-reviews/${review.id}/proposals`, { version: String(review.version + 1) });
    expect(refreshed.headers.location).toBe(`/fidelity-reviews/${review.id}?done=refreshed`);
  });

  it('keeps an action plan: add, mark done, and delete after confirming', async () => {
    const { token } = await makeTokenUser(t.db, t.deps, 'manager', north);
    const review = (await api(token, 'POST', '/api/v1/fidelity-reviews', PERIOD)).json<ReviewBody>();
    const base = `/fidelity-reviews/${review.id}`;
    await browser.get(`${base}/actions/new`);
    const empty = await browser.post(`${base}/actions/new`, { action: '', owner: 'Jo Reid', item: '17' });
    expect(empty.statusCode).toBe(400);
    expect(text(empty.body)).toContain('Enter what will be done');
    expect(empty.body).toContain('value="Jo Reid"');
    expect(empty.body).toMatch(/<option value="17" selected/);

    const added = await browser.post(`${base}/actions/new`, {
      action: 'Each specialist books two employer visits a week',
      owner: 'Jo Reid',
      item: '17',
      due_date: '31/01/2027',
    });
    expect(added.statusCode).toBe(302);
    let page = text((await browser.get(base)).body);
    expect(page).toContain('Each specialist books two employer visits a week');
    expect(page).toContain(
      'Item: 17. Job development: frequent employer contact. Owner: Jo Reid. Due: 31 January 2027. Not done yet.',
    );

    const [action] = await t.db.selectFrom('fidelity_actions').select('id').execute();
    expect((await browser.post(`${base}/actions/${action!.id}/done`)).statusCode).toBe(302);
    page = text((await browser.get(base)).body);
    expect(page).toContain('Done on 25 November 2026');

    const confirm = await browser.get(`${base}/actions/${action!.id}/delete`);
    expect(text(confirm.body)).toContain('Delete this action?');
    expect((await browser.post(`${base}/actions/${action!.id}/delete`)).statusCode).toBe(302);
    expect(text((await browser.get(base)).body)).toContain('No actions yet');
  });
});

describe('comparing reviews', () => {
  it('shows an item going up from one review to the next', async () => {
    const { token } = await makeTokenUser(t.db, t.deps, 'manager', north);
    await api(token, 'POST', '/api/v1/fidelity-reviews', {
      ...PERIOD,
      review_date: '2026-03-10',
      items: [
        { item: 17, score: 2 },
        { item: 24, score: 4 },
      ],
    });
    await api(token, 'POST', '/api/v1/fidelity-reviews', {
      ...PERIOD,
      items: [
        { item: 17, score: 4 },
        { item: 24, score: 3 },
      ],
    });

    const list = text((await browser.get('/fidelity-reviews')).body);
    expect(list.indexOf('20 November 2026')).toBeLessThan(list.indexOf('10 March 2026'));
    const page = text((await browser.get(`/fidelity-reviews/compare?team=${north}`)).body);
    expect(page).toContain('North IPS: 2 reviews, oldest first');
    expect(page).toContain('17. Job development: frequent employer contact 10 March 2026 2 20 November 2026 4 Change Up 2');
    expect(page).toContain('24. Community-based services 10 March 2026 4 20 November 2026 3 Change Down 1');
    expect(page).toContain('1. Caseload size 10 March 2026 – 20 November 2026 – Change Not scored in both');
  });
});

describe('the API', () => {
  it('derives the total and band once all 25 are scored, and refuses a stale PATCH with 409', async () => {
    const { token } = await makeTokenUser(t.db, t.deps, 'practitioner', north);
    const created = await api(token, 'POST', '/api/v1/fidelity-reviews', PERIOD);
    expect(created.statusCode).toBe(201);
    const review = created.json<ReviewBody>();
    expect(review).toMatchObject({ total: null, band: null, scored: 0, version: 1 });

    const all = Array.from({ length: 25 }, (_, i) => ({ item: i + 1, score: 3, evidence: 'Seen in the records' }));
    const scored = await api(token, 'PATCH', `/api/v1/fidelity-reviews/${review.id}`, { version: 1, items: all });
    expect(scored.statusCode).toBe(200);
    expect(scored.json<ReviewBody>()).toMatchObject({ total: 75, band: 'fair', scored: 25, version: 2 });

    const stale = await api(token, 'PATCH', `/api/v1/fidelity-reviews/${review.id}`, {
      version: 1,
      items: [{ item: 1, score: 5 }],
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json<ErrorBody>().error.code).toBe('conflict');
    const after = (await api(token, 'GET', `/api/v1/fidelity-reviews/${review.id}`)).json<ReviewBody>();
    expect(after.items[0]!.score).toBe(3);
    expect(after.version).toBe(2);
  });

  it('rejects a score outside 1 to 5 naming the field', async () => {
    const { token } = await makeTokenUser(t.db, t.deps, 'manager', north);
    const res = await api(token, 'POST', '/api/v1/fidelity-reviews', { ...PERIOD, items: [{ item: 3, score: 6 }] });
    expect(res.statusCode).toBe(400);
    expect(res.json<ErrorBody>().error.fields).toEqual({ 'items.0.score': 'score must be a whole number from 1 to 5, or null' });
  });

  it('lists newest first with a cursor', async () => {
    const { token } = await makeTokenUser(t.db, t.deps, 'manager', north);
    for (const d of ['2026-01-10', '2026-05-10', '2026-09-10']) {
      await api(token, 'POST', '/api/v1/fidelity-reviews', { ...PERIOD, review_date: d });
    }
    const first = (await api(token, 'GET', '/api/v1/fidelity-reviews?limit=2')).json<{
      items: { review_date: string }[];
      next_cursor: string;
    }>();
    expect(first.items.map((r) => r.review_date)).toEqual(['2026-09-10', '2026-05-10']);
    const second = (await api(token, 'GET', `/api/v1/fidelity-reviews?limit=2&cursor=${first.next_cursor}`)).json<{
      items: { review_date: string }[];
      next_cursor: string | null;
    }>();
    expect(second).toEqual({ items: [expect.objectContaining({ review_date: '2026-01-10' })], next_cursor: null });
  });
});

describe('who may see and change a review', () => {
  it('answers each role as the access decision says', async () => {
    const { token } = await makeTokenUser(t.db, t.deps, 'manager', north);
    const review = (await api(token, 'POST', '/api/v1/fidelity-reviews', PERIOD)).json<ReviewBody>();
    const cases: [Role, string | null, number, number, number][] = [
      // role, team, read, create, change
      ['manager', north, 200, 201, 200],
      ['practitioner', north, 200, 201, 200],
      ['manager', south, 404, 201, 404],
      ['practitioner', south, 404, 201, 404],
      ['commissioner', null, 200, 403, 403],
      ['admin', null, 200, 403, 403],
      ['clinician', north, 403, 403, 403],
    ];
    for (const [role, team, read, create, change] of cases) {
      const who = await makeTokenUser(t.db, t.deps, role, team);
      const label = `${role} of ${team === north ? 'north' : team === south ? 'south' : 'no team'}`;
      expect((await api(who.token, 'GET', `/api/v1/fidelity-reviews/${review.id}`)).statusCode, label).toBe(read);
      expect((await api(who.token, 'POST', '/api/v1/fidelity-reviews', PERIOD)).statusCode, label).toBe(create);
      const { version } = (await api(token, 'GET', `/api/v1/fidelity-reviews/${review.id}`)).json<ReviewBody>();
      const patch = await api(who.token, 'PATCH', `/api/v1/fidelity-reviews/${review.id}`, { version, notes: `By ${label}` });
      expect(patch.statusCode, label).toBe(change);
    }
  });

  it('lets a commissioner read every team’s reviews but change nothing', async () => {
    const { token } = await makeTokenUser(t.db, t.deps, 'manager', south);
    const review = (await api(token, 'POST', '/api/v1/fidelity-reviews', PERIOD)).json<ReviewBody>();
    const { browser: commissioner } = await signedInAs(t, 'commissioner');
    const list = text((await commissioner.get('/fidelity-reviews')).body);
    expect(list).toContain('South IPS');
    expect(list).not.toContain('Start a fidelity review');
    const page = await commissioner.get(`/fidelity-reviews/${review.id}`);
    expect(page.statusCode).toBe(200);
    expect(text(page.body)).not.toContain('Score the staffing items');
    expect(text(page.body)).not.toContain('Add an action');
    // The working from the team's records can count a few people: the team reads it, a commissioner does not.
    const working = review.items.find((i) => i.item === 1)!.proposed!.evidence!;
    expect(working.length).toBeGreaterThan(0);
    expect(page.body).not.toContain(working);
    expect(text(page.body)).toContain('The working is shown to the team only');
    expect((await commissioner.get(`/fidelity-reviews/${review.id}/sections/staffing`)).statusCode).toBe(403);
  });

  it('hides another team’s review from a manager', async () => {
    const { token } = await makeTokenUser(t.db, t.deps, 'manager', south);
    const review = (await api(token, 'POST', '/api/v1/fidelity-reviews', PERIOD)).json<ReviewBody>();
    expect((await browser.get(`/fidelity-reviews/${review.id}`)).statusCode).toBe(404);
    expect(text((await browser.get('/fidelity-reviews')).body)).not.toContain('South IPS');
  });

  it('tells a practitioner without a team that there is no team to review', async () => {
    const { browser: loner } = await signedInAs(t, 'practitioner');
    expect(text((await loner.get('/fidelity-reviews/new')).body)).toContain('you are not in a team yet');
    const res = await loner.post('/fidelity-reviews/new', PERIOD);
    expect(res.statusCode).toBe(422);
  });
});
