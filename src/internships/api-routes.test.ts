import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type ErrorBody, type TestApp } from '../../test/test-app.ts';
import { makeEmployer, makeParticipant, makeTeam, makeTokenUser } from '../../test/factories.ts';
import { SYSTEM_CONTEXT } from '../audit/service.ts';
import * as employers from '../employers/service.ts';
import type { User } from '../users/service.ts';
import * as planning from './planning.ts';
import * as cohorts from './service.ts';

let t: TestApp;
let north: string;
let pat: User;
let token: string;
let hostId: string;

beforeEach(async () => {
  t = await createTestApp();
  north = (await makeTeam(t.db, t.deps, 'North Internships')).id;
  ({ user: pat, token } = await makeTokenUser(t.db, t.deps, 'practitioner', north));
  hostId = (await makeEmployer(t.db, t.deps, pat, { name: 'City Hospital Trust', type: 'host' })).id;
});
afterEach(async () => {
  await t.close();
});

const auth = (tok: string) => ({ authorization: `Bearer ${tok}` });
const viewer = () => ({ userId: pat.id, role: pat.role, teamId: pat.teamId });

async function call(method: 'GET' | 'POST' | 'PATCH', url: string, body?: unknown, tok = token) {
  return t.app.inject({
    method,
    url,
    headers: { ...auth(tok), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
  });
}

const COHORT = {
  name: 'City Hospital interns 2026/27',
  programme_year: '2026/27',
  start_date: '2026-09-01',
  end_date: '2027-07-09',
  education_provider: 'Leeds City College',
};

describe('the cohorts API', () => {
  it('creates a cohort for the caller’s team with its sites, and lists it', async () => {
    const site = await employers.saveSite(t.db, t.deps, SYSTEM_CONTEXT, viewer(), hostId, null, { name: 'St James’s' });
    const res = await call('POST', '/api/v1/cohorts', {
      ...COHORT,
      host_employer_id: hostId,
      tutor_user_id: pat.id,
      site_ids: [site.id],
    });
    expect(res.statusCode).toBe(201);
    const body = res.json<Record<string, unknown>>();
    expect(body).toMatchObject({
      name: 'City Hospital interns 2026/27',
      programme_year: '2026/27',
      host_employer_id: hostId,
      host_name: 'City Hospital Trust',
      team_id: north,
      tutor_user_id: pat.id,
      education_provider: 'Leeds City College',
      start_date: '2026-09-01',
      end_date: '2027-07-09',
      version: 1,
    });
    expect(res.headers.location).toBe(`/api/v1/cohorts/${body.id as string}`);
    const list = await call('GET', '/api/v1/cohorts?limit=1');
    expect(list.json()).toMatchObject({ items: [{ id: body.id, name: 'City Hospital interns 2026/27' }], next_cursor: null });
    const read = await call('GET', `/api/v1/cohorts/${body.id as string}`);
    expect(read.json()).toMatchObject({ site_ids: [site.id], coach_user_ids: [], rotations: [], interns: [] });
  });

  it('names each bad field', async () => {
    const res = await call('POST', '/api/v1/cohorts', {
      ...COHORT,
      programme_year: '2026',
      host_employer_id: 'nope',
      end_date: '2027-02-30',
    });
    expect(res.statusCode).toBe(400);
    const { error } = res.json<ErrorBody>();
    expect(error.code).toBe('validation_failed');
    expect(Object.keys(error.fields ?? {}).sort()).toEqual(['end_date', 'host_employer_id', 'programme_year']);
    const later = await call('POST', '/api/v1/cohorts', { ...COHORT, host_employer_id: hostId, end_date: '2026-08-01' });
    expect(later.statusCode).toBe(400);
    expect(later.json<ErrorBody>().error.fields?.end_date).toBe('End date must be after the start date');
  });

  it('reads a cohort with its rotations, placements, interns, outcome rate and clashes, auditing the read', async () => {
    const created = (await call('POST', '/api/v1/cohorts', { ...COHORT, host_employer_id: hostId })).json<{ id: string }>();
    const v = viewer();
    const person = await makeParticipant(t.db, t.deps, pat, { givenName: 'Sam', familyName: 'Okafor', programme: 'internship' });
    const intern = await cohorts.addIntern(t.db, t.deps, SYSTEM_CONTEXT, v, created.id, {
      participantId: person.id,
      ehcPlan: true,
    });
    const dept = await planning.saveDepartment(t.db, t.deps, SYSTEM_CONTEXT, v, created.id, null, {
      name: 'Pharmacy',
      siteId: null,
      capacity: 2,
      contact: null,
    });
    const plan = (await planning.rotationPlan(t.db, v, created.id)).rotations;
    const rotations = await planning.saveRotations(t.db, t.deps, SYSTEM_CONTEXT, v, created.id, plan);
    await planning.saveGrid(t.db, t.deps, SYSTEM_CONTEXT, v, created.id, [
      { internId: intern.id, rotationId: rotations[0]!.id, departmentId: dept.id },
      { internId: intern.id, rotationId: rotations[1]!.id, departmentId: dept.id },
    ]);
    const res = await call('GET', `/api/v1/cohorts/${created.id}`);
    expect(res.statusCode).toBe(200);
    const body = res.json<Record<string, unknown>>();
    expect(body.rotations).toEqual([
      {
        id: rotations[0]!.id,
        number: 1,
        start_date: '2026-09-01',
        end_date: rotations[0]!.endDate,
        placements: [{ intern_id: intern.id, participant_id: person.id, employer_department_id: dept.id }],
      },
      {
        id: rotations[1]!.id,
        number: 2,
        start_date: rotations[1]!.startDate,
        end_date: rotations[1]!.endDate,
        placements: [{ intern_id: intern.id, participant_id: person.id, employer_department_id: dept.id }],
      },
      { id: rotations[2]!.id, number: 3, start_date: rotations[2]!.startDate, end_date: '2027-07-09', placements: [] },
    ]);
    expect(body.interns).toEqual([
      {
        id: intern.id,
        participant_id: person.id,
        ehc_plan: true,
        status: 'active',
        outcome: null,
        meets_programme_outcome: false,
      },
    ]);
    expect(body.outcome_rate).toEqual({ graduates: 0, employed: 0, programme_outcomes: 0, rate_percent: null });
    expect(body.clashes).toEqual([
      {
        kind: 'same_department_twice',
        text: 'Sam Okafor is in Pharmacy in rotations 1 and 2',
        rotation_ids: [rotations[0]!.id, rotations[1]!.id],
        intern_id: intern.id,
        employer_department_id: dept.id,
      },
      {
        kind: 'no_placement',
        text: 'Sam Okafor has no department in rotation 3',
        rotation_ids: [rotations[2]!.id],
        intern_id: intern.id,
        employer_department_id: null,
      },
    ]);
    const audit = await t.db
      .selectFrom('audit_events')
      .select(['entity_id', 'details'])
      .where('action', '=', 'cohort.viewed')
      .execute();
    expect(audit.map((a) => a.entity_id)).toEqual([created.id]);
  });

  it('changes a cohort with the version read, and refuses a stale version with 409', async () => {
    const created = (await call('POST', '/api/v1/cohorts', { ...COHORT, host_employer_id: hostId })).json<{ id: string }>();
    const res = await call('PATCH', `/api/v1/cohorts/${created.id}`, {
      version: 1,
      name: 'Hospital interns',
      tutor_user_id: pat.id,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ name: 'Hospital interns', tutor_user_id: pat.id, start_date: '2026-09-01', version: 2 });
    const stale = await call('PATCH', `/api/v1/cohorts/${created.id}`, { version: 1, name: 'Trust interns' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json<ErrorBody>().error.code).toBe('conflict');
    expect((await call('GET', `/api/v1/cohorts/${created.id}`)).json()).toMatchObject({ name: 'Hospital interns', version: 2 });
    const missing = await call('PATCH', `/api/v1/cohorts/${created.id}`, { name: 'No version' });
    expect(missing.statusCode).toBe(400);
  });

  it('answers 404 to a practitioner of another team, and 403 to clinicians, commissioners and admins', async () => {
    const created = (await call('POST', '/api/v1/cohorts', { ...COHORT, host_employer_id: hostId })).json<{ id: string }>();
    const south = (await makeTeam(t.db, t.deps, 'South')).id;
    const other = await makeTokenUser(t.db, t.deps, 'practitioner', south);
    expect((await call('GET', `/api/v1/cohorts/${created.id}`, undefined, other.token)).statusCode).toBe(404);
    expect((await call('PATCH', `/api/v1/cohorts/${created.id}`, { version: 1, name: 'Mine' }, other.token)).statusCode).toBe(
      404,
    );
    expect((await call('GET', '/api/v1/cohorts', undefined, other.token)).json()).toEqual({ items: [], next_cursor: null });
    for (const role of ['clinician', 'commissioner', 'admin'] as const) {
      const u = await makeTokenUser(t.db, t.deps, role, north);
      expect((await call('GET', '/api/v1/cohorts', undefined, u.token)).statusCode).toBe(403);
      expect((await call('GET', `/api/v1/cohorts/${created.id}`, undefined, u.token)).statusCode).toBe(403);
    }
  });

  it('is described in openapi.json', async () => {
    const doc = (await call('GET', '/api/v1/openapi.json')).json<{ paths: Record<string, Record<string, unknown>> }>();
    expect(Object.keys(doc.paths['/api/v1/cohorts'] ?? {}).sort()).toEqual(['get', 'post']);
    expect(Object.keys(doc.paths['/api/v1/cohorts/{id}'] ?? {}).sort()).toEqual(['get', 'patch']);
  });
});
