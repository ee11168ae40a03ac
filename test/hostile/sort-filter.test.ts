import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEmployer, makeParticipant, makeUser } from '../factories.ts';
import type { ErrorBody } from '../test-app.ts';
import { SQL_FRAGMENTS } from './arbitraries.ts';
import { type World, buildWorld, existingIds, fill, fingerprintQuery, pageRoutes, paramsOf, roleFor, routesOf } from './world.ts';

// Sort and filter parameters accept only listed values: an unknown column or direction is refused
// (400) or ignored (the default order), and never reaches the SQL.

let world: World;
let fingerprint: () => Promise<string>;
const UNKNOWN = ['password_hash', 'given_name; drop table participants', "name' --", '(select 1)', 'id desc', '1', '__proto__'];

interface Param {
  name: string;
  in: string;
  schema: { enum?: string[]; type?: string | string[] };
}
let apiLists: { url: string; params: Param[] }[] = [];
/** Page routes whose page offers a sort choice. */
const sortPages: { url: string; role: ReturnType<typeof roleFor>; path: string; fields: string[] }[] = [];

beforeAll(async () => {
  world = await buildWorld();
  fingerprint = await fingerprintQuery(world.t);
  const practitioner = await makeUser(world.t.db, world.t.deps, { role: 'practitioner', teamId: null });
  for (const name of ['Zed', 'Amy', 'Mo']) {
    await makeParticipant(world.t.db, world.t.deps, practitioner, { givenName: name });
    await makeEmployer(world.t.db, world.t.deps, practitioner, { name: `${name} Ltd` });
  }
  const doc = (await world.t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json<{
    paths: Record<string, Record<string, { parameters?: Param[] }>>;
  }>();
  apiLists = Object.entries(doc.paths)
    .filter(([, ops]) => ops.get?.parameters?.some((p) => p.name === 'limit'))
    .map(([path, ops]) => ({
      url: path.replace(/\{([^}]+)\}/g, ':$1'),
      params: (ops.get!.parameters ?? []).filter((p) => p.in === 'query'),
    }));
  for (const page of pageRoutes()) {
    const role = roleFor(page.rule);
    const values: Record<string, string> = {};
    for (const p of paramsOf(page.url)) values[p] = existingIds(world, page.url, p)[0] ?? 'none';
    if (Object.values(values).includes('none')) continue;
    const path = fill(page.url, values);
    const res = await world.t.app.inject({ method: 'GET', url: path, cookies: world.browsers.get(role)!.cookies });
    if (res.statusCode !== 200) continue;
    const fields = ['sort', 'direction', 'order'].filter((f) => res.body.includes(`name="${f}"`) || res.body.includes(`${f}=`));
    if (fields.length > 0) sortPages.push({ url: page.url, role, path, fields });
  }
}, 120_000);

afterAll(async () => {
  await world.t.close();
});

/** The record links a page lists, in order: what a sort changes. */
function order(html: string): string[] {
  return [...html.matchAll(/href="(\/[a-z-]+\/[0-9a-f-]{36})"/g)].map((m) => m[1]!);
}

describe('sort and filter parameters', () => {
  it('finds the list pages with a sort choice and the API lists', () => {
    expect(sortPages.map((p) => p.url)).toEqual(expect.arrayContaining(['/participants', '/employers']));
    expect(apiLists.length).toBeGreaterThan(10);
  });

  it('refuses or ignores an unknown sort column or direction on every list page', async () => {
    const problems: string[] = [];
    for (const page of sortPages) {
      const cookies = world.browsers.get(page.role)!.cookies;
      const plain = await world.t.app.inject({ method: 'GET', url: page.path, cookies });
      for (const field of page.fields) {
        for (const value of [...UNKNOWN, ...SQL_FRAGMENTS]) {
          const before = await fingerprint();
          const res = await world.t.app.inject({
            method: 'GET',
            url: `${page.path}?${new URLSearchParams({ [field]: value }).toString()}`,
            cookies,
          });
          const where = `${page.url}?${field}=${value}`;
          if (res.statusCode === 200) {
            if (JSON.stringify(order(res.body)) !== JSON.stringify(order(plain.body)))
              problems.push(`${where}: a different order`);
          } else if (res.statusCode !== 400) problems.push(`${where}: ${res.statusCode}`);
          if ((await fingerprint()) !== before) problems.push(`${where}: data changed`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('refuses an unknown sort, order or filter parameter, and a value outside a listed set, on every API list', async () => {
    const problems: string[] = [];
    const token = world.tokens.get('admin')!;
    for (const list of apiLists) {
      const rule = routesOf((m, u) => m === 'GET' && u === list.url)[0]!.rule;
      const auth = {
        authorization: `Bearer ${rule.kind === 'roles' && !rule.roles.includes('admin') ? world.tokens.get(roleFor(rule)) : token}`,
      };
      const values: Record<string, string> = {};
      for (const p of paramsOf(list.url))
        values[p] = existingIds(world, list.url, p)[0] ?? '00000000-0000-4000-8000-000000000000';
      const path = fill(list.url, values);
      const tries: [string, string][] = [
        ['sort', 'password_hash'],
        ['order', 'id desc; drop table users'],
        ['direction', 'sideways'],
        ['filter', "1=1 or ''='"],
        ['orderBy', 'created_at'],
      ];
      for (const p of list.params) if (p.schema.enum) tries.push([p.name, 'password_hash'], [p.name, "' or 1=1 --"]);
      for (const [name, value] of tries) {
        const res = await world.t.app.inject({
          method: 'GET',
          url: `${path}?${new URLSearchParams({ [name]: value }).toString()}`,
          headers: auth,
        });
        const fields = res.statusCode === 400 ? Object.keys(res.json<ErrorBody>().error.fields ?? {}) : [];
        if (res.statusCode !== 400 || !fields.includes(name))
          problems.push(`${list.url}?${name}=${value}: ${res.statusCode} ${fields.join(',')}`);
      }
      // Free-text filters take any text as a value, never as SQL.
      for (const p of list.params.filter((x) => !x.schema.enum && ['q', 'action', 'actor', 'entity_type'].includes(x.name))) {
        for (const value of SQL_FRAGMENTS) {
          const res = await world.t.app.inject({
            method: 'GET',
            url: `${path}?${new URLSearchParams({ [p.name]: value }).toString()}`,
            headers: auth,
          });
          if (res.statusCode !== 200 && res.statusCode !== 400)
            problems.push(`${list.url}?${p.name}=${value}: ${res.statusCode}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it("matches a free-text search literally: '%' and '_' are not wildcards, a quote is just a quote", async () => {
    const token = world.tokens.get('manager')!;
    const search = async (q: string) =>
      (
        await world.t.app.inject({
          method: 'GET',
          url: `/api/v1/participants?${new URLSearchParams({ q }).toString()}`,
          headers: { authorization: `Bearer ${token}` },
        })
      ).json<{ items: unknown[] }>().items.length;
    expect(await search("' or 1=1 --")).toBe(0);
    expect(await search('%')).toBe(0);
    expect(await search('_')).toBe(0);
  });
});
