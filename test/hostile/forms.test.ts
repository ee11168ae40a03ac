import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allows } from '../../src/http/access-rules.ts';
import {
  SEED,
  type BodyKind,
  Entries,
  applyBody,
  hostileBody,
  pathId,
  percentEncode,
  toFormText,
  toJsonText,
} from './arbitraries.ts';
import { fuzzRoute, sent } from './runner.ts';
import {
  type World,
  buildWorld,
  existingIds,
  fill,
  fingerprintQuery,
  formBaselines,
  paramsOf,
  roleFor,
  pageRoutes,
  routesOf,
} from './world.ts';

// Every form handler (a POST to a page route) gets generated hostile bodies, posted the way a
// browser would (with the session cookie and the CSRF token), and also as JSON, as a body that is
// not an object, and with path ids that exist, that do not, and that are not ids at all.

// Signing out would end the sessions the rest of the suite uses.
const FORM_ROUTES = routesOf((method, url) => method === 'POST' && !url.startsWith('/api/') && url !== '/sign-out');
const GET_PAGES = pageRoutes();
/** Generated requests per form route (with the pages and the API, about 5 000 a database: 10 000 a run over both). */
const RUNS = Number(process.env.HOSTILE_FORM_RUNS ?? 30);
const PAGE_RUNS = Number(process.env.HOSTILE_PAGE_RUNS ?? 6);
const KINDS: BodyKind[] = ['form', 'form', 'form', 'json', 'raw-json'];

let world: World;
let fingerprint: () => Promise<string>;
/** A valid-looking body for each form route, read from the forms the pages show. */
const baselines = new Map<string, [string, string][]>();

beforeAll(async () => {
  world = await buildWorld();
  fingerprint = await fingerprintQuery(world.t);
  for (const [k, v] of await formBaselines(world, FORM_ROUTES)) baselines.set(k, v);
}, 180_000);

afterAll(async () => {
  process.stdout.write(
    `hostile forms: ${sent.count} generated requests, seed ${SEED}, statuses ${JSON.stringify(Object.fromEntries(sent.statuses))}\n`,
  );
  await world.t.close();
});

describe('hostile input to every form handler', () => {
  it('reads a baseline body for most form routes from the pages', () => {
    expect(baselines.size).toBeGreaterThan(FORM_ROUTES.length / 3);
  });

  for (const route of FORM_ROUTES) {
    it(`${route.method} ${route.url}: never a 500, a refusal changes nothing`, async () => {
      const role = roleFor(route.rule);
      const browser = world.browsers.get(role)!;
      const params = paramsOf(route.url);
      const arbitrary = fc.record({
        body: hostileBody(KINDS),
        ids: fc.tuple(...params.map((p) => pathId(existingIds(world, route.url, p)))),
        csrf: fc.constantFrom('good', 'good', 'good', 'good', 'good', 'good', 'good', 'good', 'missing', 'wrong'),
      });
      const baseline = baselines.get(route.url) ?? [];
      await fuzzRoute(route.method + ' ' + route.url, arbitrary, RUNS, fingerprint, async (input) => {
        const values = Object.fromEntries(params.map((p, i) => [p, percentEncode(String(input.ids[i]))]));
        const url = fill(route.url, values);
        const token = input.csrf === 'good' ? browser.csrf : input.csrf === 'wrong' ? 'not-the-token' : null;
        const fields = applyBody(baseline, input.body);
        if (token !== null) fields.unshift(['_csrf', token]);
        const common = { method: 'POST' as const, url, cookies: browser.cookies };
        if (input.body.kind === 'raw-json')
          return world.t.app.inject({
            ...common,
            headers: { 'content-type': 'application/json', ...(token ? { 'x-csrf-token': token } : {}) },
            payload: input.body.raw,
          });
        if (input.body.kind === 'json')
          return world.t.app.inject({
            ...common,
            headers: { 'content-type': 'application/json' },
            payload: toJsonText(new Entries(fields)),
          });
        return world.t.app.inject({
          ...common,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          payload: toFormText(fields),
        });
      });
    });
  }

  for (const route of GET_PAGES) {
    it(`GET ${route.url} with a hostile query: never a 500`, async () => {
      const role = roleFor(route.rule);
      expect(allows(route.rule, role) || route.rule.kind !== 'roles').toBe(true);
      const browser = world.browsers.get(role)!;
      const params = paramsOf(route.url);
      const arbitrary = fc.record({
        body: hostileBody(['form']),
        ids: fc.tuple(...params.map((p) => pathId(existingIds(world, route.url, p)))),
      });
      await fuzzRoute(`GET ${route.url}`, arbitrary, PAGE_RUNS, fingerprint, async (input) => {
        const values = Object.fromEntries(params.map((p, i) => [p, percentEncode(String(input.ids[i]))]));
        const query = toFormText(
          applyBody(
            ['sort', 'direction', 'order', 'page', 'q', 'status', 'filter', 'limit', 'cursor', 'from', 'to'].map((k) => [k, '']),
            input.body,
          ),
        );
        return world.t.app.inject({ method: 'GET', url: `${fill(route.url, values)}?${query}`, cookies: browser.cookies });
      });
    });
  }
});
