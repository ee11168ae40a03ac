import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../src/users/roles.ts';
import { fill, formsOn, paramsOf, patternRegex } from '../hostile/world.ts';
import {
  ATTACKERS,
  type AttackWorld,
  buildAttackWorld,
  lastSeq,
  leakedBy,
  readableText,
  refusalsSince,
  send,
  snapshotOf,
} from './world.ts';

// Team A's people go after team B's person by id, through every page and API route that names a
// person or one of their records: reads and writes (with a body that would pass for a real one),
// each answered 403 or 404, showing nothing of the person, changing nothing of theirs, and leaving
// an `access.refused` event in the audit trail. The routes are read from the app, so a new route
// is attacked without anyone adding it here.

const PERSON_ROUTE = /^(\/api\/v1)?\/participants\/:id(\/|$)/;
// Routes named by one of the person's own records rather than the person.
const RECORD_ROUTE = /^(\/api\/v1)?\/(placements|appointments|access-to-work\/(awards|applications|claims))\/:id(\/|$)/;
const SEGMENT_PARAM: Record<string, string> = {
  placements: 'placements',
  appointments: 'appointments',
  awards: 'awards',
  applications: 'applications',
  claims: 'claims',
};

// A removal says which version it read and why (the API description has no body for DELETE).
const DELETE_BODY = { version: 1, reason: 'Attack test' };

let world: AttackWorld;
const formBodies = new Map<string, [string, string][]>();
const apiBodies = new Map<string, Record<string, unknown>>();

type Route = { method: string; url: string };
const attacked = (): Route[] =>
  world.t.app.registeredRoutes
    .filter((r) => PERSON_ROUTE.test(r.url) || RECORD_ROUTE.test(r.url))
    .map(({ method, url }) => ({ method, url }));

/**
 * The route with side's ids in it: the person (or the record the route is named by) and any nested
 * record. A record the world does not make (an absence, an instruction task) gets a random id.
 */
function urlFor(route: Route, side: AttackWorld['a']): string {
  const values: Record<string, string> = {};
  const segments = route.url.split('/');
  for (const p of paramsOf(route.url)) {
    if (p === 'id') {
      const before = segments[segments.indexOf(':id') - 1] ?? '';
      const key = SEGMENT_PARAM[before];
      values.id = key ? (side.records[key] ?? crypto.randomUUID()) : side.person.id;
    } else values[p] = side.records[p] ?? crypto.randomUUID();
  }
  return fill(route.url, values);
}

type JsonSchema = {
  required?: string[];
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
};

type BodySchema = { required?: string[]; properties?: Record<string, JsonSchema>; oneOf?: BodySchema[]; anyOf?: BodySchema[] };

/** A value that would pass for a real one, so the request reaches the access check, not the validation. */
function plausible(name: string, schema: JsonSchema): unknown {
  if (name === 'place_kind') return 'community';
  const s = (schema.anyOf ?? schema.oneOf)?.find((x) => x.type !== 'null') ?? schema;
  if (s.const !== undefined) return s.const;
  if (s.enum && s.enum.length > 0) return s.enum[0];
  const type = Array.isArray(s.type) ? s.type.find((x) => x !== 'null') : s.type;
  if (name.endsWith('_id')) return world.a.records[`${name.slice(0, -3)}s`] ?? world.a.person.id;
  if (type === 'integer' || type === 'number') return name === 'version' ? 1 : name.includes('minutes') ? 60 : 2;
  if (type === 'boolean') return false;
  if (type === 'array') return [];
  if (type === 'object') return {};
  if (s.format === 'date' || name.endsWith('_date') || name.endsWith('_on')) return '2026-11-25';
  if (s.format === 'date-time' || name.endsWith('_at')) return '2026-11-25T10:00:00Z';
  return 'Attack test';
}

beforeAll(async () => {
  world = await buildAttackWorld();
  // Form bodies as team A's manager's own pages fill them in for team A's person.
  const writes = attacked().filter((r) => r.method !== 'GET' && !r.url.startsWith('/api/'));
  const patterns = writes.map((r) => ({ url: r.url, re: patternRegex(r.url) }));
  for (const page of attacked().filter((r) => r.method === 'GET' && !r.url.startsWith('/api/'))) {
    const res = await send(world, 'A:manager', 'GET', urlFor(page, world.a));
    if (res.statusCode !== 200 || !String(res.headers['content-type']).includes('html')) continue;
    for (const form of formsOn(res.body)) {
      const match = patterns.find((p) => p.re.test(form.action.split('?')[0] ?? ''));
      const fields = form.fields.filter(([k]) => k !== '_csrf');
      if (match && (formBodies.get(match.url)?.length ?? -1) < fields.length) formBodies.set(match.url, fields);
    }
  }
  // API bodies from the API description: every required field, with a plausible value.
  const doc = (await world.t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json<{
    paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: BodySchema }> } }>>;
  }>();
  for (const [path, ops] of Object.entries(doc.paths))
    for (const [method, op] of Object.entries(ops)) {
      const described = op.requestBody?.content?.['application/json']?.schema;
      // A choice of bodies (a claim submitted or paid): the first will do.
      const schema = described?.oneOf?.[0] ?? described?.anyOf?.[0] ?? described;
      const required = new Set([...(schema?.required ?? []), 'version']);
      apiBodies.set(
        `${method.toUpperCase()} ${path.replace(/\{([^}]+)\}/g, ':$1')}`,
        Object.fromEntries(
          Object.entries(schema?.properties ?? {})
            .filter(([name]) => required.has(name))
            .map(([name, s]) => [name, plausible(name, s)]),
        ),
      );
    }
}, 120_000);

afterAll(async () => {
  await world?.t.close();
});

describe('another team’s person, by id, as each role of team A', () => {
  it('attacks a route of every kind: pages and API, reads and writes, the person and their records', () => {
    const routes = attacked();
    expect(routes.length).toBeGreaterThan(80);
    for (const method of ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'])
      expect(
        routes.some((r) => r.method === method),
        method,
      ).toBe(true);
    // The forms really are filled in: most write pages gave a body to send.
    expect(formBodies.size).toBeGreaterThan(20);
  });

  it('names team B’s real records, which team B’s own manager can open: claims, workplace issues, redeployments', async () => {
    const pages = attacked().filter((r) => r.method === 'GET' && /:(claimId|issueId|rid)(\/|$)/.test(r.url));
    expect(pages.length).toBeGreaterThan(8);
    const opened: string[] = [];
    for (const page of [...pages, { method: 'GET', url: '/api/v1/access-to-work/claims/:id' }]) {
      const res = await send(world, 'B:manager', 'GET', urlFor(page, world.b));
      opened.push(`${page.url} ${res.statusCode}`);
    }
    expect(opened).toEqual([...pages, { url: '/api/v1/access-to-work/claims/:id' }].map((r) => `${r.url} 200`));
  });

  it('attacks as every role there is', () => {
    expect([...ATTACKERS].sort()).toEqual([...ROLES].sort());
  });

  it('refuses a manager of team A every read and change of team B’s person: refused, shows nothing, changes nothing, each refusal audited', () =>
    attackAs('manager'));
  it('refuses a practitioner of team A every read and change of team B’s person: refused, shows nothing, changes nothing, each refusal audited', () =>
    attackAs('practitioner'));
  it('refuses a clinician of team A every read and change of team B’s person: refused, shows nothing, changes nothing, each refusal audited', () =>
    attackAs('clinician'));
  it('refuses a commissioner every read and change of team B’s person: refused, shows nothing, changes nothing, each refusal audited', () =>
    attackAs('commissioner'));
  it('refuses an administrator every read and change of team B’s person: refused, shows nothing, changes nothing, each refusal audited', () =>
    attackAs('admin'));
});

/** Every route that names a person or their record, sent by one role of team A with team B's ids. */
async function attackAs(role: Role): Promise<void> {
  const who = `A:${role}`;
  const problems: string[] = [];
  const startSeq = await lastSeq(world);
  const snapshot = await snapshotOf(world, world.b.person.id);
  const expected: { requestId: string; route: Route; personRoute: boolean }[] = [];
  for (const route of attacked()) {
    const url = urlFor(route, world.b);
    const body = route.url.startsWith('/api/')
      ? (apiBodies.get(`${route.method} ${route.url}`) ?? (route.method === 'DELETE' ? DELETE_BODY : {}))
      : (formBodies.get(route.url) ?? []);
    const res = await send(world, who, route.method, url, body);
    const name = `${route.method} ${route.url}`;
    if (res.statusCode !== 403 && res.statusCode !== 404)
      problems.push(`${name}: answered ${res.statusCode} ${res.body.slice(0, 160)}`);
    const leaked = leakedBy(await readableText(res), world.b);
    if (leaked.length > 0) problems.push(`${name}: showed ${leaked.join(', ')}`);
    if (route.method !== 'GET' && (await snapshotOf(world, world.b.person.id)) !== snapshot)
      problems.push(`${name}: changed team B’s person’s records`);
    expected.push({ requestId: String(res.headers['x-request-id']), route, personRoute: PERSON_ROUTE.test(route.url) });
  }
  expect(await snapshotOf(world, world.b.person.id), 'team B’s person’s records after every read').toBe(snapshot);

  // Each refusal event is written before its answer is sent.
  const events = await refusalsSince(world, startSeq);
  const byRequest = new Map(events.map((e) => [e.requestId, e]));
  for (const { requestId, route, personRoute } of expected) {
    const event = byRequest.get(requestId);
    const name = `${route.method} ${route.url}`;
    if (!event) {
      problems.push(`${name}: no access.refused event`);
      continue;
    }
    if (event.actorUserId !== world.a.users.get(role)!.id) problems.push(`${name}: event names another actor`);
    if (event.details?.route !== route.url || event.details.method !== route.method)
      problems.push(`${name}: event details ${JSON.stringify(event.details)}`);
    if (personRoute && (event.entityType !== 'participant' || event.entityId !== world.b.person.id))
      problems.push(`${name}: event names ${event.entityType} ${event.entityId}, not team B’s person`);
    if (JSON.stringify(event.details).includes(world.b.person.familyName)) problems.push(`${name}: event holds a name`);
  }
  expect(problems).toEqual([]);
}
