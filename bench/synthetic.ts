import { randomUUID } from 'node:crypto';
import type { Db } from '../src/db/types.ts';
import { searchNameOf } from '../src/participants/rules.ts';

// A deterministic synthetic service: teams of practitioners with full caseloads, names drawn
// from a mixed list (accents included, so accent-insensitive search is exercised).

const GIVEN = [
  'Ann',
  'Zoë',
  'José',
  'Siobhán',
  'Mohammed',
  'Aisha',
  'Chidi',
  'Li',
  'Oliver',
  'Amelia',
  'Jack',
  'Isla',
  'Noah',
  'Ava',
  'Kwame',
  'Priya',
  'Tomasz',
  'Agnieszka',
  'Seán',
  'Niamh',
  'Dylan',
  'Ffion',
  'Ravi',
  'Fatima',
  'Emil',
  'Léa',
];
const FAMILY = [
  'Smith',
  'Jones',
  'Williams',
  'Brown',
  'Taylor',
  'Núñez',
  'Nowak',
  'Ó Briain',
  'Khan',
  'Patel',
  'Okafor',
  'Mensah',
  'Chen',
  'Wright',
  'Evans',
  'Thomas',
  'Roberts',
  'Hughes',
  'Müller',
  'Lefèvre',
  'Kowalski',
  'Ahmed',
  'Begum',
  'Davies',
  'Walker',
  'Green',
];
const STATUSES = ['referred', 'engaged', 'job_search', 'employed', 'discharged'] as const;
const PROGRAMMES = ['ips', 'internship', 'follow_on'] as const;

/** Small fast PRNG so every run builds the same data. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SyntheticService {
  teamIds: string[];
  practitioners: { id: string; teamId: string }[];
  managers: { id: string; teamId: string }[];
}

/** Inserts `participants` people across teams of practitioners holding about 20 each. */
export async function loadParticipants(
  db: Db,
  participants: number,
  options: { teams?: number; caseload?: number } = {},
): Promise<SyntheticService> {
  const random = rng(20261125);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const caseload = options.caseload ?? 20;
  const practitionerCount = Math.ceil(participants / caseload);
  const teamCount = options.teams ?? Math.max(1, Math.ceil(practitionerCount / 10));
  const now = '2026-11-25T10:00:00.000Z';
  const record = () => ({ id: randomUUID(), created_at: now, updated_at: now, version: 1 });

  const teams = Array.from({ length: teamCount }, (_, i) => ({ ...record(), name: `Team ${i + 1}`, name_key: `team ${i + 1}` }));
  await db.insertInto('teams').values(teams).execute();
  const user = (role: string, teamId: string, i: number) => ({
    ...record(),
    email: `${role}${i}@bench.example.org`,
    name: `${role} ${i}`,
    role,
    team_id: teamId,
    active: 1,
    // Never signed in with: the benchmark calls services directly.
    password_hash: 'not-a-real-hash',
    totp_secret: null,
    totp_enabled: 0,
    last_sign_in_at: null,
  });
  const practitioners = Array.from({ length: practitionerCount }, (_, i) => user('practitioner', teams[i % teamCount]!.id, i));
  const managers = teams.map((t, i) => user('manager', t.id, i));
  for (let i = 0; i < practitioners.length; i += 200)
    await db
      .insertInto('users')
      .values(practitioners.slice(i, i + 200))
      .execute();
  await db.insertInto('users').values(managers).execute();

  const batch: Parameters<ReturnType<Db['insertInto']>['values']>[0][] = [];
  const flush = async () => {
    if (batch.length)
      await db
        .insertInto('participants')
        .values(batch.splice(0) as never)
        .execute();
  };
  for (let i = 0; i < participants; i++) {
    const p = practitioners[i % practitionerCount]!;
    const givenName = pick(GIVEN);
    const familyName = `${pick(FAMILY)}${i % 7 === 0 ? '-' + pick(FAMILY) : ''}`;
    batch.push({
      ...record(),
      given_name: givenName,
      family_name: familyName,
      preferred_name: null,
      pronouns: null,
      date_of_birth: `${1960 + Math.floor(random() * 45)}-0${1 + Math.floor(random() * 9)}-1${Math.floor(random() * 9)}`,
      nhs_number: null,
      phone: null,
      email: null,
      address: null,
      preferred_contact_method: null,
      communication_needs: '[]',
      communication_notes: null,
      programme: pick(PROGRAMMES),
      status: pick(STATUSES),
      practitioner_id: p.id,
      team_id: p.team_id,
      linked_participant_id: null,
      search_name: searchNameOf({ givenName, familyName }),
    });
    if (batch.length === 500) await flush();
  }
  await flush();
  return {
    teamIds: teams.map((t) => t.id),
    practitioners: practitioners.map((p) => ({ id: p.id, teamId: p.team_id })),
    managers: managers.map((m) => ({ id: m.id, teamId: m.team_id })),
  };
}

const MODES = ['face_to_face', 'face_to_face', 'phone', 'video', 'message'] as const;
const PLACES = ['workplace', 'community', 'clinic', 'home', 'remote'] as const;
const PURPOSES = [
  'engagement',
  'profile',
  'job_search',
  'employer_contact',
  'in_work_support',
  'benefits',
  'clinical_liaison',
  'task_instruction',
] as const;

/**
 * Spreads `total` contacts evenly over every participant, across the `years` before `until`,
 * each logged by the participant's practitioner. Inserted in large batches inside transactions.
 */
export async function loadContacts(db: Db, total: number, options: { years?: number; until?: string } = {}): Promise<void> {
  const random = rng(5);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const until = new Date(options.until ?? '2026-11-25T10:00:00Z').getTime();
  const span = (options.years ?? 5) * 365 * 24 * 3_600_000;
  const people = await db.selectFrom('participants').select(['id', 'practitioner_id']).execute();
  const perBatch = 1000;
  let made = 0;
  while (made < total) {
    await db.transaction().execute(async (trx) => {
      for (let b = 0; b < 20 && made < total; b++) {
        const rows = [];
        for (let i = 0; i < perBatch && made < total; i++, made++) {
          const person = people[made % people.length]!;
          const at = new Date(until - Math.floor(random() * span)).toISOString();
          rows.push({
            id: randomUUID(),
            participant_id: person.id,
            practitioner_id: person.practitioner_id!,
            started_at: at,
            duration_minutes: 15 + 15 * Math.floor(random() * 4),
            mode: pick(MODES),
            place: pick(PLACES),
            purpose: pick(PURPOSES),
            with_whom: null,
            notes: 'Synthetic contact note for benchmarking.',
            shared_with_clinical_team: 0,
            out_of_hours: random() < 0.1 ? 1 : 0,
            deleted_at: null,
            deleted_by_user_id: null,
            delete_reason: null,
            created_at: at,
            updated_at: at,
            version: 1,
          });
        }
        await trx.insertInto('contacts').values(rows).execute();
      }
    });
  }
}
