import { randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { ACCESS_RULES, type AccessRule } from '../../src/http/access-rules.ts';
import type { Role } from '../../src/users/roles.ts';
import {
  TEST_PASSWORD,
  makeAppointment,
  makeContact,
  makeEmployer,
  makeJob,
  makeParticipant,
  makeProfile,
  makeReferral,
  makeSite,
  makeTeam,
  makeTokenUser,
  makeUser,
  makeVacancy,
} from '../factories.ts';
import { Browser, createTestApp, type TestApp } from '../test-app.ts';
import { TEST_DIALECT } from '../test-db.ts';

/**
 * A small, realistic world for the hostile-input suite: one team with a manager, a practitioner,
 * a clinician, an administrator and a commissioner (each signed in, each with an API token), and
 * a participant with a contact, a referral, a profile, an appointment and a job.
 */
export interface World {
  t: TestApp;
  browsers: Map<Role, Browser>;
  tokens: Map<Role, string>;
  ids: Record<string, string[]>;
  participantId: string;
  employerId: string;
  contactId: string;
}

const ROLE_PREFERENCE: Role[] = ['manager', 'practitioner', 'admin', 'clinician', 'commissioner'];

/** A signed-in role that the route's rule allows (the broadest one), or null for public routes. */
export function roleFor(rule: AccessRule): Role {
  if (rule.kind !== 'roles') return 'manager';
  return ROLE_PREFERENCE.find((r) => rule.roles.includes(r))!;
}

export async function buildWorld(): Promise<World> {
  const t = await createTestApp();
  const team = await makeTeam(t.db, t.deps);
  const browsers = new Map<Role, Browser>();
  const tokens = new Map<Role, string>();
  const users = new Map<Role, Awaited<ReturnType<typeof makeUser>>>();
  for (const role of ROLE_PREFERENCE) {
    const teamId = role === 'admin' || role === 'commissioner' ? null : team.id;
    const { user, token } = await makeTokenUser(t.db, t.deps, role, teamId);
    users.set(role, user);
    tokens.set(role, token);
    const b = new Browser(t.app);
    const res = await b.signIn(user.email, TEST_PASSWORD);
    if (res.statusCode !== 302) throw new Error(`sign-in failed for ${role}`);
    await b.get('/account');
    browsers.set(role, b);
  }
  const practitioner = users.get('practitioner')!;
  const participant = await makeParticipant(t.db, t.deps, practitioner);
  const contact = await makeContact(t.db, t.deps, practitioner, participant.id, { notes: 'First meeting' });
  const referral = await makeReferral(t.db, t.deps, practitioner, participant.id);
  await makeProfile(t.db, t.deps, practitioner, participant.id, {});
  const appointment = await makeAppointment(t.db, t.deps, practitioner, participant.id);
  const employer = await makeEmployer(t.db, t.deps, practitioner);
  const vacancy = await makeVacancy(t.db, t.deps, practitioner, employer.id);
  const job = await makeJob(t.db, t.deps, practitioner, participant.id, { startDate: '2026-10-01' });
  const site = await makeSite(t.db, t.deps);
  const victim = await makeUser(t.db, t.deps, { role: 'practitioner', teamId: team.id });
  const ids: Record<string, string[]> = {
    participants: [participant.id],
    contacts: [contact.id],
    referrals: [referral.id],
    appointments: [appointment.id],
    employers: [employer.id],
    vacancies: [vacancy.id],
    placements: [job.id],
    sites: [site.id],
    teams: [team.id],
    users: [victim.id],
    coaches: [practitioner.id],
  };
  return { t, browsers, tokens, ids, participantId: participant.id, employerId: employer.id, contactId: contact.id };
}

const BY_SEGMENT: Record<string, string> = {
  participants: 'participants',
  placements: 'placements',
  employers: 'employers',
  vacancies: 'vacancies',
  appointments: 'appointments',
  users: 'users',
  teams: 'teams',
  sites: 'sites',
  cohorts: 'cohorts',
  'fidelity-reviews': 'fidelity_reviews',
  'task-analyses': 'task_analyses',
  awards: 'atw_awards',
  claims: 'atw_claims',
  applications: 'atw_applications',
  coaches: 'coaches',
};
const BY_PARAM: Record<string, string[]> = {
  referralId: ['referrals'],
  userId: ['coaches'],
  internId: ['cohort_interns'],
  rotationId: ['rotations'],
  departmentId: ['employer_departments'],
  actionId: ['fidelity_actions'],
  taskId: ['task_analyses'],
  applicationId: ['atw_applications'],
  awardId: ['atw_awards'],
  claimId: ['atw_claims'],
  itemId: ['employability_items'],
  issueId: ['workplace_issues'],
  absenceId: ['absences'],
  matchId: ['matches'],
  partId: ['employer_sites', 'employer_departments', 'employer_people'],
  rid: ['redeployments'],
};
/** Tables whose ids are read afresh from the database (records the suite's own requests made count too). */
const FROM_DB = [
  ...new Set(
    [...Object.values(BY_SEGMENT), ...Object.values(BY_PARAM).flat()].filter((t) => !['users', 'teams', 'coaches'].includes(t)),
  ),
  'employer_contacts',
  'contacts',
];

/** Re-reads the ids that exist now, a few of each kind. */
export async function refreshIds(world: World): Promise<void> {
  for (const table of FROM_DB) {
    const rows = await sql<{ id: string }>`select id from ${sql.table(table)} order by id limit 3`
      .execute(world.t.db)
      .catch(() => ({ rows: [] }));
    const ids = rows.rows.map((r) => String(r.id));
    if (ids.length > 0) world.ids[table] = [...new Set([...(world.ids[table] ?? []).slice(0, 1), ...ids])];
  }
}

/** The ids that exist for a path parameter, judged by its name and the path segment before it. */
export function existingIds(world: World, url: string, param: string): string[] {
  if (param === 'contactId') return world.ids[url.startsWith('/employer-contacts') ? 'employer_contacts' : 'contacts'] ?? [];
  const segments = url.split('/');
  const at = segments.indexOf(`:${param}`);
  const before = at > 0 ? segments[at - 1]! : '';
  const tables = param === 'id' ? [BY_SEGMENT[before] ?? ''] : (BY_PARAM[param] ?? []);
  return tables.flatMap((t) => world.ids[t] ?? []);
}

/** The route patterns the suite walks, from the central access table. */
export function routesOf(filter: (method: string, url: string) => boolean): { method: string; url: string; rule: AccessRule }[] {
  return Object.entries(ACCESS_RULES)
    .map(([key, rule]) => {
      const [method, url] = key.split(' ') as [string, string];
      return { method, url, rule };
    })
    .filter((r) => filter(r.method, r.url));
}

/** Path parameters of a route pattern, in order. */
export function paramsOf(url: string): string[] {
  return [...url.matchAll(/:([A-Za-z_]+)/g)].map((m) => m[1]!);
}

/** A route pattern with its parameters filled in (already percent-encoded). */
export function fill(url: string, values: Record<string, string>): string {
  return url.replace(/:([A-Za-z_]+)/g, (_, p: string) => values[p] ?? randomUUID());
}

const NOT_DATA = new Set([
  'audit_events',
  'audit_head',
  'sessions',
  'idempotency_keys',
  'sign_in_throttle',
  'api_tokens',
  'kysely_migration',
  'kysely_migration_lock',
]);

/**
 * A cheap fingerprint of every data table: its row count and latest `updated_at`. The audit
 * trail, sessions, idempotency keys and sign-in throttle are left out: a refused request may
 * rightly write to those.
 */
export async function fingerprintQuery(t: TestApp): Promise<() => Promise<string>> {
  const columns =
    TEST_DIALECT === 'sqlite'
      ? (
          await sql<{ t: string; c: string }>`
            select m.name as t, p.name as c from sqlite_master m join pragma_table_info(m.name) p
            where m.type = 'table' and m.name not like 'sqlite_%'`.execute(t.db)
        ).rows
      : (
          await sql<{ t: string; c: string }>`
            select table_name as t, column_name as c from information_schema.columns
            where table_schema = current_schema()`.execute(t.db)
        ).rows;
  const tables = new Map<string, boolean>();
  for (const { t: table, c } of columns) {
    if (NOT_DATA.has(table) || !/^[a-z_0-9]+$/.test(table)) continue;
    tables.set(table, (tables.get(table) ?? false) || c === 'updated_at');
  }
  if (tables.size < 20) throw new Error(`only ${tables.size} tables found`);
  const text = [...tables]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(
      ([table, hasUpdated]) =>
        `select '${table}' as t, count(*) as n, ${hasUpdated ? 'max(updated_at)' : 'null'} as u from ${table}`,
    )
    .join(' union all ');
  const query = sql.raw<{ t: string; n: unknown; u: unknown }>(text);
  return async () => {
    const rows = (await query.execute(t.db)).rows;
    return rows.map((r) => `${r.t}:${String(r.n)}:${String(r.u)}`).join('|');
  };
}

/** Object.prototype as it should stay: nothing a request sent may land on it. */
const PROTOTYPE_KEYS = Object.getOwnPropertyNames(Object.prototype).sort().join(',');
export function prototypePolluted(): string | null {
  const now = Object.getOwnPropertyNames(Object.prototype).sort().join(',');
  if (now !== PROTOTYPE_KEYS) return `Object.prototype now has ${now}`;
  const probe = {} as Record<string, unknown>;
  if (probe.polluted !== undefined) return 'Object.prototype.polluted is set';
  return null;
}

/** A one-line account of a response, for failure messages. */
export function describe(res: LightMyRequestResponse): string {
  return `${res.statusCode} ${res.body.slice(0, 300)}`;
}

/** Field names and sensible values of each form a page holds, keyed by the form's action. */
export function formsOn(html: string): { action: string; fields: [string, string][] }[] {
  const out: { action: string; fields: [string, string][] }[] = [];
  for (const m of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)) {
    const attrs = m[1]!;
    if (!/method="post"/i.test(attrs)) continue;
    const action = /action="([^"]*)"/.exec(attrs)?.[1]?.replace(/&amp;/g, '&') ?? '';
    const body = m[2]!;
    const fields: [string, string][] = [];
    for (const input of body.matchAll(/<input\b([^>]*)>/g)) {
      const a = input[1]!;
      const name = /name="([^"]+)"/.exec(a)?.[1];
      if (!name || name === '_idempotency_key') continue;
      const type = /type="([^"]+)"/.exec(a)?.[1] ?? 'text';
      const value = decode(/value="([^"]*)"/.exec(a)?.[1] ?? '');
      // As a browser sends it: a radio or checkbox only when it is ticked.
      if ((type === 'radio' || type === 'checkbox') && !/\bchecked\b/.test(a)) continue;
      fields.push([name, value]);
    }
    for (const ta of body.matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/g)) {
      const name = /name="([^"]+)"/.exec(ta[1]!)?.[1];
      if (name) fields.push([name, decode(ta[2]!.trim())]);
    }
    for (const sel of body.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/g)) {
      const name = /name="([^"]+)"/.exec(sel[1]!)?.[1];
      const options = [...sel[2]!.matchAll(/<option\b[^>]*value="([^"]*)"/g)].map((o) => decode(o[1]!));
      if (!name) continue;
      const selected = /<option\b[^>]*value="([^"]*)"[^>]*\bselected\b/.exec(sel[2]!)?.[1];
      fields.push([name, selected !== undefined ? decode(selected) : (options.find((o) => o !== '') ?? '')]);
    }
    out.push({ action, fields });
  }
  return out;
}

function decode(s: string): string {
  return s
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCharCode(Number(d)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** A regular expression matching concrete paths of a route pattern. */
export function patternRegex(url: string): RegExp {
  const escaped = url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:[A-Za-z_]+/g, '[^/?#]+');
  return new RegExp(`^${escaped}/?(?:[?#].*)?$`);
}

/** Page routes (GET, not the API, not static files). */
export function pageRoutes(): { method: string; url: string; rule: AccessRule }[] {
  return routesOf((method, url) => method === 'GET' && !url.startsWith('/api/') && !url.includes('*'));
}

// Form routes a warm-up post must leave alone: they end, remove or revoke something.
const DESTRUCTIVE =
  /delete|deactivate|revoke|retire|password|second-factor|sign-in|sign-out|setup|cancel|\/end$|close|did-not-attend/;

/**
 * A valid-looking body for each form route, read from the forms the pages show. The forms are
 * also posted once as they are (a warm-up), so that records the pages need (cohorts, reviews,
 * awards and so on) exist, and then read again.
 */
export async function formBaselines(
  world: World,
  formRoutes: readonly { url: string; rule: AccessRule }[],
): Promise<Map<string, [string, string][]>> {
  const baselines = new Map<string, [string, string][]>();
  const postPatterns = formRoutes.map((r) => ({ key: r.url, re: patternRegex(r.url) }));
  const scrape = async () => {
    for (const page of pageRoutes()) {
      const role = roleFor(page.rule);
      const values: Record<string, string> = {};
      for (const p of paramsOf(page.url)) values[p] = existingIds(world, page.url, p)[0] ?? 'none';
      if (Object.values(values).includes('none')) continue;
      const res = await world.t.app.inject({
        method: 'GET',
        url: fill(page.url, values),
        cookies: world.browsers.get(role)!.cookies,
      });
      if (res.statusCode !== 200 || !String(res.headers['content-type']).includes('html')) continue;
      for (const form of formsOn(res.body)) {
        const path = form.action.split('?')[0] ?? '';
        const match = postPatterns.find((p) => p.re.test(path));
        if (!match) continue;
        const fields = form.fields.filter(([k]) => k !== '_csrf');
        if ((baselines.get(match.key)?.length ?? -1) < fields.length) baselines.set(match.key, fields);
      }
    }
  };
  const warmUp = async () => {
    for (const route of formRoutes) {
      const fields = baselines.get(route.url);
      if (!fields || DESTRUCTIVE.test(route.url)) continue;
      const values: Record<string, string> = {};
      for (const p of paramsOf(route.url)) values[p] = existingIds(world, route.url, p)[0] ?? 'none';
      if (Object.values(values).includes('none')) continue;
      const browser = world.browsers.get(roleFor(route.rule))!;
      await world.t.app.inject({
        method: 'POST',
        url: fill(route.url, values),
        cookies: browser.cookies,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams([['_csrf', browser.csrf], ...fields]).toString(),
      });
    }
  };
  for (let round = 0; round < 2; round++) {
    await scrape();
    await warmUp();
    await refreshIds(world);
  }
  await scrape();
  return baselines;
}
