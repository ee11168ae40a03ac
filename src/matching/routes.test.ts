import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Browser, createTestApp, type ErrorBody, signedInAs, type TestApp } from '../../test/test-app.ts';
import {
  makeEmployer,
  makeParticipant,
  makeProfile,
  makeTeam,
  makeTokenUser,
  makeUser,
  makeVacancy,
} from '../../test/factories.ts';
import type { User } from '../users/service.ts';

// The test clock stands at 2026-11-25 10:00 UTC (10:00 in London).

let t: TestApp;
let north: string;
let pat: User;
let patBrowser: Browser;
let employerId: string;

beforeEach(async () => {
  t = await createTestApp();
  north = (await makeTeam(t.db, t.deps, 'North IPS')).id;
  ({ browser: patBrowser, user: pat } = await signedInAs(t, 'practitioner', north));
  employerId = (await makeEmployer(t.db, t.deps, pat, { name: 'Leeds General Infirmary' })).id;
});
afterEach(async () => {
  await t.close();
});

const api = (token: string) => ({ authorization: `Bearer ${token}` });

/** The text of a page without its markup, so assertions read as what a person sees. */
function visible(html: string): string {
  return html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

async function personWithPreferences(changes: Parameters<typeof makeProfile>[4] = {}) {
  const p = await makeParticipant(t.db, t.deps, pat, { givenName: 'Ann', familyName: 'Okafor' });
  await t.db.updateTable('participants').set({ status: 'job_search' }).where('id', '=', p.id).execute();
  await makeProfile(t.db, t.deps, pat, p.id, { occupations: ['kitchen'], times: ['evenings'], ...changes });
  return p;
}

/** The hidden fields of the first form on a page that posts to `action`, as the browser would send them. */
function hiddenFields(html: string, action: string): Record<string, string> {
  const form = html.split(`method="post" action="${action}"`)[1]!.split('</form>')[0]!;
  return Object.fromEntries(
    [...form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1]!, m[2]!.replace(/&amp;/g, '&')]),
  );
}

function matchIdOf(html: string): string {
  return /\/matches\/([0-9a-f-]{36})\/stage/.exec(html)![1]!;
}

describe('a person’s job matches page', () => {
  it('shows the open vacancies ranked with what fits and what does not, and no closed vacancy', async () => {
    const p = await personWithPreferences();
    await makeVacancy(t.db, t.deps, pat, employerId, { title: 'Evening kitchen porter', times: ['evenings'] });
    await makeVacancy(t.db, t.deps, pat, employerId, { title: 'Kitchen assistant', times: ['mornings', 'afternoons'] });
    await makeVacancy(t.db, t.deps, pat, employerId, { title: 'Old kitchen job', closingDate: '2026-11-01' });
    const res = await patBrowser.get(`/participants/${p.id}/matches`);
    expect(res.statusCode).toBe(200);
    const text = visible(res.body);
    expect(text).toContain('Job matches');
    expect(text).toContain('No vacancies are in their matches yet');
    expect(text).toContain('2 open vacancies');
    expect(text.indexOf('Evening kitchen porter')).toBeLessThan(text.indexOf('Kitchen assistant'));
    expect(text).toContain('Match score: 100 out of 100');
    expect(text).toContain('What fits The kind of work they asked for (kitchen)');
    expect(text).toContain('What does not fit They want evenings only; this is a day job');
    expect(text).not.toContain('Old kitchen job');
    // Linked from their record.
    expect((await patBrowser.get(`/participants/${p.id}`)).body).toContain(`href="/participants/${p.id}/matches"`);
  });

  it('marks “Talk this through” for their practitioner but not for a team colleague', async () => {
    const p = await personWithPreferences({ convictions: 'Theft, 2019' });
    await makeVacancy(t.db, t.deps, pat, employerId, { title: 'Kitchen porter', checkRequired: true });
    const own = visible((await patBrowser.get(`/participants/${p.id}/matches`)).body);
    expect(own).toContain('Talk this through');
    expect(own).toContain('Needs a criminal-record check: talk this through with them');
    const { browser: sam } = await signedInAs(t, 'practitioner', north);
    const colleague = visible((await sam.get(`/participants/${p.id}/matches`)).body);
    expect(colleague).toContain('Needs a criminal-record check (DBS or similar)');
    expect(colleague).not.toMatch(/talk this through/i);
  });

  it('adds a vacancy to their matches, refuses it twice, and moves it from suggested to applied', async () => {
    const p = await personWithPreferences();
    const v = await makeVacancy(t.db, t.deps, pat, employerId, { title: 'Kitchen porter' });
    const page = await patBrowser.get(`/participants/${p.id}/matches`);
    expect(page.body).toContain('Add to their matches');
    // Exactly what the page's form sends, its one-time key included.
    const form = hiddenFields(page.body, `/participants/${p.id}/matches`);
    expect(form).toMatchObject({ vacancy_id: v.id, return_to: `/participants/${p.id}/matches` });
    const added = await patBrowser.post(`/participants/${p.id}/matches`, form);
    expect(added.statusCode).toBe(302);
    // Sent twice (a double tap), it still adds one match.
    expect((await patBrowser.post(`/participants/${p.id}/matches`, form)).headers.location).toBe(added.headers.location);
    expect(added.headers.location).toBe(`/participants/${p.id}/matches?done=added`);
    const after = await patBrowser.get(String(added.headers.location));
    const text = visible(after.body);
    expect(text).toContain('Added to their matches');
    expect(text).toContain('Suggested');
    expect(text).toContain('There are no open vacancies to rank for them');

    const again = await patBrowser.post(`/participants/${p.id}/matches`, { vacancy_id: v.id });
    expect(again.statusCode).toBe(422);
    expect(visible(again.body)).toContain('“Kitchen porter” at Leeds General Infirmary is already in Ann Okafor’s matches');
    expect(await t.db.selectFrom('matches').select('id').execute()).toHaveLength(1);

    const matchId = matchIdOf(after.body);
    const board = await patBrowser.get('/matches');
    const moved = await patBrowser.post(`/participants/${p.id}/matches/${matchId}/stage`, {
      ...hiddenFields(board.body, `/participants/${p.id}/matches/${matchId}/stage`),
      stage: 'applied',
    });
    expect(moved.statusCode).toBe(302);
    expect(moved.headers.location).toBe('/matches?done=moved');
    const row = await t.db.selectFrom('matches').select(['stage', 'version']).executeTakeFirstOrThrow();
    expect(row).toEqual({ stage: 'applied', version: 2 });
  });

  it('explains a refused move and a stale one, with the way back', async () => {
    const p = await personWithPreferences();
    const v = await makeVacancy(t.db, t.deps, pat, employerId);
    await patBrowser.post(`/participants/${p.id}/matches`, { vacancy_id: v.id });
    const matchId = matchIdOf((await patBrowser.get(`/participants/${p.id}/matches`)).body);
    const refused = await patBrowser.post(`/participants/${p.id}/matches/${matchId}/stage`, {
      stage: 'interview',
      version: '1',
      return_to: '/matches',
    });
    expect(refused.statusCode).toBe(422);
    expect(visible(refused.body)).toContain(
      'A match at “Suggested” cannot move to “Interview”. It can move to: “Discussed with them”, “Applied”, “Declined (their choice)”',
    );
    expect(refused.body).toContain('href="/matches"');
    await patBrowser.post(`/participants/${p.id}/matches/${matchId}/stage`, { stage: 'discussed', version: '1' });
    const stale = await patBrowser.post(`/participants/${p.id}/matches/${matchId}/stage`, { stage: 'applied', version: '1' });
    expect(stale.statusCode).toBe(409);
    expect(visible(stale.body)).toContain('It is now at “Discussed with them”');
    // A return address on another site is ignored.
    const offsite = await patBrowser.post(`/participants/${p.id}/matches/${matchId}/stage`, {
      stage: 'applied',
      version: '2',
      return_to: '//example.com/x',
    });
    expect(offsite.headers.location).toBe(`/participants/${p.id}/matches?done=moved`);
  });

  it('asks for the start date when they start, then records the placement and moves them to employed', async () => {
    const p = await personWithPreferences();
    const v = await makeVacancy(t.db, t.deps, pat, employerId, { title: 'Kitchen porter', startDate: '2026-12-07' });
    await patBrowser.post(`/participants/${p.id}/matches`, { vacancy_id: v.id });
    const matchId = matchIdOf((await patBrowser.get(`/participants/${p.id}/matches`)).body);
    const stage = (to: string, version: string, extra: Record<string, string> = {}) =>
      patBrowser.post(`/participants/${p.id}/matches/${matchId}/stage`, { stage: to, version, return_to: '/matches', ...extra });
    await stage('applied', '1');
    await stage('offer', '2');
    const ask = await stage('started', '3');
    expect(ask.statusCode).toBe(303);
    const confirm = await patBrowser.get(String(ask.headers.location));
    expect(confirm.statusCode).toBe(200);
    const text = visible(confirm.body);
    expect(text).toContain('Confirm they have started the job');
    expect(text).toContain('Their status will change from job search to employed');
    expect(confirm.body).toMatch(/name="start_date" type="date" value="2026-12-07"/);
    expect(await t.db.selectFrom('placements').select('id').execute()).toEqual([]);

    const bad = await stage('started', '3', { start_date: '31/02/2026' });
    expect(bad.statusCode).toBe(400);
    expect(visible(bad.body)).toContain('Start date must be a real date');

    const done = await stage('started', '3', { start_date: '07/12/2026' });
    expect(done.statusCode).toBe(302);
    expect(done.headers.location).toBe('/matches?done=employed');
    const placement = await t.db.selectFrom('placements').selectAll().executeTakeFirstOrThrow();
    expect(placement).toMatchObject({
      participant_id: p.id,
      vacancy_id: v.id,
      start_date: '2026-12-07',
      title: 'Kitchen porter',
    });
    const person = await t.db.selectFrom('participants').select('status').where('id', '=', p.id).executeTakeFirstOrThrow();
    expect(person.status).toBe('employed');
    expect(visible((await patBrowser.get('/matches?done=employed')).body)).toContain('their status is now employed');
  });
});

describe('people ranked for a vacancy', () => {
  it('ranks people from the caller’s caseload only, and lets them add one to their matches', async () => {
    const ann = await personWithPreferences();
    const south = (await makeTeam(t.db, t.deps, 'South IPS')).id;
    const other = await makeUser(t.db, t.deps, { role: 'practitioner', teamId: south });
    await makeParticipant(t.db, t.deps, other, { givenName: 'Zed', familyName: 'Elsewhere' });
    const v = await makeVacancy(t.db, t.deps, pat, employerId, { title: 'Evening kitchen porter', times: ['evenings'] });
    const res = await patBrowser.get(`/vacancies/${v.id}/people`);
    expect(res.statusCode).toBe(200);
    const text = visible(res.body);
    expect(text).toContain('People for Evening kitchen porter');
    expect(text).toContain('Ann Okafor');
    expect(text).toContain('Match score: 100 out of 100');
    expect(text).not.toContain('Zed');
    const added = await patBrowser.post(`/participants/${ann.id}/matches`, {
      vacancy_id: v.id,
      return_to: `/vacancies/${v.id}/people`,
    });
    expect(added.headers.location).toBe(`/vacancies/${v.id}/people?done=added`);
    expect(visible((await patBrowser.get(String(added.headers.location))).body)).toContain('In their matches: Suggested');
  });
});

describe('the match board', () => {
  it('shows a section per stage with each card’s person, vacancy, employer and score', async () => {
    const p = await personWithPreferences();
    const v = await makeVacancy(t.db, t.deps, pat, employerId, { title: 'Evening kitchen porter', times: ['evenings'] });
    const empty = visible((await patBrowser.get('/matches')).body);
    expect(empty).toContain('You have no matches yet');
    await patBrowser.post(`/participants/${p.id}/matches`, { vacancy_id: v.id });
    const res = await patBrowser.get('/matches');
    expect(res.statusCode).toBe(200);
    const sections = [...res.body.matchAll(/<section class="stepwise-board__column" aria-labelledby="stage-([a-z]+)">/g)].map(
      (m) => m[1],
    );
    expect(sections).toEqual(['suggested', 'discussed', 'applied', 'interview', 'offer', 'started', 'declined', 'unsuccessful']);
    const suggested = visible(res.body.split('id="stage-suggested"')[1]!.split('<section')[0]!);
    expect(suggested).toContain('Ann Okafor');
    expect(suggested).toContain('Evening kitchen porter');
    expect(suggested).toContain('Leeds General Infirmary');
    expect(suggested).toContain('Match score: 100 out of 100');
    expect(res.body).toMatch(/<option value="applied">Applied<\/option>/);
    expect(res.body).toContain('href="/matches"');
  });

  it('lets a manager choose a practitioner of their team, and no one else', async () => {
    const p = await personWithPreferences();
    const v = await makeVacancy(t.db, t.deps, pat, employerId, { title: 'Porter' });
    await patBrowser.post(`/participants/${p.id}/matches`, { vacancy_id: v.id });
    const { browser: manager } = await signedInAs(t, 'manager', north);
    const board = await manager.get(`/matches?practitioner_id=${pat.id}`);
    expect(board.statusCode).toBe(200);
    expect(visible(board.body)).toContain(`${pat.name}’s match board`);
    expect(visible(board.body)).toContain('Ann Okafor');
    expect(board.body).toContain('Whose board');
    const stranger = await makeUser(t.db, t.deps, { role: 'practitioner', teamId: (await makeTeam(t.db, t.deps)).id });
    expect((await manager.get(`/matches?practitioner_id=${stranger.id}`)).statusCode).toBe(404);
  });
});

describe('matches API', () => {
  it('creates, lists and moves matches in the documented shape', async () => {
    const { token } = await makeTokenUser(t.db, t.deps, 'practitioner', north);
    const p = await personWithPreferences();
    const v = await makeVacancy(t.db, t.deps, pat, employerId, { title: 'Evening kitchen porter', times: ['evenings'] });
    const other = await makeVacancy(t.db, t.deps, pat, employerId, {
      title: 'Kitchen assistant',
      times: ['mornings', 'afternoons'],
    });

    const ranked = await t.app.inject({
      method: 'GET',
      url: `/api/v1/participants/${p.id}/matches?ranked=true`,
      headers: api(token),
    });
    expect(ranked.statusCode).toBe(200);
    const rankedBody = ranked.json<{ items: Record<string, unknown>[]; next_cursor: string | null }>();
    expect(rankedBody.items.map((i) => i.vacancy_id)).toEqual([v.id, other.id]);
    expect(Object.keys(rankedBody.items[0]!).sort()).toEqual(
      [
        'vacancy_id',
        'title',
        'employer_id',
        'employer_name',
        'closing_date',
        'score',
        'talk_through',
        'reasons',
        'pay_competitive',
      ].sort(),
    );
    expect(rankedBody.items[1]).toMatchObject({ score: expect.any(Number) as number, talk_through: false });
    expect(rankedBody.items[1]!.reasons).toContainEqual({ fits: false, text: 'They want evenings only; this is a day job' });

    const created = await t.app.inject({
      method: 'POST',
      url: `/api/v1/participants/${p.id}/matches`,
      headers: api(token),
      payload: { vacancy_id: v.id },
    });
    expect(created.statusCode).toBe(201);
    const match = created.json<Record<string, unknown>>();
    expect(Object.keys(match).sort()).toEqual(
      [
        'id',
        'participant_id',
        'vacancy_id',
        'vacancy_title',
        'employer_id',
        'employer_name',
        'practitioner_id',
        'stage',
        'stage_changed_at',
        'score',
        'talk_through',
        'reasons',
        'pay_competitive',
        'next_stages',
        'placement_id',
        'created_at',
        'updated_at',
        'version',
      ].sort(),
    );
    expect(match).toMatchObject({ vacancy_id: v.id, stage: 'suggested', score: 100, version: 1, placement_id: null });
    expect(
      (match.reasons as unknown[]).every(
        (r) =>
          Object.keys(r as object)
            .sort()
            .join() === 'fits,text',
      ),
    ).toBe(true);

    const twice = await t.app.inject({
      method: 'POST',
      url: `/api/v1/participants/${p.id}/matches`,
      headers: api(token),
      payload: { vacancy_id: v.id },
    });
    expect(twice.statusCode).toBe(422);
    expect(twice.json<ErrorBody>().error.code).toBe('rule_refused');

    const list = await t.app.inject({ method: 'GET', url: `/api/v1/participants/${p.id}/matches`, headers: api(token) });
    expect(list.json()).toEqual({ items: [match], next_cursor: null });

    const patch = (body: object) =>
      t.app.inject({
        method: 'PATCH',
        url: `/api/v1/participants/${p.id}/matches/${String(match.id)}`,
        headers: api(token),
        payload: body,
      });
    const refused = await patch({ version: 1, stage: 'offer' });
    expect(refused.statusCode).toBe(422);
    expect(refused.json<ErrorBody>().error.message).toContain('A match at “Suggested” cannot move to “Offer”');
    expect((await patch({ version: 1, stage: 'applied' })).json()).toMatchObject({ stage: 'applied', version: 2 });
    expect((await patch({ version: 1, stage: 'offer' })).statusCode).toBe(409);
    expect((await patch({ version: 2, stage: 'nowhere' })).statusCode).toBe(400);
    await patch({ version: 2, stage: 'offer' });
    const started = await patch({ version: 3, stage: 'started', start_date: '2026-12-01' });
    expect(started.statusCode).toBe(200);
    const body = started.json<{ placement_id: string; stage: string }>();
    expect(body.stage).toBe('started');
    const placement = await t.db.selectFrom('placements').select(['id', 'start_date']).executeTakeFirstOrThrow();
    expect(placement).toEqual({ id: body.placement_id, start_date: '2026-12-01' });
  });

  it('pages the ranked vacancies with a cursor', async () => {
    const { token } = await makeTokenUser(t.db, t.deps, 'practitioner', north);
    const p = await personWithPreferences();
    for (let i = 0; i < 3; i++) await makeVacancy(t.db, t.deps, pat, employerId, { title: `Kitchen porter ${i}` });
    const first = await t.app.inject({
      method: 'GET',
      url: `/api/v1/participants/${p.id}/matches?ranked=true&limit=2`,
      headers: api(token),
    });
    const body = first.json<{ items: unknown[]; next_cursor: string }>();
    expect(body.items).toHaveLength(2);
    const second = await t.app.inject({
      method: 'GET',
      url: `/api/v1/participants/${p.id}/matches?ranked=true&limit=2&cursor=${body.next_cursor}`,
      headers: api(token),
    });
    expect(second.json()).toMatchObject({ next_cursor: null });
    expect(second.json<{ items: unknown[] }>().items).toHaveLength(1);
  });

  it('refuses clinicians, administrators and commissioners, and hides people outside the caller’s scope', async () => {
    const p = await personWithPreferences();
    for (const role of ['clinician', 'admin', 'commissioner'] as const) {
      const { token } = await makeTokenUser(t.db, t.deps, role, north);
      const res = await t.app.inject({ method: 'GET', url: `/api/v1/participants/${p.id}/matches`, headers: api(token) });
      expect(res.statusCode, role).toBe(403);
      const { browser } = await signedInAs(t, role, north);
      expect((await browser.get(`/participants/${p.id}/matches`)).statusCode, role).toBe(403);
      expect((await browser.get('/matches')).statusCode, role).toBe(403);
    }
    const { token } = await makeTokenUser(t.db, t.deps, 'practitioner', (await makeTeam(t.db, t.deps)).id);
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/participants/${p.id}/matches`, headers: api(token) });
    expect(res.statusCode).toBe(404);
  });
});
