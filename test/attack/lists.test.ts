import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allows, ruleFor } from '../../src/http/access-rules.ts';
import type { Role } from '../../src/users/roles.ts';
import { type AttackWorld, buildAttackWorld, leakedBy, readableText, send } from './world.ts';

// Team A's people look for team B's person where no id is needed: every list, search, dashboard,
// report, export and API list the app has (read from its routes), plain and with filters crafted
// to reach team B (its team, practitioner, manager and person's ids, the person's name and NHS
// number, sorting and filtering on columns that are not offered). None of it may show team B's
// person. Commissioners see no one at all, of either team.

let world: AttackWorld;

// Routes whose answer is not a list of people: static files, signing in and out, the set-up page.
const NOT_LISTS = /\*|^\/(sign-in|sign-out|setup|healthz|accessibility|privacy)|^\/api\/v1\/openapi\.json$|^\/calendar\//;
// The audit trail is the administrator's record of who did what, by record id; it is asked (for
// no 500) but not searched for the person.
const AUDIT_TRAIL = /^(\/admin\/audit|\/api\/v1\/audit-events)$/;
const ID_LIKE = /(^|_)(id|team|practitioner|owner|coach|user|participant|person|clinician|manager)s?(_id)?$/i;

/** The lists: GET routes with no id in their path that a role of team A may open. */
function lists(role: Role): string[] {
  return world.t.app.registeredRoutes
    .filter((r) => r.method === 'GET' && !r.url.includes(':') && !NOT_LISTS.test(r.url))
    .filter((r) => {
      const rule = ruleFor(r.method, r.url);
      return rule !== undefined && rule.kind === 'roles' && allows(rule, role);
    })
    .map((r) => r.url);
}

/** The filter names a list takes: its page's own GET forms, the API's query parameters, and the usual guesses. */
const filterNames = new Map<string, string[]>();
const GUESSES = ['q', 'search', 'team', 'team_id', 'practitioner', 'practitioner_id', 'owner', 'participant_id'];

async function namesFor(who: string, url: string): Promise<string[]> {
  const key = `${who} ${url}`;
  const known = filterNames.get(key);
  if (known) return known;
  const names = new Set<string>();
  const res = await send(world, who, 'GET', url);
  if (String(res.headers['content-type']).includes('html'))
    for (const form of res.body.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)) {
      if (/method="post"/i.test(form[1]!)) continue;
      for (const field of form[2]!.matchAll(/<(?:input|select|textarea)\b[^>]*\bname="([^"]+)"/g)) names.add(field[1]!);
    }
  const doc = apiQueries.get(url);
  if (doc) {
    // The API refuses a parameter it does not take, which would hide the others: only its own.
    names.clear();
    for (const n of doc) names.add(n);
  }
  const out = [...names];
  filterNames.set(key, out);
  return out;
}

/**
 * A list with filters of its own gets each crafted query; one without gets the usual filter names
 * all at once (it ignores what it does not take), to keep the sweep quick.
 */
function queriesFor(names: readonly string[]): string[] {
  if (names.length > 0) return craftedQueries(names);
  const [plain, ids, texts] = craftedQueries(GUESSES);
  return [plain ?? '', [ids, texts].filter(Boolean).join('&')];
}

const apiQueries = new Map<string, string[]>();

/** Query strings aimed at team B: its ids in the id-like filters, its person's name or NHS number in the rest. */
function craftedQueries(names: readonly string[]): string[] {
  const b = world.b;
  // Each id-like filter gets the team B id its name asks for.
  const idFor = (n: string) =>
    /team/i.test(n)
      ? b.teamId
      : /participant|person/i.test(n)
        ? b.person.id
        : /manager/i.test(n)
          ? b.users.get('manager')!.id
          : /clinic/i.test(n)
            ? b.clinicalTeamId
            : b.users.get('practitioner')!.id;
  const idNames = names.filter((n) => ID_LIKE.test(n));
  const textNames = names.filter((n) => !ID_LIKE.test(n) && !/sort|order|page|cursor|limit|from|to|date|week/i.test(n));
  const q = (pairs: [string, string][]) => new URLSearchParams(pairs).toString();
  return [
    '',
    q(idNames.map((n) => [n, idFor(n)])),
    q(textNames.map((n) => [n, /nhs/i.test(n) ? b.person.nhsNumber : b.person.familyName])),
    q([['q', b.person.nhsNumber]]),
    // Sorting and filtering on columns no list offers, a quoted fragment, the clinical team.
    q([
      ['sort', 'nhs_number'],
      ['order', "asc'; --"],
      ['filter[team_id]', b.teamId],
      ['team_id', b.clinicalTeamId],
      ['q', `${b.person.givenName}' OR '1'='1`],
    ]),
  ].filter((s, i, all) => all.indexOf(s) === i);
}

beforeAll(async () => {
  world = await buildAttackWorld();
  const doc = (await world.t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json<{
    paths: Record<string, Record<string, { parameters?: { name: string; in: string }[] }>>;
  }>();
  for (const [path, ops] of Object.entries(doc.paths))
    if (ops.get)
      apiQueries.set(
        path,
        (ops.get.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
      );
}, 120_000);

afterAll(async () => {
  await world?.t.close();
});

describe('lists, searches, reports and exports with filters crafted to reach team B', () => {
  it('finds the lists to attack: pages, API lists, reports and their downloads', () => {
    const all = lists('manager');
    expect(all).toEqual(expect.arrayContaining(['/participants', '/api/v1/participants', '/caseload', '/reports/outcomes.xlsx']));
    expect(lists('commissioner')).toContain('/reports/outcomes.csv');
  });

  it('lets team A’s manager find team A’s own person by the same crafted search (the search works)', async () => {
    const a = world.a.person;
    for (const filter of [{ q: a.familyName }, { nhs_number: a.nhsNumber }] as Record<string, string>[]) {
      const page = await send(world, 'A:manager', 'GET', `/participants?${new URLSearchParams(filter).toString()}`);
      expect(page.statusCode).toBe(200);
      expect(leakedBy(page.body, world.a)).toContain(a.id);
    }
  });

  it('shows a manager of team A nothing of team B’s person in any list, search, report or export', () => sweepAs('manager'));
  it('shows a practitioner of team A nothing of team B’s person in any list, search, report or export', () =>
    sweepAs('practitioner'));
  it('shows a clinician of team A nothing of team B’s person in any list, search, report or export', () => sweepAs('clinician'));
  it('shows a commissioner no person of either team in any report, export or list', () => sweepAs('commissioner'));
  it('shows an administrator nothing of team B’s person in any list, search, report or export', () => sweepAs('admin'));
});

/** Every list a role of team A may open, plain and with the crafted filters. */
async function sweepAs(role: Role): Promise<void> {
  const who = `A:${role}`;
  const problems: string[] = [];
  let requests = 0;
  for (const url of lists(role)) {
    const names = await namesFor(who, url);
    for (const query of queriesFor(names)) {
      const full = query ? `${url}?${query}` : url;
      const res = await send(world, who, 'GET', full);
      requests++;
      if (res.statusCode >= 500) problems.push(`${full}: ${res.statusCode}`);
      // The audit trail records ids, and what the administrator typed into its own filters.
      if (AUDIT_TRAIL.test(url)) continue;
      const text = await readableText(res);
      const leaked = leakedBy(text, world.b, query);
      // Commissioners see aggregates only: no one of team A either.
      if (role === 'commissioner') leaked.push(...leakedBy(text, world.a, query).map((m) => `team A’s ${m}`));
      if (leaked.length > 0) problems.push(`${full}: showed ${leaked.join(', ')}`);
    }
  }
  expect(requests).toBeGreaterThan(role === 'clinician' ? 10 : 20);
  expect(problems).toEqual([]);
}

describe('the private calendar feed', () => {
  async function feedFor(who: string): Promise<string> {
    const res = await send(world, who, 'POST', '/appointments/calendar-feed', []);
    const page = res.statusCode === 302 ? await send(world, who, 'GET', String(res.headers.location)) : res;
    const token = /\/calendar\/(swc_[A-Za-z0-9_-]+)\.ics/.exec(page.body)?.[1];
    if (!token) throw new Error(`no feed address for ${who}: ${res.statusCode}`);
    return token;
  }

  it('shows team A’s practitioner their own appointments and never team B’s', async () => {
    const token = await feedFor('A:practitioner');
    const res = await world.t.app.inject({ method: 'GET', url: `/calendar/${token}.ics` });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(world.a.records.appointments);
    expect(res.body).not.toContain(world.b.records.appointments);
    expect(leakedBy(res.body, world.b)).toEqual([]);
  });

  it('gives a made-up, altered or another person’s revoked token nothing', async () => {
    const token = await feedFor('B:practitioner');
    await send(world, 'B:practitioner', 'POST', '/appointments/calendar-feed/revoke', []);
    for (const guess of [
      `swc_${'A'.repeat(43)}`,
      `${token.slice(0, -1)}${token.endsWith('a') ? 'b' : 'a'}`,
      token,
      'swc_',
      '..%2F..%2Fetc%2Fpasswd',
    ]) {
      const res = await world.t.app.inject({ method: 'GET', url: `/calendar/${guess}.ics` });
      expect(res.statusCode, guess).toBe(404);
      expect(res.body).not.toContain('BEGIN:VCALENDAR');
      expect(res.body).not.toContain(world.b.records.appointments);
    }
  });
});
