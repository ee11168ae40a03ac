import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BodyKind,
  FREE_TEXT,
  Entries,
  SEED,
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
  routesOf,
} from './world.ts';

// Every API route gets generated hostile bodies and query strings with the bearer token of a
// role allowed to call it, with path ids that exist, that do not, and that are not ids at all.

const API_ROUTES = routesOf((_method, url) => url.startsWith('/api/'));
/** Generated requests per API route (see forms.test.ts for the total). */
const RUNS = Number(process.env.HOSTILE_API_RUNS ?? 18);
const WRITE_KINDS: BodyKind[] = ['json', 'json', 'json', 'json', 'raw-json', 'form', 'none'];

let world: World;
let fingerprint: () => Promise<string>;
type JsonSchema = {
  required?: string[];
  type?: string | string[];
  enum?: unknown[];
  format?: string;
  properties?: Record<string, JsonSchema>;
  anyOf?: JsonSchema[];
};
const bodies = new Map<string, [string, unknown][]>();
const queries = new Map<string, [string, unknown][]>();

/** A plausible value for a field, so the hostile changes land among otherwise valid ones. */
function plausible(name: string, schema: JsonSchema): unknown {
  if (schema.enum && schema.enum.length > 0) return schema.enum[0];
  const s = schema.anyOf?.find((x) => x.type !== 'null') ?? schema;
  const type = Array.isArray(s.type) ? s.type.find((x) => x !== 'null') : s.type;
  if (s.enum && s.enum.length > 0) return s.enum[0];
  if (name.endsWith('_id')) {
    const table = `${name.slice(0, -3)}s`.replace(/ys$/, 'ies');
    return (world.ids[table] ?? world.ids.coaches)![0];
  }
  if (type === 'integer' || type === 'number') return name === 'version' ? 1 : 2;
  if (type === 'boolean') return false;
  if (type === 'array') return [];
  if (type === 'object') return {};
  if (s.format === 'date' || name.endsWith('_date')) return '2026-11-25';
  if (s.format === 'date-time' || name.endsWith('_at')) return '2026-11-25T10:00:00Z';
  return 'Hostile test';
}

beforeAll(async () => {
  world = await buildWorld();
  // Forms are posted once as they are, so records that API paths need exist.
  await formBaselines(
    world,
    routesOf((method, url) => method === 'POST' && !url.startsWith('/api/') && url !== '/sign-out'),
  );
  fingerprint = await fingerprintQuery(world.t);
  const doc = (await world.t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json<{
    paths: Record<
      string,
      Record<
        string,
        {
          requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
          parameters?: { name: string; in: string; schema: JsonSchema }[];
        }
      >
    >;
  }>();
  for (const [path, ops] of Object.entries(doc.paths)) {
    const url = path.replace(/\{([^}]+)\}/g, ':$1');
    for (const [method, op] of Object.entries(ops)) {
      const key = `${method.toUpperCase()} ${url}`;
      const schema = op.requestBody?.content?.['application/json']?.schema;
      const required = new Set(schema?.required ?? []);
      // The required fields and the free-text ones: fewer guesses, so more bodies are valid but for the hostile part.
      bodies.set(
        key,
        Object.entries(schema?.properties ?? {})
          .filter(([name]) => required.has(name) || FREE_TEXT.test(name))
          .map(([name, s]) => [name, plausible(name, s)]),
      );
      queries.set(
        key,
        (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => [p.name, plausible(p.name, p.schema)]),
      );
    }
  }
}, 240_000);

afterAll(async () => {
  process.stdout.write(
    `hostile API: ${sent.count} generated requests, seed ${SEED}, statuses ${JSON.stringify(Object.fromEntries(sent.statuses))}\n`,
  );
  await world.t.close();
});

describe('hostile input to every API route', () => {
  it('reads body and query fields from the API description', () => {
    expect([...bodies.values()].filter((b) => b.length > 0).length).toBeGreaterThan(20);
    expect([...queries.values()].filter((q) => q.length > 0).length).toBeGreaterThan(5);
  });

  for (const route of API_ROUTES) {
    it(`${route.method} ${route.url}: never a 500, a refusal changes nothing`, async () => {
      const role = roleFor(route.rule);
      const token = world.tokens.get(role)!;
      const params = paramsOf(route.url);
      const key = `${route.method} ${route.url}`;
      const isRead = route.method === 'GET';
      const arbitrary = fc.record({
        body: hostileBody(isRead ? ['none'] : WRITE_KINDS),
        query: hostileBody(['form']),
        fuzzQuery: fc.boolean(),
        ids: fc.tuple(...params.map((p) => pathId(existingIds(world, route.url, p)))),
      });
      await fuzzRoute(key, arbitrary, RUNS, fingerprint, async (input) => {
        const values = Object.fromEntries(params.map((p, i) => [p, percentEncode(String(input.ids[i]))]));
        const baseQuery = queries.get(key) ?? [];
        const query = isRead || input.fuzzQuery ? toFormText(applyBody(baseQuery, input.query)) : '';
        const url = `${fill(route.url, values)}${query ? `?${query}` : ''}`;
        const headers: Record<string, string> = { authorization: `Bearer ${token}` };
        const common = { method: route.method as 'POST', url, headers };
        const fields = applyBody(bodies.get(key) ?? [], input.body);
        switch (input.body.kind) {
          case 'none':
            return world.t.app.inject(common);
          case 'raw-json':
            return world.t.app.inject({
              ...common,
              headers: { ...headers, 'content-type': 'application/json' },
              payload: input.body.raw,
            });
          case 'form':
            return world.t.app.inject({
              ...common,
              headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
              payload: toFormText(fields),
            });
          default:
            return world.t.app.inject({
              ...common,
              headers: { ...headers, 'content-type': 'application/json' },
              payload: toJsonText(new Entries(fields)),
            });
        }
      });
    });
  }
});
