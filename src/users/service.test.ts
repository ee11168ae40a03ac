import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TEST_PASSWORD, makeTeam, makeUser } from '../../test/factories.ts';
import { createTestApp, type TestApp } from '../../test/test-app.ts';
import * as audit from '../audit/service.ts';
import { SYSTEM_CONTEXT } from '../audit/service.ts';
import { ConflictError, NotFoundError, RuleError, ValidationError } from '../errors.ts';
import * as repo from './repo.ts';
import * as users from './service.ts';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

const eventsFor = async (id: string) => (await audit.listEvents(t.db, {}, 500)).items.filter((e) => e.entityId === id);

async function thrown(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected the call to fail');
}

describe('createUser', () => {
  it('stores the email in lower case, hashes the password, and audits the creation', async () => {
    const user = await users.createUser(t.db, t.deps, SYSTEM_CONTEXT, {
      email: ' Ann.Other@Example.org ',
      name: '  Ann Other ',
      role: 'clinician',
      password: TEST_PASSWORD,
    });
    expect(user).toMatchObject({
      email: 'ann.other@example.org',
      name: 'Ann Other',
      role: 'clinician',
      active: true,
      version: 1,
    });
    const row = await repo.findById(t.db, user.id);
    expect(row?.password_hash).not.toContain(TEST_PASSWORD);
    expect(await users.checkPassword(row?.password_hash, TEST_PASSWORD)).toBe(true);
    expect((await eventsFor(user.id)).map((e) => e.action)).toEqual(['user.created']);
  });

  it('reports every problem at once: weak password, email in use, unknown team', async () => {
    const existing = await makeUser(t.db, t.deps);
    const err = await thrown(
      users.createUser(t.db, t.deps, SYSTEM_CONTEXT, {
        email: existing.email.toUpperCase(),
        name: 'X',
        role: 'practitioner',
        teamId: '7d0e3a51-9a43-4e49-9a39-0f3c1a3f0000',
        password: 'short',
      }),
    );
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).fields).toEqual({
      email: 'An account with this email address already exists',
      password: 'Password must be at least 12 characters',
      team_id: 'Select a team from the list',
    });
  });
});

describe('updateUser', () => {
  it('changes only what differs, bumps the version and audits the changed fields', async () => {
    const team = await makeTeam(t.db, t.deps);
    const user = await makeUser(t.db, t.deps, { role: 'practitioner' });
    const updated = await users.updateUser(t.db, t.deps, SYSTEM_CONTEXT, user.id, 1, {
      name: user.name,
      role: 'manager',
      teamId: team.id,
    });
    expect(updated).toMatchObject({ role: 'manager', teamId: team.id, version: 2 });
    const event = (await eventsFor(user.id)).find((e) => e.action === 'user.updated');
    expect(event?.details).toEqual({ changed: ['role', 'team_id'], role: { from: 'practitioner', to: 'manager' } });
  });

  it('refuses a stale version and changes nothing', async () => {
    const user = await makeUser(t.db, t.deps, { name: 'Before' });
    await users.updateUser(t.db, t.deps, SYSTEM_CONTEXT, user.id, 1, { name: 'First' });
    const err = await thrown(users.updateUser(t.db, t.deps, SYSTEM_CONTEXT, user.id, 1, { name: 'Second' }));
    expect(err).toBeInstanceOf(ConflictError);
    expect(await users.getUser(t.db, user.id)).toMatchObject({ name: 'First', version: 2 });
  });

  it('keeps at least one active administrator', async () => {
    const admin = await makeUser(t.db, t.deps, { role: 'admin' });
    expect(await thrown(users.updateUser(t.db, t.deps, SYSTEM_CONTEXT, admin.id, 1, { role: 'manager' }))).toBeInstanceOf(
      RuleError,
    );
    expect(await thrown(users.updateUser(t.db, t.deps, SYSTEM_CONTEXT, admin.id, 1, { active: false }))).toBeInstanceOf(
      RuleError,
    );
    await makeUser(t.db, t.deps, { role: 'admin' });
    const demoted = await users.updateUser(t.db, t.deps, SYSTEM_CONTEXT, admin.id, 1, { role: 'manager' });
    expect(demoted.role).toBe('manager');
  });

  it('does not let someone deactivate their own account', async () => {
    const admin = await makeUser(t.db, t.deps, { role: 'admin' });
    await makeUser(t.db, t.deps, { role: 'admin' });
    const self = { ...SYSTEM_CONTEXT, actorUserId: admin.id };
    const err = await thrown(users.updateUser(t.db, t.deps, self, admin.id, 1, { active: false }));
    expect(err).toBeInstanceOf(RuleError);
    expect((err as RuleError).message).toContain('You cannot deactivate your own account');
  });

  it('audits deactivation and reactivation under their own names', async () => {
    const user = await makeUser(t.db, t.deps);
    await users.updateUser(t.db, t.deps, SYSTEM_CONTEXT, user.id, 1, { active: false });
    await users.updateUser(t.db, t.deps, SYSTEM_CONTEXT, user.id, 2, { active: true });
    expect((await eventsFor(user.id)).map((e) => e.action)).toEqual(['user.reactivated', 'user.deactivated', 'user.created']);
  });
});

describe('setPassword', () => {
  it('replaces the password and audits it without recording the password', async () => {
    const user = await makeUser(t.db, t.deps);
    await users.setPassword(t.db, t.deps, SYSTEM_CONTEXT, user.id, 'another good passphrase');
    const row = await repo.findById(t.db, user.id);
    expect(await users.checkPassword(row?.password_hash, 'another good passphrase')).toBe(true);
    expect(await users.checkPassword(row?.password_hash, TEST_PASSWORD)).toBe(false);
    const event = (await eventsFor(user.id)).find((e) => e.action === 'user.password_reset');
    expect(event).toBeDefined();
    expect(JSON.stringify(event)).not.toContain('another good passphrase');
  });

  it('checks strength against the person’s own name and email', async () => {
    const user = await makeUser(t.db, t.deps, { name: 'Bartholomew', email: 'bartholomew@example.org' });
    const err = await thrown(users.setPassword(t.db, t.deps, SYSTEM_CONTEXT, user.id, 'i-am-bartholomew-99'));
    expect((err as ValidationError).fields).toEqual({ password: 'Password must not contain your email address' });
    expect(await thrown(users.setPassword(t.db, t.deps, SYSTEM_CONTEXT, user.id, 'changeme1234'))).toBeInstanceOf(
      ValidationError,
    );
  });

  it('reports an unknown user as not found', async () => {
    const err = await thrown(users.setPassword(t.db, t.deps, SYSTEM_CONTEXT, '7d0e3a51-9a43-4e49-9a39-0f3c1a3f0000', 'x'));
    expect(err).toBeInstanceOf(NotFoundError);
  });
});

describe('viewUser', () => {
  it('returns the user and leaves a user.viewed event naming who looked', async () => {
    const admin = await makeUser(t.db, t.deps, { role: 'admin' });
    const user = await makeUser(t.db, t.deps);
    const ctx = { ...SYSTEM_CONTEXT, actorUserId: admin.id, actorLabel: admin.email };
    expect((await users.viewUser(t.db, t.deps, ctx, user.id)).id).toBe(user.id);
    const event = (await eventsFor(user.id)).find((e) => e.action === 'user.viewed');
    expect(event).toMatchObject({ actorUserId: admin.id, entityType: 'user' });
  });
});

describe('listUsers', () => {
  it('searches names and emails without case, treating % and _ as ordinary characters', async () => {
    const a = await makeUser(t.db, t.deps, { name: 'Zoë Percent', email: 'zoe_100%@example.org' });
    const b = await makeUser(t.db, t.deps, { name: 'Zoe Other', email: 'zoex100x@example.org' });
    const ids = async (search: string) => (await users.listUsers(t.db, { search }, 50)).items.map((u) => u.id);
    expect(await ids('ZOË')).toEqual([a.id]);
    expect(await ids('_100%')).toEqual([a.id]);
    expect(await ids('zoe')).toEqual([a.id, b.id]);
  });

  it('filters by role, team and status and pages by a cursor', async () => {
    const team = await makeTeam(t.db, t.deps);
    const a = await makeUser(t.db, t.deps, { email: 'a@example.org', role: 'manager', teamId: team.id });
    const b = await makeUser(t.db, t.deps, { email: 'b@example.org', role: 'manager' });
    const c = await makeUser(t.db, t.deps, { email: 'c@example.org', role: 'clinician' });
    await users.updateUser(t.db, t.deps, SYSTEM_CONTEXT, b.id, 1, { active: false });

    expect((await users.listUsers(t.db, { role: 'manager' }, 50)).items.map((u) => u.id)).toEqual([a.id, b.id]);
    expect((await users.listUsers(t.db, { teamId: team.id }, 50)).items).toMatchObject([{ id: a.id, teamName: team.name }]);
    expect((await users.listUsers(t.db, { active: false }, 50)).items.map((u) => u.id)).toEqual([b.id]);

    const first = await users.listUsers(t.db, {}, 2);
    expect(first.items.map((u) => u.id)).toEqual([a.id, b.id]);
    expect(first.nextCursor).toBe('b@example.org');
    const second = await users.listUsers(t.db, {}, 2, first.nextCursor!);
    expect(second).toMatchObject({ items: [{ id: c.id }], nextCursor: null });
  });
});

describe('password storage', () => {
  it('keeps only an argon2id hash at OWASP strength, never the password', async () => {
    const stored = await users.hashPassword('a-Long-passw0rd!');
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(stored).not.toContain('a-Long-passw0rd!');
    expect(await users.checkPassword(stored, 'a-Long-passw0rd!')).toBe(true);
    expect(await users.checkPassword(stored, 'a-Long-passw0rd?')).toBe(false);
    expect(await users.checkPassword(undefined, 'a-Long-passw0rd!')).toBe(false);
  });
});
