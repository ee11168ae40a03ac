import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTeam, makeTokenUser, makeUser } from '../../test/factories.ts';
import { createTestApp, signedInAs, type TestApp } from '../../test/test-app.ts';
import * as audit from '../audit/service.ts';
import { SYSTEM_CONTEXT } from '../audit/service.ts';
import type { Role } from '../users/roles.ts';
import * as users from '../users/service.ts';
import * as teams from './service.ts';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

const actionsOf = async () => (await audit.listEvents(t.db, {}, 500)).items.map((e) => e.action);

/** The error message shown beside a form field, or undefined when there is none. */
function fieldError(html: string, field: string): string | undefined {
  const m = new RegExp(`id="${field}-error"[^>]*>([\\s\\S]*?)</span>\\s*</?[a-z]`).exec(html);
  return m?.[1]
    ?.replace(/<[^>]+>/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

async function api(method: 'GET' | 'POST' | 'PATCH', url: string, token: string, payload?: unknown) {
  const res = await t.app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${token}` },
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
  });
  return { status: res.statusCode, body: res.json<Record<string, unknown>>() };
}

describe('the teams page', () => {
  it('says there are no teams yet and offers the form to add one', async () => {
    const { browser } = await signedInAs(t, 'admin');
    const res = await browser.get('/admin/teams');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('No teams yet. Add the first team below.');
    expect(res.body).toContain('Add a team');
    expect(res.body).toContain('name="_csrf"');
  });

  it('lists teams by name with their active member counts', async () => {
    const north = await makeTeam(t.db, t.deps, 'North IPS team');
    await makeTeam(t.db, t.deps, 'Bridge internships');
    const { browser } = await signedInAs(t, 'admin', north.id);
    await makeUser(t.db, t.deps, { teamId: north.id });
    const gone = await makeUser(t.db, t.deps, { teamId: north.id });
    await users.updateUser(t.db, t.deps, SYSTEM_CONTEXT, gone.id, gone.version, { active: false });

    const res = await browser.get('/admin/teams');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<div class="stepwise-table-wrap">');
    expect(res.body).not.toContain('No teams yet');
    expect(res.body.indexOf('Bridge internships')).toBeLessThan(res.body.indexOf('North IPS team'));
    const northRow = new RegExp(`href="/admin/teams/${north.id}">North IPS team</a></td>\\s*<td[^>]*>2</td>`);
    expect(res.body).toMatch(northRow);
  });

  it('adds a team, shows it with a confirmation and audits it', async () => {
    const { browser } = await signedInAs(t, 'admin');
    await browser.get('/admin/teams');
    const res = await browser.post('/admin/teams', { name: '  South   East team ' });
    expect(res.statusCode).toBe(302);
    const created = await teams.findTeamByName(t.db, 'south east team');
    expect(created?.name).toBe('South East team');
    expect(res.headers.location).toBe(`/admin/teams?added=${created?.id}`);

    const page = await browser.get(res.headers.location as string);
    expect(page.body).toContain('South East team added');
    expect(page.body).toContain(`href="/admin/teams/${created?.id}"`);
    expect(await actionsOf()).toContain('team.created');
  });

  it('refuses a name already used in any case, with the message next to the field and the name kept', async () => {
    await makeTeam(t.db, t.deps, 'North IPS team');
    const { browser } = await signedInAs(t, 'admin');
    await browser.get('/admin/teams');
    const res = await browser.post('/admin/teams', { name: 'NORTH ips TEAM' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('There is a problem');
    expect(fieldError(res.body, 'name')).toBe('Error: A team with this name already exists');
    expect(res.body).toContain('value="NORTH ips TEAM"');
    expect(res.body).toContain('North IPS team');
    expect((await teams.listTeams(t.db)).map((x) => x.name)).toEqual(['North IPS team']);
  });

  it('adds one team when the form is sent twice', async () => {
    const { browser } = await signedInAs(t, 'admin');
    const page = await browser.get('/admin/teams');
    const key = /name="_idempotency_key" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    expect(key).not.toBe('');
    const first = await browser.post('/admin/teams', { name: 'Coast team', _idempotency_key: key });
    const again = await browser.post('/admin/teams', { name: 'Coast team', _idempotency_key: key });
    expect(again.statusCode).toBe(302);
    expect(again.headers.location).toBe(first.headers.location);
    expect((await teams.listTeams(t.db)).map((x) => x.name)).toEqual(['Coast team']);
  });

  it('asks for a name when none is given', async () => {
    const { browser } = await signedInAs(t, 'admin');
    await browser.get('/admin/teams');
    const res = await browser.post('/admin/teams', { name: '   ' });
    expect(res.statusCode).toBe(400);
    expect(fieldError(res.body, 'name')).toBe('Error: Enter a team name');
  });
});

describe('a team page', () => {
  it('shows the team and its active members with their roles, linked to their accounts', async () => {
    const team = await makeTeam(t.db, t.deps, 'North IPS team');
    const { browser } = await signedInAs(t, 'admin');
    const coach = await makeUser(t.db, t.deps, { name: 'Priya Coach', role: 'practitioner', teamId: team.id });
    const lead = await makeUser(t.db, t.deps, { name: 'Sam Lead', role: 'manager', teamId: team.id });
    const gone = await makeUser(t.db, t.deps, { name: 'Gone Person', teamId: team.id });
    await users.updateUser(t.db, t.deps, SYSTEM_CONTEXT, gone.id, gone.version, { active: false });
    await makeUser(t.db, t.deps, { name: 'Elsewhere Person' });

    const res = await browser.get(`/admin/teams/${team.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<h1>North IPS team</h1>');
    expect(res.body).toContain(`<a href="/admin/users/${coach.id}">Priya Coach</a>`);
    expect(res.body).toContain(`<a href="/admin/users/${lead.id}">Sam Lead</a>`);
    expect(res.body).toContain('Practitioner (employment specialist or job coach)');
    expect(res.body).toContain('Team manager');
    expect(res.body).not.toContain('Gone Person');
    expect(res.body).not.toContain('Elsewhere Person');
    expect(res.body).toContain('name="version" value="1"');
  });

  it('says when a team has no members', async () => {
    const team = await makeTeam(t.db, t.deps);
    const { browser } = await signedInAs(t, 'admin');
    const res = await browser.get(`/admin/teams/${team.id}`);
    expect(res.body).toContain('No one is in this team yet');
  });

  it('renames the team, confirms it and audits the old name', async () => {
    const team = await makeTeam(t.db, t.deps, 'North IPS team');
    const { browser } = await signedInAs(t, 'admin');
    await browser.get(`/admin/teams/${team.id}`);
    const res = await browser.post(`/admin/teams/${team.id}`, { name: 'North and Coast IPS team', version: '1' });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe(`/admin/teams/${team.id}?done=renamed`);
    const page = await browser.get(res.headers.location as string);
    expect(page.body).toContain('<h1>North and Coast IPS team</h1>');
    expect(page.body).toContain('Team name saved');
    expect(page.body).toContain('name="version" value="2"');
    const events = await audit.listEvents(t.db, { action: 'team.renamed' }, 10);
    expect(events.items[0]?.details).toEqual({ from: 'North IPS team' });
  });

  it('shows a conflict when someone else renamed the team first, keeping what was typed', async () => {
    const team = await makeTeam(t.db, t.deps, 'North IPS team');
    const { browser } = await signedInAs(t, 'admin');
    await browser.get(`/admin/teams/${team.id}`);
    await teams.renameTeam(t.db, t.deps, SYSTEM_CONTEXT, team.id, 1, 'Northern team');

    const res = await browser.post(`/admin/teams/${team.id}`, { name: 'My new name', version: '1' });
    expect(res.statusCode).toBe(409);
    expect(fieldError(res.body, 'name')).toBe(
      'Error: Someone else changed this team after you opened it (it is now called Northern team). Check the name and save again',
    );
    expect(res.body).toContain('value="My new name"');
    expect(res.body).toContain('name="version" value="2"');
    expect((await teams.getTeam(t.db, team.id)).name).toBe('Northern team');

    const again = await browser.post(`/admin/teams/${team.id}`, { name: 'My new name', version: '2' });
    expect(again.statusCode).toBe(302);
    expect((await teams.getTeam(t.db, team.id)).name).toBe('My new name');
  });

  it('refuses a rename to the name of another team', async () => {
    await makeTeam(t.db, t.deps, 'South team');
    const team = await makeTeam(t.db, t.deps, 'North team');
    const { browser } = await signedInAs(t, 'admin');
    await browser.get(`/admin/teams/${team.id}`);
    const res = await browser.post(`/admin/teams/${team.id}`, { name: 'south TEAM', version: '1' });
    expect(res.statusCode).toBe(400);
    expect(fieldError(res.body, 'name')).toBe('Error: A team with this name already exists');
    expect(res.body).toContain('value="south TEAM"');
    expect(res.body).toContain('<h1>North team</h1>');
  });

  it('answers 404 for a team that does not exist', async () => {
    const { browser } = await signedInAs(t, 'admin');
    const res = await browser.get('/admin/teams/00000000-0000-4000-8000-000000000000');
    expect(res.statusCode).toBe(404);
    expect(res.body).toContain('Page not found');
  });
});

describe('the teams API', () => {
  it('lists teams a page at a time', async () => {
    const { token } = await makeTokenUser(t.db, t.deps, 'admin');
    for (const name of ['Charlie team', 'Alpha team', 'Bravo team']) await makeTeam(t.db, t.deps, name);
    const first = await api('GET', '/api/v1/teams?limit=2', token);
    expect(first.status).toBe(200);
    const items = first.body.items as Record<string, unknown>[];
    expect(items.map((i) => i.name)).toEqual(['Alpha team', 'Bravo team']);
    expect(Object.keys(items[0] ?? {}).sort()).toEqual(['created_at', 'id', 'name', 'updated_at', 'version']);
    expect(typeof first.body.next_cursor).toBe('string');

    const second = await api('GET', `/api/v1/teams?limit=2&cursor=${String(first.body.next_cursor)}`, token);
    expect((second.body.items as Record<string, unknown>[]).map((i) => i.name)).toEqual(['Charlie team']);
    expect(second.body.next_cursor).toBeNull();

    const bad = await api('GET', '/api/v1/teams?cursor=not*a*cursor', token);
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: { code: 'validation_failed', fields: { cursor: 'Cursor is not valid' } } });
  });

  it('creates a team with 201 and refuses a duplicate name with 400 on the field', async () => {
    const { token } = await makeTokenUser(t.db, t.deps, 'admin');
    const created = await api('POST', '/api/v1/teams', token, { name: 'West team' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'West team', version: 1, created_at: '2026-11-25T10:00:00.000Z' });

    const read = await api('GET', `/api/v1/teams/${String(created.body.id)}`, token);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(created.body);

    const dup = await api('POST', '/api/v1/teams', token, { name: 'WEST TEAM' });
    expect(dup.status).toBe(400);
    expect(dup.body).toEqual({
      error: {
        code: 'validation_failed',
        message: 'There is a problem with what was sent',
        fields: { name: 'A team with this name already exists' },
      },
    });
    const unknownField = await api('POST', '/api/v1/teams', token, { name: 'East team', colour: 'red' });
    expect(unknownField.status).toBe(400);
    expect(unknownField.body).toMatchObject({ error: { fields: { colour: expect.any(String) as unknown } } });
  });

  it('creates one team however often a request with the same Idempotency-Key is repeated', async () => {
    const { token } = await makeTokenUser(t.db, t.deps, 'admin');
    const send = () =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/teams',
        headers: { authorization: `Bearer ${token}`, 'idempotency-key': 'create-west-team-1' },
        payload: { name: 'West team' },
      });
    const first = await send();
    const again = await send();
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(201);
    expect(again.json()).toEqual(first.json());
    expect((await teams.listTeams(t.db)).map((x) => x.name)).toEqual(['West team']);
  });

  it('renames with the version read, and refuses a stale version with 409 without overwriting', async () => {
    const { token } = await makeTokenUser(t.db, t.deps, 'admin');
    const team = await makeTeam(t.db, t.deps, 'West team');
    const renamed = await api('PATCH', `/api/v1/teams/${team.id}`, token, { name: 'West and Central team', version: 1 });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ name: 'West and Central team', version: 2 });

    const stale = await api('PATCH', `/api/v1/teams/${team.id}`, token, { name: 'Overwritten', version: 1 });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ error: { code: 'conflict' } });
    expect((await teams.getTeam(t.db, team.id)).name).toBe('West and Central team');

    const noVersion = await api('PATCH', `/api/v1/teams/${team.id}`, token, { name: 'No version' });
    expect(noVersion.status).toBe(400);
    expect(noVersion.body).toMatchObject({ error: { fields: { version: 'Send the version you read' } } });
  });

  it('answers 404 for a team that does not exist', async () => {
    const { token } = await makeTokenUser(t.db, t.deps, 'admin');
    const res = await api('GET', '/api/v1/teams/00000000-0000-4000-8000-000000000000', token);
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ error: { code: 'not_found' } });
  });
});

describe('who may manage teams', () => {
  const others: Role[] = ['manager', 'practitioner', 'clinician', 'commissioner'];

  it.each(others)('refuses a %s the pages and the API with 403', async (role) => {
    const team = await makeTeam(t.db, t.deps);
    const { browser } = await signedInAs(t, role);
    expect((await browser.get('/admin/teams')).statusCode).toBe(403);
    expect((await browser.get(`/admin/teams/${team.id}`)).statusCode).toBe(403);
    expect((await browser.post('/admin/teams', { name: 'Sneaky team' })).statusCode).toBe(403);
    expect((await browser.post(`/admin/teams/${team.id}`, { name: 'Sneaky team', version: '1' })).statusCode).toBe(403);

    const { token } = await makeTokenUser(t.db, t.deps, role);
    expect((await api('GET', '/api/v1/teams', token)).status).toBe(403);
    expect((await api('POST', '/api/v1/teams', token, { name: 'Sneaky team' })).status).toBe(403);
    expect((await api('GET', `/api/v1/teams/${team.id}`, token)).status).toBe(403);
    expect((await api('PATCH', `/api/v1/teams/${team.id}`, token, { name: 'Sneaky team', version: 1 })).status).toBe(403);
    expect(await teams.findTeamByName(t.db, 'Sneaky team')).toBeUndefined();
  });
});

describe('two people adding the same team at once', () => {
  it('creates one and tells the other the name is taken, beside the field', async () => {
    const t2 = await createTestApp();
    try {
      const results = await Promise.allSettled(
        ['Night Team', 'night team'].map((name) => teams.createTeam(t2.db, t2.deps, SYSTEM_CONTEXT, name)),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const refused = results.find((r) => r.status === 'rejected');
      expect(refused?.status === 'rejected' && refused.reason).toMatchObject({
        fields: { name: 'A team with this name already exists' },
      });
    } finally {
      await t2.close();
    }
  });
});
