import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Browser, createTestApp, signedInAs, type TestApp } from '../../test/test-app.ts';
import { TEST_PASSWORD, makeTeam, makeTokenUser, makeUser } from '../../test/factories.ts';
import * as audit from '../audit/service.ts';
import { SYSTEM_CONTEXT } from '../audit/service.ts';
import * as users from './service.ts';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

const anyString = expect.any(String) as unknown;
const stringContaining = (text: string) => expect.stringContaining(text) as unknown;

const actionsOf = async () => (await audit.listEvents(t.db, {}, 500)).items.map((e) => e.action);

/** A signed-in browser for the user, who must have TEST_PASSWORD. */
async function browserFor(email: string): Promise<Browser> {
  const b = new Browser(t.app);
  const res = await b.signIn(email);
  expect(res.statusCode).toBe(302);
  return b;
}

async function api(method: 'GET' | 'POST' | 'PATCH', url: string, token: string, payload?: unknown) {
  const res = await t.app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${token}` },
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
  });
  return { status: res.statusCode, body: res.json<Record<string, unknown>>(), headers: res.headers };
}

describe('the users list page', () => {
  it('lists active users with their role, team and status, and links to add a user', async () => {
    const { browser } = await signedInAs(t, 'admin');
    const team = await makeTeam(t.db, t.deps, 'North IPS team');
    const coach = await makeUser(t.db, t.deps, { name: 'Priya Coach', role: 'practitioner', teamId: team.id });
    const gone = await makeUser(t.db, t.deps, { name: 'Gone Person' });
    await users.updateUser(t.db, t.deps, SYSTEM_CONTEXT, gone.id, gone.version, { active: false });

    const res = await browser.get('/admin/users');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<div class="stepwise-table-wrap">');
    expect(res.body).toContain('Add a user');
    expect(res.body).toContain(`href="/admin/users/${coach.id}"`);
    expect(res.body).toContain('Practitioner (employment specialist or job coach)');
    expect(res.body).toContain('North IPS team');
    expect(res.body).toContain('Active');
    expect(res.body).toContain('Never');
    expect(res.body).not.toContain('Gone Person');

    const all = await browser.get('/admin/users?status=all');
    expect(all.body).toContain('Gone Person');
    expect(all.body).toContain('Deactivated');
    const inactive = await browser.get('/admin/users?status=inactive');
    expect(inactive.body).toContain('Gone Person');
    expect(inactive.body).not.toContain('Priya Coach');
  });

  it('finds users by part of their name or email, and filters by role and team', async () => {
    const { browser } = await signedInAs(t, 'admin');
    const team = await makeTeam(t.db, t.deps);
    await makeUser(t.db, t.deps, { name: 'Maria Okafor', email: 'm_okafor@example.org', role: 'clinician' });
    await makeUser(t.db, t.deps, { name: 'Sam Rivers', email: 'sam.rivers@example.org', role: 'practitioner', teamId: team.id });
    await makeUser(t.db, t.deps, { name: 'Sam Kettle', email: 'kettle@example.org', role: 'manager' });

    const byName = await browser.get('/admin/users?q=okaf');
    expect(byName.body).toContain('Maria Okafor');
    expect(byName.body).not.toContain('Sam Rivers');

    // An underscore is a literal character in a search, not a wildcard.
    const byEmail = await browser.get('/admin/users?q=M_OKAFOR');
    expect(byEmail.body).toContain('Maria Okafor');
    expect((await browser.get('/admin/users?q=m_ok_for')).body).not.toContain('Maria Okafor');

    const sams = await browser.get('/admin/users?q=sam');
    expect(sams.body).toContain('Sam Rivers');
    expect(sams.body).toContain('Sam Kettle');

    const managers = await browser.get('/admin/users?q=sam&role=manager');
    expect(managers.body).toContain('Sam Kettle');
    expect(managers.body).not.toContain('Sam Rivers');

    const inTeam = await browser.get(`/admin/users?team_id=${team.id}`);
    expect(inTeam.body).toContain('Sam Rivers');
    expect(inTeam.body).not.toContain('Sam Kettle');
    expect(inTeam.body).toContain('Clear the filters');
  });

  it('shows names exactly as typed, never as markup', async () => {
    const { browser } = await signedInAs(t, 'admin');
    await makeUser(t.db, t.deps, { name: '<script>alert(1)</script> Smith' });
    const res = await browser.get('/admin/users?q=smith');
    expect(res.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt; Smith');
    expect(res.body).not.toContain('<script>alert(1)</script>');
  });

  it('says what to do when no users match', async () => {
    const { browser } = await signedInAs(t, 'admin');
    const res = await browser.get('/admin/users?q=nobody-like-this');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('No users match.');
    expect(res.body).toContain('Clear the filters</a> or <a href="/admin/users/new">add a user</a>');
    expect(res.body).toContain('value="nobody-like-this"');
  });

  it('pages through users with Next page and First page links that keep the filters', async () => {
    const { browser } = await signedInAs(t, 'admin');
    for (const n of ['a', 'b', 'c']) await makeUser(t.db, t.deps, { email: `paged-${n}@example.org`, name: `Paged ${n}` });

    const first = await browser.get('/admin/users?q=paged&limit=2');
    expect(first.body).toContain('Paged a');
    expect(first.body).toContain('Paged b');
    expect(first.body).not.toContain('Paged c');
    expect(first.body).toContain('Next page');
    expect(first.body).not.toContain('First page');
    const next = /href="(\/admin\/users\?[^"]*cursor=[^"]+)"/.exec(first.body)?.[1]?.replace(/&amp;/g, '&');
    expect(next).toContain('q=paged');
    expect(next).toContain('limit=2');

    const second = await browser.get(next!);
    expect(second.statusCode).toBe(200);
    expect(second.body).toContain('Paged c');
    expect(second.body).not.toContain('Paged a');
    expect(second.body).toContain('First page');
    expect(second.body).not.toContain('Next page');
  });

  it('explains a bad filter instead of failing', async () => {
    const { browser } = await signedInAs(t, 'admin');
    const res = await browser.get('/admin/users?team_id=not-a-team&cursor=%%%');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('There is a problem');
    expect(res.body).toContain('Select a team from the list');
  });

  it('is only for administrators', async () => {
    const { browser } = await signedInAs(t, 'manager');
    expect((await browser.get('/admin/users')).statusCode).toBe(403);
    expect((await browser.get('/admin/users/new')).statusCode).toBe(403);
  });
});

describe('adding a user', () => {
  it('adds a user and shows a success banner on their page', async () => {
    const { browser } = await signedInAs(t, 'admin');
    const team = await makeTeam(t.db, t.deps, 'South team');
    const form = await browser.get('/admin/users/new');
    expect(form.body).toContain('Team manager');
    expect(form.body).toContain('No team');
    expect(form.body).toContain('At least 12 characters');

    const res = await browser.post('/admin/users', {
      name: 'Jo Bloggs',
      email: 'Jo.Bloggs@Example.org',
      role: 'practitioner',
      team_id: team.id,
      password: 'a long enough password',
    });
    expect(res.statusCode).toBe(302);
    const created = await users.findByEmail(t.db, 'jo.bloggs@example.org');
    expect(created).toMatchObject({ name: 'Jo Bloggs', role: 'practitioner', teamId: team.id, active: true });
    expect(res.headers.location).toBe(`/admin/users/${created!.id}?done=created`);

    const page = await browser.get(res.headers.location as string);
    expect(page.body).toContain('User added');
    expect(page.body).toContain('jo.bloggs@example.org');
    expect(page.body).toContain('South team');
    expect(await actionsOf()).toContain('user.created');

    const signIn = await new Browser(t.app).signIn('jo.bloggs@example.org', 'a long enough password');
    expect(signIn.statusCode).toBe(302);
  });

  it('creates one user when the same form is sent twice', async () => {
    const { browser } = await signedInAs(t, 'admin');
    const form = await browser.get('/admin/users/new');
    const key = /name="_idempotency_key" value="([^"]+)"/.exec(form.body)?.[1];
    expect(key).toBeDefined();
    const fields = {
      _idempotency_key: key!,
      name: 'Twice Sent',
      email: 'twice@example.org',
      role: 'practitioner',
      team_id: '',
      password: 'a long enough password',
    };
    const first = await browser.post('/admin/users', fields);
    const second = await browser.post('/admin/users', fields);
    expect(first.statusCode).toBe(302);
    expect(second.statusCode).toBe(302);
    expect(second.headers.location).toBe(first.headers.location);
    expect((await users.listUsers(t.db, { search: 'twice' }, 10)).items).toHaveLength(1);
  });

  it('shows every problem beside its field and keeps what was typed, except the password', async () => {
    const { browser } = await signedInAs(t, 'admin');
    await browser.get('/admin/users/new');
    const res = await browser.post('/admin/users', { name: 'Jo Bloggs', email: 'not-an-email', password: 'short-pass' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('There is a problem');
    expect(res.body).toContain('Enter an email address in the correct format, like name@example.org');
    expect(res.body).toContain('Select a role');
    expect(res.body).toContain('href="#email"');
    expect(res.body).toContain('href="#role"');
    expect(res.body).toContain('value="Jo Bloggs"');
    expect(res.body).toContain('value="not-an-email"');
    expect(res.body).not.toContain('short-pass');
  });

  it('keeps the chosen role and team when the password is too weak', async () => {
    const { browser } = await signedInAs(t, 'admin');
    const team = await makeTeam(t.db, t.deps);
    await browser.get('/admin/users/new');
    const res = await browser.post('/admin/users', {
      name: 'Jo Bloggs',
      email: 'jo@example.org',
      role: 'clinician',
      team_id: team.id,
      password: 'short',
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Password must be at least 12 characters');
    expect(res.body).toMatch(/value="clinician"\s+checked/);
    expect(res.body).toMatch(new RegExp(`value="${team.id}"\\s+selected`));
    expect(await users.findByEmail(t.db, 'jo@example.org')).toBeUndefined();
  });

  it('says when the email address is already in use', async () => {
    const { browser } = await signedInAs(t, 'admin');
    const existing = await makeUser(t.db, t.deps);
    await browser.get('/admin/users/new');
    const res = await browser.post('/admin/users', {
      name: 'Another',
      email: existing.email.toUpperCase(),
      role: 'practitioner',
      password: 'a long enough password',
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('An account with this email address already exists');
  });
});

describe('a user’s page', () => {
  it('shows the details and audits that an administrator looked at them', async () => {
    const { browser } = await signedInAs(t, 'admin');
    const user = await makeUser(t.db, t.deps, { role: 'commissioner' });
    const res = await browser.get(`/admin/users/${user.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(user.email);
    expect(res.body).toContain('Commissioner (aggregate figures only)');
    expect(res.body).toContain('Deactivate account');
    expect(await actionsOf()).toContain('user.viewed');
  });

  it('answers 404 for an unknown or malformed id', async () => {
    const { browser } = await signedInAs(t, 'admin');
    expect((await browser.get('/admin/users/7d0e3a51-9a43-4e49-9a39-0f3c1a3f0000')).statusCode).toBe(404);
    expect((await browser.get('/admin/users/nonsense')).statusCode).toBe(404);
  });

  it('changes a role and says so', async () => {
    const { browser } = await signedInAs(t, 'admin');
    const user = await makeUser(t.db, t.deps, { role: 'practitioner' });
    await browser.get(`/admin/users/${user.id}`);
    const res = await browser.post(`/admin/users/${user.id}`, { name: user.name, role: 'manager', team_id: '', version: '1' });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe(`/admin/users/${user.id}?done=updated`);
    expect((await browser.get(res.headers.location as string)).body).toContain('Changes saved');
    expect(await users.getUser(t.db, user.id)).toMatchObject({ role: 'manager', version: 2 });
    expect(await actionsOf()).toContain('user.updated');
  });

  it('keeps what was typed and shows the saved details when someone else saved first', async () => {
    const { browser } = await signedInAs(t, 'admin');
    const user = await makeUser(t.db, t.deps, { name: 'Original Name', role: 'practitioner' });
    await browser.get(`/admin/users/${user.id}`);
    await users.updateUser(t.db, t.deps, SYSTEM_CONTEXT, user.id, 1, { name: 'Their Name' });

    const res = await browser.post(`/admin/users/${user.id}`, { name: 'My Name', role: 'clinician', team_id: '', version: '1' });
    expect(res.statusCode).toBe(409);
    expect(res.body).toContain('Someone else changed this user after you opened it');
    expect(res.body).toContain('Their Name');
    expect(res.body).toContain('value="My Name"');
    expect(res.body).toMatch(/value="clinician"\s+checked/);
    expect(res.body).toContain('name="version" value="2"');
    expect(await users.getUser(t.db, user.id)).toMatchObject({ name: 'Their Name', role: 'practitioner' });

    // Saving again, having seen the other change, goes through.
    const again = await browser.post(`/admin/users/${user.id}`, {
      name: 'My Name',
      role: 'clinician',
      team_id: '',
      version: '2',
    });
    expect(again.statusCode).toBe(302);
    expect(await users.getUser(t.db, user.id)).toMatchObject({ name: 'My Name', role: 'clinician' });
  });

  it('keeps the typed values when the name is left empty', async () => {
    const { browser } = await signedInAs(t, 'admin');
    const user = await makeUser(t.db, t.deps, { role: 'practitioner' });
    await browser.get(`/admin/users/${user.id}`);
    const res = await browser.post(`/admin/users/${user.id}`, { name: ' ', role: 'manager', team_id: '', version: '1' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Enter a name');
    expect(res.body).toMatch(/value="manager"\s+checked/);
  });

  it('will not demote the last active administrator', async () => {
    const { browser, user: admin } = await signedInAs(t, 'admin');
    await browser.get(`/admin/users/${admin.id}`);
    const res = await browser.post(`/admin/users/${admin.id}`, {
      name: admin.name,
      role: 'manager',
      team_id: '',
      version: String(admin.version),
    });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('This is the only active administrator. Make someone else an administrator first');
    expect(res.body).toMatch(/value="manager"\s+checked/);
    expect((await users.getUser(t.db, admin.id)).role).toBe('admin');
  });
});

describe('deactivating and reactivating', () => {
  it('asks first, then deactivates, signs the person out and stops their API token', async () => {
    const { browser } = await signedInAs(t, 'admin');
    const { user, token } = await makeTokenUser(t.db, t.deps, 'practitioner');
    const theirs = await browserFor(user.email);
    expect((await theirs.get('/')).statusCode).toBe(200);
    expect((await api('GET', '/api/v1/me', token)).status).toBe(200);

    await browser.get(`/admin/users/${user.id}`);
    const ask = await browser.post(`/admin/users/${user.id}/deactivate`);
    expect(ask.statusCode).toBe(200);
    expect(ask.body).toContain(`Are you sure you want to deactivate ${user.name}?`);
    expect(ask.body).toContain('They will be signed out at once and their API tokens stop working');
    expect(ask.body).toContain('name="confirm" value="yes"');
    expect((await users.getUser(t.db, user.id)).active).toBe(true);

    const done = await browser.post(`/admin/users/${user.id}/deactivate`, { confirm: 'yes' });
    expect(done.statusCode).toBe(302);
    expect(done.headers.location).toBe(`/admin/users/${user.id}?done=deactivated`);
    expect((await browser.get(done.headers.location as string)).body).toContain('Account deactivated');
    expect((await users.getUser(t.db, user.id)).active).toBe(false);

    const replay = await theirs.get('/');
    expect(replay.statusCode).toBe(302);
    expect(replay.headers.location).toContain('/sign-in');
    expect((await api('GET', '/api/v1/me', token)).status).toBe(401);
    expect((await new Browser(t.app).signIn(user.email)).statusCode).toBe(400);
    expect(await actionsOf()).toContain('user.deactivated');
  });

  it('reactivates an account so they can sign in again', async () => {
    const { browser } = await signedInAs(t, 'admin');
    const user = await makeUser(t.db, t.deps);
    await users.updateUser(t.db, t.deps, SYSTEM_CONTEXT, user.id, 1, { active: false });
    const page = await browser.get(`/admin/users/${user.id}`);
    expect(page.body).toContain('Reactivate account');
    const res = await browser.post(`/admin/users/${user.id}/reactivate`);
    expect(res.headers.location).toBe(`/admin/users/${user.id}?done=reactivated`);
    expect((await users.getUser(t.db, user.id)).active).toBe(true);
    expect((await new Browser(t.app).signIn(user.email)).statusCode).toBe(302);
  });

  it('will not let administrators deactivate their own account', async () => {
    const { browser, user: admin } = await signedInAs(t, 'admin');
    await makeUser(t.db, t.deps, { role: 'admin' });
    await browser.get(`/admin/users/${admin.id}`);
    const res = await browser.post(`/admin/users/${admin.id}/deactivate`, { confirm: 'yes' });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('You cannot deactivate your own account');
    expect((await users.getUser(t.db, admin.id)).active).toBe(true);
    expect((await browser.get('/')).statusCode).toBe(200);
  });
});

describe('resetting sign-in details', () => {
  it('asks first, then resets the second factor and signs the person out', async () => {
    const { browser } = await signedInAs(t, 'admin');
    const user = await makeUser(t.db, t.deps);
    const theirs = await browserFor(user.email);
    await users.enableSecondFactor(t.db, t.deps, SYSTEM_CONTEXT, user.id, 'sealed-secret');

    expect((await browser.get(`/admin/users/${user.id}`)).body).toContain('Reset second factor');
    const ask = await browser.post(`/admin/users/${user.id}/reset-second-factor`);
    expect(ask.statusCode).toBe(200);
    expect(ask.body).toContain(`Are you sure you want to reset the second factor for ${user.name}?`);
    expect((await users.getUser(t.db, user.id)).secondFactorEnabled).toBe(true);

    const done = await browser.post(`/admin/users/${user.id}/reset-second-factor`, { confirm: 'yes' });
    expect(done.headers.location).toBe(`/admin/users/${user.id}?done=second-factor-reset`);
    expect((await browser.get(done.headers.location as string)).body).toContain('Second factor reset');
    expect((await users.getUser(t.db, user.id)).secondFactorEnabled).toBe(false);
    expect((await theirs.get('/')).statusCode).toBe(302);
    expect(await actionsOf()).toContain('user.second_factor_reset');
  });

  it('sets a new password, signs the person out, and the new password works', async () => {
    const { browser } = await signedInAs(t, 'admin');
    const user = await makeUser(t.db, t.deps);
    const theirs = await browserFor(user.email);
    await browser.get(`/admin/users/${user.id}`);

    const res = await browser.post(`/admin/users/${user.id}/password`, { password: 'a brand new passphrase' });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe(`/admin/users/${user.id}?done=password-reset`);
    expect((await browser.get(res.headers.location as string)).body).toContain('Password changed');
    expect((await theirs.get('/')).statusCode).toBe(302);
    expect((await new Browser(t.app).signIn(user.email, TEST_PASSWORD)).statusCode).toBe(400);
    expect((await new Browser(t.app).signIn(user.email, 'a brand new passphrase')).statusCode).toBe(302);
    expect(await actionsOf()).toContain('user.password_reset');
  });

  it('refuses a weak password with the reason and keeps the other details on the page', async () => {
    const { browser } = await signedInAs(t, 'admin');
    const user = await makeUser(t.db, t.deps, { name: 'Keep This Name' });
    await browser.get(`/admin/users/${user.id}`);
    const res = await browser.post(`/admin/users/${user.id}/password`, { password: 'password123' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Password must be at least 12 characters');
    expect(res.body).toContain('href="#password"');
    expect(res.body).toContain('value="Keep This Name"');
    expect(res.body).not.toContain('value="password123"');
    expect((await new Browser(t.app).signIn(user.email)).statusCode).toBe(302);
  });
});

describe('the users API', () => {
  it('GET /api/v1/me answers the caller’s own record for any role', async () => {
    const { user, token } = await makeTokenUser(t.db, t.deps, 'commissioner');
    const res = await api('GET', '/api/v1/me', token);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      id: user.id,
      email: user.email,
      name: user.name,
      role: 'commissioner',
      team_id: null,
      active: true,
      second_factor_enabled: false,
      last_sign_in_at: null,
      created_at: user.createdAt,
      updated_at: user.updatedAt,
      version: 1,
    });
    expect(res.body).not.toHaveProperty('password_hash');
  });

  it('answers 401 without a token and 403 for a role that may not manage users', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/users' })).statusCode).toBe(401);
    const { token } = await makeTokenUser(t.db, t.deps, 'manager');
    const res = await api('GET', '/api/v1/users', token);
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ error: { code: 'forbidden' } });
  });

  it('POST creates a user and answers 201 with the record', async () => {
    const { token } = await makeTokenUser(t.db, t.deps, 'admin');
    const team = await makeTeam(t.db, t.deps);
    const res = await api('POST', '/api/v1/users', token, {
      email: 'New.Person@Example.org',
      name: 'New Person',
      role: 'practitioner',
      team_id: team.id,
      password: 'a long enough password',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      email: 'new.person@example.org',
      name: 'New Person',
      role: 'practitioner',
      team_id: team.id,
      active: true,
      version: 1,
    });
    expect(typeof res.body.id).toBe('string');
    expect(res.headers.location).toBe(`/api/v1/users/${res.body.id as string}`);
  });

  it('POST names the field that is wrong: unknown, duplicate email, weak password', async () => {
    const { user, token } = await makeTokenUser(t.db, t.deps, 'admin');
    const unknown = await api('POST', '/api/v1/users', token, {
      email: 'x@example.org',
      name: 'X',
      role: 'practitioner',
      password: 'a long enough password',
      nickname: 'Xy',
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({ error: { code: 'validation_failed', fields: { nickname: anyString } } });

    const dup = await api('POST', '/api/v1/users', token, {
      email: user.email,
      name: 'Dup',
      role: 'practitioner',
      password: 'short',
    });
    expect(dup.status).toBe(400);
    expect(dup.body).toMatchObject({
      error: {
        code: 'validation_failed',
        fields: {
          email: 'An account with this email address already exists',
          password: 'Password must be at least 12 characters',
        },
      },
    });

    const badRole = await api('POST', '/api/v1/users', token, { email: 'y@example.org', name: 'Y', role: 'boss', password: 'x' });
    expect(badRole.body).toMatchObject({ error: { fields: { role: 'Select a role' } } });
  });

  it('GET /api/v1/users/:id answers the record, 400 for a bad id and 404 for an unknown one', async () => {
    const { token } = await makeTokenUser(t.db, t.deps, 'admin');
    const other = await makeUser(t.db, t.deps);
    const ok = await api('GET', `/api/v1/users/${other.id}`, token);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ id: other.id, email: other.email });
    expect(await actionsOf()).toContain('user.viewed');

    const bad = await api('GET', '/api/v1/users/42', token);
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: { code: 'validation_failed', fields: { id: anyString } } });
    const missing = await api('GET', '/api/v1/users/7d0e3a51-9a43-4e49-9a39-0f3c1a3f0000', token);
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ error: { code: 'not_found' } });
  });

  it('GET /api/v1/users lists with filters and a cursor', async () => {
    const { token } = await makeTokenUser(t.db, t.deps, 'admin');
    const team = await makeTeam(t.db, t.deps);
    const a = await makeUser(t.db, t.deps, { email: 'list-a@example.org', role: 'clinician', teamId: team.id });
    const b = await makeUser(t.db, t.deps, { email: 'list-b@example.org', role: 'clinician' });
    const c = await makeUser(t.db, t.deps, { email: 'list-c@example.org', role: 'manager' });
    await users.updateUser(t.db, t.deps, SYSTEM_CONTEXT, c.id, 1, { active: false });

    const first = await api('GET', '/api/v1/users?q=list-&limit=2', token);
    expect(first.status).toBe(200);
    expect(Object.keys(first.body).sort()).toEqual(['items', 'next_cursor']);
    expect((first.body.items as { id: string }[]).map((u) => u.id)).toEqual([a.id, b.id]);
    expect(typeof first.body.next_cursor).toBe('string');
    const second = await api('GET', `/api/v1/users?q=list-&limit=2&cursor=${first.body.next_cursor as string}`, token);
    expect((second.body.items as { id: string }[]).map((u) => u.id)).toEqual([c.id]);
    expect(second.body.next_cursor).toBeNull();

    const ids = async (qs: string) =>
      ((await api('GET', `/api/v1/users?q=list-&${qs}`, token)).body.items as { id: string }[]).map((u) => u.id);
    expect(await ids('role=clinician')).toEqual([a.id, b.id]);
    expect(await ids(`team_id=${team.id}`)).toEqual([a.id]);
    expect(await ids('status=active')).toEqual([a.id, b.id]);
    expect(await ids('status=inactive')).toEqual([c.id]);

    const bad = await api('GET', '/api/v1/users?limit=0&colour=red&cursor=***', token);
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: { fields: { limit: anyString, colour: anyString } } });
  });

  it('PATCH changes only what is sent and increments the version', async () => {
    const { token } = await makeTokenUser(t.db, t.deps, 'admin');
    const team = await makeTeam(t.db, t.deps);
    const user = await makeUser(t.db, t.deps, { role: 'practitioner', teamId: team.id });
    const res = await api('PATCH', `/api/v1/users/${user.id}`, token, { version: 1, role: 'manager' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: user.id, role: 'manager', team_id: team.id, name: user.name, version: 2 });

    const cleared = await api('PATCH', `/api/v1/users/${user.id}`, token, { version: 2, team_id: null });
    expect(cleared.body).toMatchObject({ team_id: null, version: 3 });
  });

  it('PATCH with a stale version answers 409 and changes nothing', async () => {
    const { token } = await makeTokenUser(t.db, t.deps, 'admin');
    const user = await makeUser(t.db, t.deps, { name: 'Before' });
    expect((await api('PATCH', `/api/v1/users/${user.id}`, token, { version: 1, name: 'First' })).status).toBe(200);
    const stale = await api('PATCH', `/api/v1/users/${user.id}`, token, { version: 1, name: 'Second' });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ error: { code: 'conflict' } });
    expect(await users.getUser(t.db, user.id)).toMatchObject({ name: 'First', version: 2 });
  });

  it('PATCH refuses with 422 to demote the last active administrator', async () => {
    const { user: admin, token } = await makeTokenUser(t.db, t.deps, 'admin');
    const res = await api('PATCH', `/api/v1/users/${admin.id}`, token, { version: 1, role: 'practitioner' });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ error: { code: 'rule_refused', message: stringContaining('only active administrator') } });
    expect((await users.getUser(t.db, admin.id)).role).toBe('admin');
  });

  it('PATCH active=false signs the person out at once', async () => {
    const { token } = await makeTokenUser(t.db, t.deps, 'admin');
    const user = await makeUser(t.db, t.deps);
    const theirs = await browserFor(user.email);
    const res = await api('PATCH', `/api/v1/users/${user.id}`, token, { version: 1, active: false });
    expect(res.body).toMatchObject({ active: false, version: 2 });
    expect((await theirs.get('/')).statusCode).toBe(302);
  });

  it('PATCH names bad and unknown fields', async () => {
    const { token } = await makeTokenUser(t.db, t.deps, 'admin');
    const user = await makeUser(t.db, t.deps);
    const res = await api('PATCH', `/api/v1/users/${user.id}`, token, { name: 'x', email: 'new@example.org', active: 'no' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      error: { fields: { version: anyString, email: anyString, active: 'Active must be true or false' } },
    });
  });
});
