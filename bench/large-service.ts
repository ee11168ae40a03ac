// The synthetic large service (`npm run bench:data`, issue 11): teams of practitioners with
// caseloads near 20 and years of history behind them, employers, vacancies, placements and a few
// matches, all from one seed. Rows are built whole, as src/db/types.ts describes them and as the
// services would have written them (status history, derived out-of-hours flag, profile JSON),
// then written in bulk (bench/bulk.ts).
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { databaseTarget, type DatabaseTarget } from '../src/config.ts';
import { createDb } from '../src/db/create-db.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { isBankHoliday, londonTime } from '../src/calendar/bank-holidays.ts';
import { EMPLOYER_CONTACT_PURPOSES, EMPLOYER_SIZES, employerNameKey } from '../src/employers/rules.ts';
import { searchNameOf } from '../src/participants/rules.ts';
import { EMPTY_PROFILE } from '../src/profiles/rules.ts';
import { hashPassword } from '../src/users/service.ts';
import { type BulkWriter, type Row, type TableName, openWriter } from './bulk.ts';
import { BENCH_PASSWORD, SCALE_1, benchEmail, benchTarget } from './fixtures.ts';
import {
  DAY_PATTERNS,
  EMPLOYER_KINDS,
  EMPLOYER_WORDS,
  FAMILY,
  GIVEN,
  JOBS,
  TIME_PATTERNS,
  TOWNS,
  at,
  profileData,
  rng,
} from './synthetic.ts';

export interface BenchDataOptions {
  target: DatabaseTarget;
  /** Multiplies every count of SCALE_1; fractions make small services for tests. */
  scale: number;
  seed: number;
  /** The day the service is "now": histories end the day before. */
  today: string;
  reset: boolean;
  log?: (line: string) => void;
}

/** Counts written, by table. */
export type BenchDataSummary = Record<string, number>;

/** Thrown when the database already holds data and --reset was not given. */
export class HoldsDataError extends Error {}

// ---- Small helpers: seeded ids, days and London wall-clock times

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** A version-4-shaped UUID from the seeded generator, so the same seed gives the same ids. */
function uuidFrom(random: () => number): () => string {
  const u32 = () => (random() * 4294967296) >>> 0;
  const hex4 = (n: number) => HEX[(n >>> 24) & 255]! + HEX[(n >>> 16) & 255]! + HEX[(n >>> 8) & 255]! + HEX[n & 255]!;
  return () => {
    const a = u32();
    const b = u32();
    const c = u32();
    const d = u32();
    const b2 = ((b & 0xffff0fff) | 0x00004000) >>> 0;
    const c2 = ((c & 0x3fffffff) | 0x80000000) >>> 0;
    const bh = hex4(b2);
    const ch = hex4(c2);
    return `${hex4(a)}-${bh.slice(0, 4)}-${bh.slice(4)}-${ch.slice(0, 4)}-${ch.slice(4)}${hex4(d)}`;
  };
}

const DAY_MS = 86_400_000;
const dayNumber = (day: string) => Math.floor(Date.parse(`${day}T00:00:00Z`) / DAY_MS);

/** Per calendar day (cached): its text, weekday, bank holiday and London's offset from UTC. */
class Calendar {
  private cache = new Map<number, { text: string; weekend: boolean; holiday: boolean; utcOffsetMinutes: number }>();
  of(day: number) {
    let d = this.cache.get(day);
    if (!d) {
      const noon = new Date(day * DAY_MS + 12 * 3_600_000);
      const t = londonTime(noon);
      // Clocks change at 01:00 UTC, so every time from 03:00 on has noon's offset.
      d = {
        text: noon.toISOString().slice(0, 10),
        weekend: t.weekday === 'Sat' || t.weekday === 'Sun',
        holiday: isBankHoliday(t.day),
        utcOffsetMinutes: (t.hour - 12) * 60 + t.minute,
      };
      this.cache.set(day, d);
    }
    return d;
  }
  text(day: number): string {
    return this.of(day).text;
  }
  /** The instant of a London wall-clock time (minutes after midnight, 03:00 or later) as the app stores it. */
  iso(day: number, minute: number): string {
    return new Date(day * DAY_MS + (minute - this.of(day).utcOffsetMinutes) * 60_000).toISOString();
  }
  /** Out of hours as the contacts service derives it (src/calendar/bank-holidays.ts isOutOfHours). */
  outOfHours(day: number, minute: number): boolean {
    const d = this.of(day);
    return d.weekend || d.holiday || minute < 8 * 60 || minute >= 18 * 60;
  }
}

/** The NHS number with this 9-digit stem and its Modulus 11 check digit, or null when the stem has none. */
function nhsNumber(stem: number): string | null {
  const digits = String(stem).padStart(9, '0');
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(digits[i]) * (10 - i);
  let check = 11 - (sum % 11);
  if (check === 11) check = 0;
  return check === 10 ? null : `${digits}${check}`;
}

// ---- What the people and their histories look like

const ACTIVE_STATUSES = [
  'engaged',
  'engaged',
  'engaged',
  'engaged',
  'engaged',
  'job_search',
  'job_search',
  'job_search',
  'job_search',
  'job_search',
  'job_search',
  'job_search',
  'employed',
  'employed',
  'employed',
  'employed',
  'employed',
  'employed',
  'referred',
  'referred',
] as const;
const SOURCES = [
  'clinical_team',
  'clinical_team',
  'clinical_team',
  'clinical_team',
  'clinical_team',
  'self',
  'self',
  'gp',
  'jobcentre',
  'other',
] as const;
const NOTES = [
  'Met at the library; talked through what kind of work they want next.',
  'Went over the vocational profile together and added their work history.',
  'Looked at vacancies online together; two to follow up.',
  'Phoned an employer on their behalf about the kitchen porter role.',
  'Checked in after their first week at work: going well, tired after late shifts.',
  'Benefits check: explained how hours affect Universal Credit.',
  'Spoke to their care coordinator about the plan for the next month.',
  'Practised answers for Thursday’s interview.',
  'Helped complete the application form and sent it off.',
  'Short text to confirm Tuesday’s meeting.',
  'Visited the workplace with them and met their line manager.',
  'Went through the rota and travel to the new job.',
];
const CLOSE_NOTES = ['Decided to focus on college for now.', 'Moved out of the area.', 'Not ready for work at the moment.'];
const WANTS = [
  'Part-time work in a kitchen, mornings',
  'A job outdoors, gardening or grounds',
  'Office work, ideally near home',
  'Anything with animals',
  'Retail, weekdays only',
  'Back into warehouse work',
  'Working in the hospital, portering or housekeeping',
];
const SKILLS = [
  'Good with customers',
  'Careful and thorough',
  'Forklift licence (expired)',
  'Cooking',
  'Computers',
  'Driving licence',
];
const END_REASONS = ['resigned', 'resigned', 'resigned', 'contract_end', 'contract_end', 'dismissed', 'redundancy'] as const;
const CONTRACTS = ['permanent', 'permanent', 'permanent', 'fixed_term', 'zero_hours', 'casual', 'apprenticeship'] as const;
const STAGES = [
  'prospect',
  'prospect',
  'prospect',
  'contacted',
  'contacted',
  'engaged',
  'engaged',
  'hiring_partner',
  'hiring_partner',
  'dormant',
] as const;
const SECTORS = [
  'Hospitality',
  'Retail',
  'Health and care',
  'Logistics',
  'Public sector',
  'Manufacturing',
  'Education',
  'Services',
];
const DEPARTMENTS = [
  'Catering',
  'Estates',
  'Portering',
  'Pharmacy stores',
  'Medical records',
  'Housekeeping',
  'Reception',
  'Laundry',
  'IT service desk',
  'Gardens',
];
const OPEN_MATCH_STAGES = [
  'suggested',
  'suggested',
  'discussed',
  'applied',
  'applied',
  'interview',
  'offer',
  'declined',
  'unsuccessful',
] as const;
const STAGE_PATH = ['suggested', 'discussed', 'applied', 'interview', 'offer', 'started'] as const;

interface Person {
  id: string;
  index: number;
  practitioner: number;
  active: boolean;
  status: 'referred' | 'engaged' | 'job_search' | 'employed' | 'discharged';
  programme: 'ips' | 'internship' | 'follow_on';
  start: number;
  /** The first contact, which moved them from referred to engaged; null when never engaged. */
  engaged: number | null;
  jobSearch: number | null;
  /** Last day of the episode (yesterday while still open). */
  end: number;
  referralClosed: boolean;
  placements: { id: string; start: number; end: number | null }[];
  contacts: number;
}

export function parseBenchDataArgs(argv: readonly string[]): { scale: number; seed: number; today: string; reset: boolean } {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      scale: { type: 'string', default: '1' },
      seed: { type: 'string', default: '20261125' },
      today: { type: 'string' },
      reset: { type: 'boolean', default: false },
    },
    allowPositionals: false,
  });
  const scale = Number(values.scale);
  if (!Number.isFinite(scale) || scale <= 0 || scale > 20)
    throw new Error('--scale must be a number above 0 (1 is the full size)');
  const seed = Number(values.seed);
  if (!Number.isInteger(seed)) throw new Error('--seed must be a whole number');
  const today = values.today ?? new Date().toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(today)) throw new Error('--today must be a date like 2026-11-25');
  return { scale, seed, today, reset: values.reset };
}

/** The large service's database target, named as the server would name it for that data folder. */
export function benchDataTarget(env: NodeJS.ProcessEnv = process.env): DatabaseTarget {
  const { dataDir, databaseUrl } = benchTarget(env);
  return databaseTarget(databaseUrl, path.resolve(dataDir));
}

/** The tables the migrations create, read from a throwaway in-memory database so the list never drifts. */
async function stepwiseTables(): Promise<string[]> {
  const handle = createDb({ kind: 'sqlite', file: ':memory:' });
  try {
    await migrateToLatest(handle.db);
    const { rows } = await sql<{ name: string }>`
      select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(handle.db);
    return rows.map((r) => r.name);
  } finally {
    await handle.destroy();
  }
}

type Probe = Pick<BulkWriter, 'db' | 'dialect'>;

async function existingTables({ db, dialect }: Probe): Promise<Set<string>> {
  const { rows } =
    dialect === 'sqlite'
      ? await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(db)
      : await sql<{
          name: string;
        }>`select table_name as name from information_schema.tables where table_schema = current_schema()`.execute(db);
  return new Set(rows.map((r) => r.name));
}

/** True when any Stepwise table has a row (the audit head's seed row aside). */
async function holdsData(probe: Probe, tables: readonly string[]): Promise<boolean> {
  const present = await existingTables(probe);
  for (const table of tables) {
    if (!present.has(table) || table === 'audit_head' || table.startsWith('kysely_')) continue;
    const { rows } = await sql`select 1 from ${sql.table(table)} limit 1`.execute(probe.db);
    if (rows.length > 0) return true;
  }
  return false;
}

/** Builds the large service into an empty (or, with reset, emptied) database. */
export async function buildLargeService(options: BenchDataOptions): Promise<BenchDataSummary> {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const started = performance.now();
  const ourTables = await stepwiseTables();
  const { target } = options;
  if (target.kind === 'sqlite' && options.reset) {
    for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${target.file}${suffix}`, { force: true });
  }
  if (target.kind === 'sqlite' && existsSync(target.file) && !options.reset) {
    // Looked at through the app's own connection first, so a half-written WAL is read too.
    const probe = createDb(target);
    try {
      if (await holdsData(probe, ourTables))
        throw new HoldsDataError(`${target.file} already holds data: run again with --reset to replace it`);
    } finally {
      await probe.destroy();
    }
  }
  const writer = openWriter(target);
  try {
    if (target.kind === 'postgres') {
      const present = await existingTables(writer);
      if (options.reset) {
        // Only the tables the migrations make (and Kysely's own two), never anything else in the database.
        const ours = [...ourTables, 'kysely_migration', 'kysely_migration_lock'].filter((t) => present.has(t));
        if (ours.length > 0) await sql`drop table ${sql.join(ours.map((t) => sql.table(t)))}`.execute(writer.db);
      } else if (await holdsData(writer, ourTables)) {
        throw new HoldsDataError('The database already holds data: run again with --reset to replace the Stepwise tables');
      }
    }
    await migrateToLatest(writer.db);
    log(`Migrated; building the service at scale ${options.scale} (seed ${options.seed}, today ${options.today})`);
    await generate(writer, options, log);
    const load = performance.now();
    await writer.finish(ourTables.filter((t) => t !== 'audit_head') as TableName[]);
    log(
      `Statistics gathered${writer.dialect === 'sqlite' ? ' and foreign keys checked' : ''} in ${((performance.now() - load) / 1000).toFixed(1)} s`,
    );
    const summary: BenchDataSummary = {};
    for (const table of SUMMARY_TABLES) {
      const { rows } = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(table)}`.execute(writer.db);
      summary[table] = Number(rows[0]?.n ?? 0);
    }
    log(`Done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return summary;
  } finally {
    await writer.destroy();
  }
}

const SUMMARY_TABLES = [
  'teams',
  'users',
  'participants',
  'participant_status_changes',
  'referrals',
  'referral_contact_attempts',
  'profile_versions',
  'contacts',
  'employers',
  'employer_sites',
  'employer_departments',
  'employer_people',
  'employer_contacts',
  'vacancies',
  'matches',
  'match_stage_changes',
  'placements',
] as const;

async function generate(writer: BulkWriter, options: BenchDataOptions, log: (line: string) => void): Promise<void> {
  const s = options.scale;
  const count = (n: number) => Math.max(1, Math.round(n * s));
  const stream = (k: number) => rng((options.seed * 977 + k * 7919) >>> 0);
  const cal = new Calendar();
  const today = dayNumber(options.today);
  const yesterday = today - 1;
  const serviceStart = today - 8 * 365;
  const newId = uuidFrom(stream(1));
  const random = stream(2);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const between = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const iso = (day: number, minute = 600) => cal.iso(day, minute);
  const record = (day: number, minute = 600) => {
    const t = iso(day, minute);
    return { id: newId(), created_at: t, updated_at: t, version: 1 };
  };
  let phase = performance.now();
  const done = (what: string) => {
    log(`${what} in ${((performance.now() - phase) / 1000).toFixed(1)} s`);
    phase = performance.now();
  };
  async function write<T extends TableName>(table: T, rows: readonly Row<T>[]): Promise<void> {
    for (let i = 0; i < rows.length; i += 5000) await writer.insert(table, rows.slice(i, i + 5000));
  }

  // ---- Teams and users. One password hash for everyone: argon2 is slow on purpose.
  const passwordHash = await hashPassword(BENCH_PASSWORD);
  const practitionerCount = count(SCALE_1.practitioners);
  const teamCount = Math.max(1, Math.ceil(practitionerCount / 10));
  const teams: Row<'teams'>[] = Array.from({ length: teamCount }, (_, t) => {
    const name = `IPS team ${t + 1} (${TOWNS[t % TOWNS.length]!.name})`;
    return { ...record(serviceStart), name, name_key: name.toLowerCase() };
  });
  const clinicalTeam: Row<'teams'> = {
    ...record(serviceStart),
    name: 'Community mental health team North',
    name_key: 'community mental health team north',
  };
  await write('teams', [...teams, clinicalTeam]);
  const user = (role: Parameters<typeof benchEmail>[0], n: number, teamId: string | null): Row<'users'> => ({
    ...record(serviceStart),
    email: benchEmail(role, n),
    name: `${pick(GIVEN)} ${pick(FAMILY)}`,
    role,
    team_id: teamId,
    active: 1,
    password_hash: passwordHash,
    // No second factor: the service-wide setting is left at its default (not required), so each
    // of these people signs in with the password alone.
    totp_secret: null,
    totp_enabled: 0,
    last_sign_in_at: null,
    contracted_hours_per_week: role === 'practitioner' ? pick([37.5, 37.5, 30, 22.5]) : null,
  });
  const practitioners = Array.from({ length: practitionerCount }, (_, p) =>
    user('practitioner', p + 1, teams[p % teamCount]!.id),
  );
  const managers = teams.map((t, i) => user('manager', i + 1, t.id));
  await write('users', [
    ...practitioners,
    ...managers,
    user('clinician', 1, clinicalTeam.id),
    user('commissioner', 1, null),
    user('admin', 1, null),
  ]);
  done(`${teamCount + 1} teams and ${practitionerCount + teamCount + 3} users`);

  // ---- Participants: about 20 active on each caseload, the rest closed history.
  const participantCount = Math.max(count(SCALE_1.participants), practitionerCount);
  const activeCount = Math.min(participantCount, 20 * practitionerCount);
  const people: Person[] = [];
  for (let i = 0; i < participantCount; i++) {
    const practitioner = i % practitionerCount;
    const active = i < activeCount;
    const programme = random() < 0.8 ? 'ips' : random() < 0.5 ? 'internship' : 'follow_on';
    const person: Person = {
      id: newId(),
      index: i,
      practitioner,
      active,
      status: 'discharged',
      programme,
      start: 0,
      engaged: null,
      jobSearch: null,
      end: yesterday,
      referralClosed: false,
      placements: [],
      contacts: 0,
    };
    if (active) {
      let status: Person['status'] = ACTIVE_STATUSES[Math.floor(i / practitionerCount) % 20]!;
      // practitioner1's whole caseload has contacts and a profile, for the benchmark's person pages.
      if (practitioner === 0 && status === 'referred') status = 'engaged';
      person.status = status;
      if (status === 'referred') person.start = today - between(2, 40);
      else {
        person.start = today - between(90, 3 * 365);
        person.engaged = person.start + between(2, 14);
        if (status !== 'engaged') person.jobSearch = person.engaged + between(14, 45);
        if (status === 'employed') {
          const start = Math.min(person.jobSearch! + between(20, 200), today - 7);
          person.placements.push({ id: newId(), start: Math.max(start, person.jobSearch! + 1), end: null });
        }
      }
    } else {
      person.start = between(serviceStart, today - 200);
      if (random() < 0.1) {
        person.referralClosed = true;
        person.end = person.start + between(10, 60);
      } else {
        person.end = Math.min(person.start + between(60, 730), today - 14);
        person.engaged = person.start + between(2, 14);
        if (random() < 0.75) person.jobSearch = Math.min(person.engaged + between(14, 60), person.end - 1);
      }
    }
    people.push(person);
  }

  // ---- Placements: every active employed person's current job, the rest spread over past episodes.
  const placementTarget = count(SCALE_1.placements);
  let placementCount = people.reduce((n, p) => n + p.placements.length, 0);
  const pool = people.filter((p) => !p.active && p.jobSearch !== null && p.end - p.jobSearch > 20);
  let needed = Math.max(0, placementTarget - placementCount);
  // Selection sampling: exactly `needed` of the pool, each equally likely.
  for (let k = 0; k < pool.length && needed > 0; k++) {
    if (random() * (pool.length - k) >= needed) continue;
    const p = pool[k]!;
    const start = p.jobSearch! + between(7, Math.max(7, Math.min(300, p.end - p.jobSearch! - 7)));
    // Some left the job before discharge; most were discharged still in work.
    const end = random() < 0.45 ? Math.min(start + between(14, 400), yesterday) : null;
    p.placements.push({ id: newId(), start, end });
    needed--;
    placementCount++;
  }
  for (const p of people) {
    if (p.placements.length > 0 && !p.active) p.status = 'discharged';
  }

  const participantRows: Row<'participants'>[] = [];
  const statusRows: Row<'participant_status_changes'>[] = [];
  const referralRows: Row<'referrals'>[] = [];
  const attemptRows: Row<'referral_contact_attempts'>[] = [];
  const profileRows: Row<'profile_versions'>[] = [];
  let nhsStem = 999_000_000 + Math.floor(random() * 1000) * 100;
  for (const p of people) {
    const practitionerId = practitioners[p.practitioner]!.id;
    const teamIndex = p.practitioner % teamCount;
    const given = pick(GIVEN);
    const family = `${pick(FAMILY)}${random() < 0.1 ? `-${pick(FAMILY)}` : ''}`;
    const preferred = random() < 0.08 ? given.slice(0, 3) : null;
    // Changes in order: referral, first contact, job search, job, discharge.
    const path: { to: Person['status']; day: number }[] = [{ to: 'referred', day: p.start }];
    if (p.engaged !== null && p.engaged <= p.end) path.push({ to: 'engaged', day: p.engaged });
    if (p.jobSearch !== null) path.push({ to: 'job_search', day: p.jobSearch });
    const firstJob = p.placements[0];
    if (firstJob && firstJob.start <= p.end) path.push({ to: 'employed', day: firstJob.start });
    if (!p.active) path.push({ to: 'discharged', day: p.end });
    let from: string | null = null;
    for (const step of path) {
      statusRows.push({
        id: newId(),
        participant_id: p.id,
        from_status: from,
        to_status: step.to,
        reason: step.to === 'discharged' && p.referralClosed ? 'Referral closed' : null,
        changed_at: iso(step.day, 600 + between(0, 420)),
        changed_by_user_id: practitionerId,
      });
      from = step.to;
    }
    if (!p.active) p.status = 'discharged';
    // Synthetic NHS numbers from the 999 range set aside for testing, each with a valid check digit.
    let stem: string | null = null;
    if (random() < 0.8) {
      do stem = nhsNumber(nhsStem++);
      while (stem === null);
    }
    const dob = today - between(18 * 365, 64 * 365);
    participantRows.push({
      id: p.id,
      created_at: iso(p.start, 600),
      updated_at: statusRows[statusRows.length - 1]!.changed_at,
      version: path.length,
      given_name: given,
      family_name: family,
      preferred_name: preferred,
      pronouns: random() < 0.2 ? pick(['she/her', 'he/him', 'they/them']) : null,
      date_of_birth: cal.text(dob),
      nhs_number: stem,
      phone: random() < 0.85 ? `07700 900${String(p.index % 1000).padStart(3, '0')}` : null,
      email: random() < 0.5 ? `person${p.index + 1}@example.org` : null,
      address:
        random() < 0.7
          ? `${between(1, 180)} ${pick(['High Street', 'Park Road', 'Church Lane', 'Mill Street', 'Station Road'])}, ${pick(TOWNS).name}`
          : null,
      preferred_contact_method: random() < 0.7 ? pick(['phone', 'text', 'email', 'letter', 'in_person']) : null,
      communication_needs:
        random() < 0.1 ? JSON.stringify([pick(['easy_read', 'interpreter', 'large_print', 'british_sign_language'])]) : '[]',
      communication_notes: null,
      programme: p.programme,
      status: p.status,
      practitioner_id: practitionerId,
      team_id: teams[teamIndex]!.id,
      linked_participant_id: null,
      search_name: searchNameOf({ givenName: given, familyName: family, preferredName: preferred }),
    });
    const source = p.programme === 'internship' ? 'education' : pick(SOURCES);
    const referralStatus = p.active ? 'open' : p.referralClosed ? 'closed' : 'ended';
    const closeReason = p.referralClosed ? (random() < 0.5 ? 'no_contact' : 'person_choice') : null;
    const referral: Row<'referrals'> = {
      ...record(p.start, 600),
      participant_id: p.id,
      source,
      referrer_name: source === 'self' ? null : `${pick(GIVEN)} ${pick(FAMILY)}`,
      referrer_organisation:
        source === 'clinical_team' ? clinicalTeam.name : source === 'gp' ? `${pick(TOWNS).name} Medical Practice` : null,
      referrer_contact: null,
      // The clinician's own team refers the first IPS team's people.
      clinical_team_id: source === 'clinical_team' && teamIndex === 0 ? clinicalTeam.id : null,
      care_coordinator: source === 'clinical_team' ? `${pick(GIVEN)} ${pick(FAMILY)}` : null,
      received_date: cal.text(p.start),
      accepted_date: cal.text(p.start + between(0, 2)),
      first_contact_date: p.engaged !== null ? cal.text(p.engaged) : null,
      what_they_want: random() < 0.7 ? pick(WANTS) : null,
      notes: null,
      in_work_at_referral: random() < 0.05 ? 1 : 0,
      status: referralStatus,
      closed_date: p.active ? null : cal.text(p.end),
      close_reason: closeReason,
      close_note: closeReason === 'person_choice' ? pick(CLOSE_NOTES) : null,
      created_by_user_id: practitionerId,
    };
    referral.updated_at = p.active ? referral.created_at : iso(p.end, 900);
    referral.version = p.active ? 1 : 2;
    referralRows.push(referral);
    // Failed attempts to reach them: three on different days before a no-contact closure.
    const attempts = closeReason === 'no_contact' ? 3 : p.status === 'referred' ? between(0, 2) : 0;
    for (let a = 0; a < attempts; a++) {
      const t = iso(p.start + 1 + a * 2, 600 + between(0, 360));
      attemptRows.push({
        id: newId(),
        referral_id: referral.id,
        attempted_at: t,
        method: pick(['phone', 'text', 'letter']),
        note: 'No answer',
        created_by_user_id: practitionerId,
        created_at: t,
      });
    }
    // A vocational profile for most people who engaged (all of practitioner1's caseload).
    if (p.engaged !== null && (random() < 0.85 || (p.active && p.practitioner === 0))) {
      const versions = random() < 0.3 ? 2 : 1;
      let data: Record<string, unknown> = {
        ...EMPTY_PROFILE,
        ...profileData(random),
        work_history: random() < 0.7 ? `Worked as a ${pick(JOBS).title.toLowerCase()} for ${between(1, 6)} years` : null,
        skills: pick(SKILLS),
        aspirations: pick(WANTS),
      };
      for (let v = 1; v <= versions; v++) {
        const day = Math.min(p.engaged + between(5, 30) * v, yesterday);
        if (v > 1) data = { ...data, hours_per_week_max: pick([16, 20, 25, 30]) };
        profileRows.push({
          id: newId(),
          participant_id: p.id,
          version: v,
          data: JSON.stringify(data),
          created_at: iso(day, 600 + between(0, 400)),
          created_by_user_id: practitionerId,
        });
      }
    }
  }
  await write('participants', participantRows);
  await write('participant_status_changes', statusRows);
  await write('referrals', referralRows);
  await write('referral_contact_attempts', attemptRows);
  await write('profile_versions', profileRows);
  done(
    `${participantRows.length} participants (${activeCount} active), referrals, status history and ${profileRows.length} profile versions`,
  );

  // ---- Employers with sites, departments and people; job development contacts over the past year.
  const employerCount = count(SCALE_1.employers);
  const employers = Array.from({ length: employerCount }, (_, i) => {
    const town = pick(TOWNS);
    const host = i === 0;
    const name = host
      ? 'Riverside Teaching Hospitals NHS Foundation Trust'
      : `${pick(EMPLOYER_WORDS)} ${pick(EMPLOYER_KINDS)} ${town.name} ${i + 1}`;
    const made = between(serviceStart, today - 30);
    const row: Row<'employers'> = {
      ...record(made),
      name,
      name_key: employerNameKey(name),
      type: host ? 'host' : random() < 0.1 ? 'supplier' : 'external',
      sector: random() < 0.8 ? pick(SECTORS) : null,
      size: host ? 'large' : random() < 0.8 ? pick(EMPLOYER_SIZES) : null,
      address:
        random() < 0.6
          ? `${between(1, 300)} ${pick(['Business Park', 'Market Street', 'Retail Park', 'Commercial Road'])}, ${town.name}`
          : null,
      postcode: null,
      ...at(town, random),
      website: random() < 0.4 ? `https://employer${i + 1}.example.org` : null,
      relationship_stage: host ? 'hiring_partner' : pick(STAGES),
      notes: null,
      created_by_user_id: practitioners[between(0, practitionerCount - 1)]!.id,
    };
    return { row, town };
  });
  const sites: Row<'employer_sites'>[] = [];
  const departments: Row<'employer_departments'>[] = [];
  const employerPeople: Row<'employer_people'>[] = [];
  const sitesOf = new Map<string, Row<'employer_sites'>[]>();
  const departmentsOf = new Map<string, Row<'employer_departments'>[]>();
  for (const [i, { row: e, town }] of employers.entries()) {
    const made = dayNumber(e.created_at.slice(0, 10));
    const own: Row<'employer_sites'>[] = Array.from({ length: i === 0 ? 5 : 1 + Math.floor(random() * 3) }, (_, k) => {
      const place = k === 0 ? town : pick(TOWNS);
      return {
        ...record(made),
        employer_id: e.id,
        name: k === 0 ? `${town.name} main site` : `${place.name} site ${k}`,
        address: null,
        postcode: null,
        ...at(place, random),
      };
    });
    sites.push(...own);
    sitesOf.set(e.id, own);
    if (i === 0 || (e.size !== 'micro' && random() < 0.15)) {
      const n = i === 0 ? DEPARTMENTS.length : between(2, 5);
      const deps: Row<'employer_departments'>[] = DEPARTMENTS.slice(0, n).map((name) => ({
        ...record(made),
        employer_id: e.id,
        name,
        employer_site_id: pick(own).id,
        intern_capacity: i === 0 ? between(1, 3) : null,
        intern_contact: i === 0 ? `${pick(GIVEN)} ${pick(FAMILY)}` : null,
      }));
      departments.push(...deps);
      departmentsOf.set(e.id, deps);
    }
    if (e.relationship_stage !== 'prospect' && random() < 0.7) {
      employerPeople.push({
        ...record(made),
        employer_id: e.id,
        name: `${pick(GIVEN)} ${pick(FAMILY)}`,
        job_title: pick(['Store manager', 'HR adviser', 'Head chef', 'Operations manager', 'Volunteer coordinator']),
        email: null,
        phone: null,
        notes: null,
      });
    }
  }
  await write(
    'employers',
    employers.map((e) => e.row),
  );
  await write('employer_sites', sites);
  await write('employer_departments', departments);
  await write('employer_people', employerPeople);
  const engagedEmployers = employers.map((e) => e.row).filter((e) => e.relationship_stage !== 'prospect');
  const employerPool = engagedEmployers.length > 0 ? engagedEmployers : employers.map((e) => e.row);
  const activeByPractitioner = new Map<number, Person[]>();
  for (const p of people)
    if (p.active && p.status === 'job_search')
      activeByPractitioner.set(p.practitioner, [...(activeByPractitioner.get(p.practitioner) ?? []), p]);
  const employerContacts: Row<'employer_contacts'>[] = [];
  // About four a week for each practitioner over the past year (IPS aims for six face to face).
  for (let k = 0; k < count(40_000); k++) {
    const practitioner = between(0, practitionerCount - 1);
    const day = yesterday - between(0, 364);
    const mode = pick(['face_to_face', 'face_to_face', 'face_to_face', 'phone', 'phone', 'email', 'video', 'event'] as const);
    const purpose = pick(EMPLOYER_CONTACT_PURPOSES);
    const behalf = purpose === 'on_behalf' ? activeByPractitioner.get(practitioner) : undefined;
    const t = iso(day, 540 + 15 * between(0, 30));
    employerContacts.push({
      id: newId(),
      created_at: t,
      updated_at: t,
      version: 1,
      employer_id: pick(employerPool).id,
      practitioner_id: practitioners[practitioner]!.id,
      participant_id: behalf && behalf.length > 0 ? pick(behalf).id : null,
      employer_person_id: null,
      contacted_at: t,
      mode,
      face_to_face: mode === 'face_to_face' || mode === 'event' ? 1 : 0,
      purpose,
      outcome:
        random() < 0.6
          ? pick([
              'Interested in meeting a candidate',
              'No vacancies now; call back in spring',
              'Agreed a trial shift',
              'Sent the job description',
            ])
          : null,
      next_step: null,
      next_step_due: null,
      deleted_at: null,
      deleted_by_user_id: null,
      delete_reason: null,
    });
  }
  await write('employer_contacts', employerContacts);
  done(
    `${employerCount} employers, ${sites.length} sites, ${departments.length} departments, ${employerContacts.length} employer contacts`,
  );

  // ---- Vacancies (open and closed), placements and matches.
  const vacancyCount = count(SCALE_1.vacancies);
  const vacancies: Row<'vacancies'>[] = [];
  for (let k = 0; k < vacancyCount; k++) {
    const job = pick(JOBS);
    const employer = pick(employerPool);
    const site = pick(sitesOf.get(employer.id)!);
    const department = departmentsOf.get(employer.id);
    const days = pick(DAY_PATTERNS);
    const [low, high] = job.pence;
    const roll = random();
    // Open (some past their closing date), filled or withdrawn.
    const status = roll < 0.65 ? 'open' : roll < 0.9 ? 'filled' : 'withdrawn';
    const made = status === 'open' ? today - between(0, 90) : today - between(30, 730);
    const changed = status === 'open' ? made : Math.min(made + between(7, 60), yesterday);
    const closing =
      status === 'open'
        ? random() < 0.15
          ? today - between(1, 30)
          : random() < 0.3
            ? null
            : today + between(0, 60)
        : made + between(14, 28);
    vacancies.push({
      ...record(made, 540 + between(0, 480)),
      updated_at: iso(changed, 600),
      version: status === 'open' ? 1 : 2,
      employer_id: employer.id,
      title: random() < 0.2 ? `${pick(['Part-time', 'Senior', 'Weekend', 'Trainee'])} ${job.title.toLowerCase()}` : job.title,
      occupation: random() < 0.85 ? job.occupation : null,
      employer_department_id: department && random() < 0.5 ? pick(department).id : null,
      employer_site_id: site.id,
      hours_per_week: random() < 0.9 ? pick(job.hours) : null,
      days,
      times: pick(TIME_PATTERNS),
      weekends: days.includes('sat') || days.includes('sun') || random() < 0.1 ? 1 : 0,
      hourly_pay_pence: random() < 0.9 ? low + Math.floor(random() * (high - low)) : null,
      place: random() < 0.3 ? site.name : null,
      latitude: null,
      longitude: null,
      start_date: random() < 0.3 ? cal.text(made + between(14, 75)) : null,
      closing_date: closing === null ? null : cal.text(closing),
      found_via: pick(['advertised', 'advertised', 'employer_relationship', 'created_with_employer']),
      check_required: job.check || random() < 0.05 ? 1 : 0,
      description: null,
      status,
      import_key: null,
      created_by_user_id: practitioners[between(0, practitionerCount - 1)]!.id,
    });
  }
  const filled = vacancies.filter((v) => v.status === 'filled');
  const open = vacancies.filter((v) => v.status === 'open' && (v.closing_date === null || v.closing_date >= options.today));
  const matches: Row<'matches'>[] = [];
  const stageChanges: Row<'match_stage_changes'>[] = [];
  const addMatch = (p: Person, vacancyId: string, stages: readonly string[], firstDay: number, lastDay: number) => {
    const practitionerId = practitioners[p.practitioner]!.id;
    const span = Math.max(1, lastDay - firstDay);
    const days = stages.map((_, k) => firstDay + Math.floor((span * k) / Math.max(1, stages.length - 1)));
    const match: Row<'matches'> = {
      ...record(firstDay, 660),
      updated_at: iso(days[days.length - 1]!, 700),
      version: stages.length,
      participant_id: p.id,
      vacancy_id: vacancyId,
      practitioner_id: practitionerId,
      stage: stages[stages.length - 1]!,
      score: between(35, 95),
      stage_changed_at: iso(days[days.length - 1]!, 700),
      notes: null,
      created_by_user_id: practitionerId,
    };
    matches.push(match);
    stages.forEach((stage, k) =>
      stageChanges.push({
        id: newId(),
        match_id: match.id,
        from_stage: k === 0 ? null : stages[k - 1]!,
        to_stage: stage,
        changed_at: k === 0 ? match.created_at : iso(days[k]!, 700),
        changed_by_user_id: practitionerId,
      }),
    );
    return match;
  };
  const placementRows: Row<'placements'>[] = [];
  let nextFilled = 0;
  for (const p of people) {
    for (const job of p.placements) {
      const vacancy = random() < 0.6 ? filled[nextFilled++] : undefined;
      let employerId: string;
      let title: string;
      let siteId: string | null;
      let departmentId: string | null = null;
      let matchId: string | null = null;
      if (vacancy) {
        // The vacancy this job filled: advertised shortly before it started.
        vacancy.created_at = iso(job.start - between(20, 45), 600);
        vacancy.updated_at = iso(job.start - 3, 600);
        vacancy.closing_date = cal.text(job.start - between(5, 15));
        vacancy.start_date = cal.text(job.start);
        employerId = vacancy.employer_id;
        title = vacancy.title;
        siteId = vacancy.employer_site_id;
        departmentId = vacancy.employer_department_id;
        if (random() < 0.4) matchId = addMatch(p, vacancy.id, STAGE_PATH, job.start - between(15, 40), job.start).id;
      } else {
        const employer = pick(employerPool);
        employerId = employer.id;
        title = pick(JOBS).title;
        siteId = pick(sitesOf.get(employer.id)!).id;
      }
      const end = job.end;
      placementRows.push({
        ...record(job.start, 540),
        updated_at: iso(end ?? job.start, 560),
        version: end === null ? 1 : 2,
        participant_id: p.id,
        employer_id: employerId,
        vacancy_id: vacancy?.id ?? null,
        match_id: matchId,
        practitioner_id: practitioners[p.practitioner]!.id,
        title,
        employer_department_id: departmentId,
        employer_site_id: siteId,
        start_date: cal.text(job.start),
        end_date: end === null ? null : cal.text(end),
        end_reason: end === null ? null : pick(END_REASONS),
        hours_per_week: vacancy?.hours_per_week ?? pick([12, 16, 20, 25, 30, 37.5]),
        hourly_pay_pence: vacancy?.hourly_pay_pence ?? between(1221, 1500),
        contract_type: pick(CONTRACTS),
        line_manager: random() < 0.7 ? `${pick(GIVEN)} ${pick(FAMILY)}` : null,
        open_to_anyone: 1,
        set_aside_for_disabled: random() < 0.05 ? 1 : 0,
      });
    }
  }
  // A few matches in progress for people looking for work, on distinct open vacancies.
  for (const p of people) {
    if (!p.active || p.status !== 'job_search' || open.length === 0) continue;
    const n = between(0, 3);
    const chosen = new Set<string>();
    for (let k = 0; k < n; k++) {
      const vacancy = pick(open);
      if (chosen.has(vacancy.id)) continue;
      chosen.add(vacancy.id);
      const last = pick(OPEN_MATCH_STAGES);
      const upTo =
        last === 'declined' || last === 'unsuccessful'
          ? [...STAGE_PATH.slice(0, between(1, 4)), last]
          : STAGE_PATH.slice(0, STAGE_PATH.indexOf(last) + 1);
      const first = Math.max(dayNumber(vacancy.created_at.slice(0, 10)), p.jobSearch ?? p.start);
      const firstDay = Math.min(first, yesterday);
      addMatch(p, vacancy.id, upTo, firstDay, Math.max(firstDay, yesterday - between(0, 10)));
    }
  }
  await write('vacancies', vacancies);
  await write('matches', matches);
  await write('match_stage_changes', stageChanges);
  await write('placements', placementRows);
  done(`${vacancies.length} vacancies (${open.length} open), ${placementRows.length} placements, ${matches.length} matches`);

  // ---- Contacts: the bulk. Spread over each engaged episode in proportion to its length, dated
  // on working days mostly (some evenings and weekends), written in caseload order.
  const contactTarget = count(SCALE_1.contacts);
  const weights = people.map((p) => (p.engaged !== null && p.engaged <= p.end ? p.end - p.engaged + 1 : 0));
  const totalWeight = weights.reduce((a, b) => a + b, 0);
  let cumulative = 0;
  let allotted = 0;
  people.forEach((p, i) => {
    cumulative += weights[i]!;
    const upTo = totalWeight === 0 ? 0 : Math.round((contactTarget * cumulative) / totalWeight);
    p.contacts = upTo - allotted;
    allotted = upTo;
  });
  const crandom = stream(3);
  const cpick = <T>(xs: readonly T[]): T => xs[Math.floor(crandom() * xs.length)]!;
  const contactId = uuidFrom(stream(4));
  const restore = await writer.withoutIndexes('contacts');
  const batch: Row<'contacts'>[] = [];
  // Small services still show ten progress lines.
  const batchSize = Math.min(10_000, Math.max(100, Math.ceil(allotted / 40)));
  const loadStart = performance.now();
  let written = 0;
  let nextReport = 1;
  const flush = async () => {
    await writer.insert('contacts', batch);
    written += batch.length;
    batch.length = 0;
    while (allotted > 0 && written >= (nextReport * allotted) / 10) {
      const seconds = (performance.now() - loadStart) / 1000;
      log(
        `  contacts ${nextReport * 10}%: ${written.toLocaleString('en-GB')} rows, ${Math.round(written / seconds).toLocaleString('en-GB')} rows/s`,
      );
      nextReport++;
    }
  };
  const times: number[] = [];
  for (const p of people) {
    if (p.contacts === 0) continue;
    const practitionerId = practitioners[p.practitioner]!.id;
    const first = p.engaged!;
    const span = p.end - first + 1;
    times.length = 0;
    for (let k = 0; k < p.contacts; k++) {
      let day = k === 0 ? first : first + Math.floor(crandom() * span);
      // Most weekend days move to a weekday of the same week (or the next, near the episode's
      // start); about a quarter stay as weekend contacts. The first contact stays where it is: it
      // is the referral's date of first contact.
      if (k > 0 && cal.of(day).weekend && crandom() < 0.75) {
        const saturday = cal.of(day + 1).weekend;
        const weekday = Math.floor(crandom() * 5);
        const back = day - (saturday ? 1 : 2) - weekday;
        const ahead = day + (saturday ? 2 : 1) + weekday;
        if (back >= first) day = back;
        else if (ahead <= p.end) day = ahead;
      }
      const minute = crandom() < 0.9 ? 540 + 15 * Math.floor(crandom() * 32) : 1080 + 15 * Math.floor(crandom() * 10);
      times.push(day * 1440 + minute);
    }
    times.sort((a, b) => a - b);
    for (const when of times) {
      const day = Math.floor(when / 1440);
      const minute = when % 1440;
      const job = p.placements.find((j) => j.start <= day && (j.end === null || j.end >= day));
      const inWork = job !== undefined && crandom() < 0.7;
      const mode = cpick([
        'face_to_face',
        'face_to_face',
        'face_to_face',
        'face_to_face',
        'phone',
        'phone',
        'video',
        'message',
      ] as const);
      const purpose = inWork
        ? 'in_work_support'
        : day - first < 30
          ? cpick(['engagement', 'profile', 'profile', 'benefits'] as const)
          : p.programme === 'internship' && crandom() < 0.2
            ? 'task_instruction'
            : cpick(['job_search', 'job_search', 'employer_contact', 'engagement', 'benefits', 'clinical_liaison'] as const);
      const place =
        mode !== 'face_to_face' ? 'remote' : inWork ? 'workplace' : cpick(['community', 'community', 'clinic', 'home'] as const);
      const duration =
        mode === 'message'
          ? 5 + 5 * Math.floor(crandom() * 3)
          : mode === 'face_to_face'
            ? 30 + 15 * Math.floor(crandom() * 5)
            : 10 + 5 * Math.floor(crandom() * 5);
      const started = cal.iso(day, minute);
      // Logged shortly after it ended, the same evening at the latest.
      const logged = cal.iso(day, Math.min(minute + duration + Math.floor(crandom() * 120), 23 * 60));
      const deleted = crandom() < 0.001;
      batch.push({
        id: contactId(),
        participant_id: p.id,
        practitioner_id: practitionerId,
        started_at: started,
        duration_minutes: duration,
        mode,
        place,
        purpose,
        with_whom: purpose === 'clinical_liaison' ? 'Care coordinator' : null,
        notes: cpick(NOTES),
        shared_with_clinical_team: p.programme === 'ips' && crandom() < 0.3 ? 1 : 0,
        out_of_hours: cal.outOfHours(day, minute) ? 1 : 0,
        deleted_at: deleted ? cal.iso(day + 1, 600) : null,
        deleted_by_user_id: deleted ? practitionerId : null,
        delete_reason: deleted ? 'Logged against the wrong person' : null,
        placement_id: inWork ? job.id : null,
        atw_award_id: null,
        atw_claim_id: null,
        created_at: logged,
        updated_at: deleted ? cal.iso(day + 1, 600) : logged,
        version: deleted ? 2 : 1,
      });
      if (batch.length === batchSize) await flush();
    }
  }
  await flush();
  done(`${written.toLocaleString('en-GB')} contacts`);
  await restore();
  done('Contact indexes built');
}

/** `npm run bench:data -- --scale N [--reset] [--seed N] [--today YYYY-MM-DD]`. */
export async function main(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const args = parseBenchDataArgs(argv);
  const target = benchDataTarget(env);
  process.stdout.write(
    `Writing the synthetic large service to ${target.kind === 'sqlite' ? target.file : 'PostgreSQL (DATABASE_URL)'}\n`,
  );
  try {
    const summary = await buildLargeService({ ...args, target });
    const width = Math.max(...Object.keys(summary).map((k) => k.length));
    for (const [table, n] of Object.entries(summary))
      process.stdout.write(`  ${table.padEnd(width)}  ${n.toLocaleString('en-GB')}\n`);
    process.stdout.write(
      `Sign in as ${benchEmail('practitioner', 1)} (or manager1, clinician1, commissioner1, admin1) with the password in bench/fixtures.ts\n`,
    );
    return 0;
  } catch (err) {
    if (err instanceof HoldsDataError) {
      process.stderr.write(`${err.message}\n`);
      return 1;
    }
    throw err;
  }
}
