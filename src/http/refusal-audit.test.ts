import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { makeParticipant, makeTeam, makeUser } from '../../test/factories.ts';
import { type Browser, createTestApp, signedInAs, type TestApp } from '../../test/test-app.ts';
import type * as AuditService from '../audit/service.ts';
import { listEvents } from '../audit/service.ts';
import { refusedEntity } from './refusal-audit.ts';

// A refused request by a signed-in person leaves one `access.refused` event: who, which route
// (its pattern, never the address typed), the status and the record aimed at. An audit trail that
// cannot be written never turns the refusal into a server error.

const failing = vi.hoisted(() => ({ on: false }));
vi.mock('../audit/service.ts', async (importOriginal) => {
  const original = await importOriginal<typeof AuditService>();
  return {
    ...original,
    record: (async (...args) => {
      if (failing.on && args[3].action === 'access.refused') throw new Error('audit trail unavailable');
      return original.record(...args);
    }) satisfies typeof original.record,
  };
});

let t: TestApp;
let practitioner: Browser;
let practitionerId: string;
let otherTeamsPerson: string;

beforeAll(async () => {
  t = await createTestApp();
  const teamA = await makeTeam(t.db, t.deps);
  const teamB = await makeTeam(t.db, t.deps);
  const colleague = await makeUser(t.db, t.deps, { role: 'practitioner', teamId: teamB.id });
  otherTeamsPerson = (await makeParticipant(t.db, t.deps, colleague, { givenName: 'Ottoline', familyName: 'Pemberton-Vance' }))
    .id;
  const signedIn = await signedInAs(t, 'practitioner', teamA.id);
  practitioner = signedIn.browser;
  practitionerId = signedIn.user.id;
});
afterAll(async () => {
  await t.close();
});

/** The refusal event of a response (written before the response is sent). */
async function refusalOf(requestId: string) {
  const { items } = await listEvents(t.db, { action: 'access.refused' }, 50);
  return items.find((e) => e.requestId === requestId);
}

describe('refused requests in the audit trail', () => {
  it('records a 404 for another team’s person against that person, with the route pattern and no query string', async () => {
    const res = await practitioner.get(`/participants/${otherTeamsPerson}/contacts/new?name=Ottoline`);
    expect(res.statusCode).toBe(404);
    const event = await refusalOf(String(res.headers['x-request-id']));
    expect(event).toMatchObject({
      actorUserId: practitionerId,
      entityType: 'participant',
      entityId: otherTeamsPerson,
      details: { method: 'GET', route: '/participants/:id/contacts/new', status: 404, code: 'not_found' },
    });
    expect(JSON.stringify(event)).not.toMatch(/Ottoline|Pemberton|\?/);
  });

  it('records a 403 from the access rules, naming no record when the route has none', async () => {
    const res = await practitioner.get('/admin/users?q=secret');
    expect(res.statusCode).toBe(403);
    const event = await refusalOf(String(res.headers['x-request-id']));
    expect(event).toMatchObject({
      actorUserId: practitionerId,
      entityType: null,
      entityId: null,
      details: { method: 'GET', route: '/admin/users', status: 403, code: 'forbidden' },
    });
  });

  it('records nothing for someone not signed in, nor for an address that is no route', async () => {
    const { items: before } = await listEvents(t.db, { action: 'access.refused' }, 500);
    const anonymous = await t.app.inject({ method: 'GET', url: `/api/v1/participants/${otherTeamsPerson}` });
    expect(anonymous.statusCode).toBe(401);
    const nowhere = await practitioner.get('/no-such-page');
    expect(nowhere.statusCode).toBe(404);
    // A refusal that is recorded, to know the two above had time to be.
    const recorded = await practitioner.get('/admin/teams');
    expect(await refusalOf(String(recorded.headers['x-request-id']))).toBeDefined();
    const { items: after } = await listEvents(t.db, { action: 'access.refused' }, 500);
    expect(after.length - before.length).toBe(1);
  });

  it('still answers 404, not 500, when the audit trail cannot be written', async () => {
    failing.on = true;
    try {
      const res = await practitioner.get(`/participants/${otherTeamsPerson}`);
      expect(res.statusCode).toBe(404);
      expect(res.body).toContain('Page not found');
    } finally {
      failing.on = false;
    }
  });

  it('names the record a route is about only when its id is a record id', () => {
    const id = '0b8a3a4e-5d6f-4a7b-8c9d-0e1f2a3b4c5d';
    expect(refusedEntity('/api/v1/participants/:id/contacts/:contactId', { id, contactId: 'x' })).toEqual({
      entityType: 'participant',
      entityId: id,
    });
    expect(refusedEntity('/placements/:id/edit', { id })).toEqual({ entityType: 'placement', entityId: id });
    expect(refusedEntity('/participants/:id', { id: 'Ottoline Pemberton-Vance' })).toEqual({});
    expect(refusedEntity('/cohorts/:id/interns/:internId', { id: 'x' })).toEqual({});
    expect(refusedEntity('/reports/outcomes', {})).toEqual({});
  });
});
