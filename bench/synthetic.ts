import { randomUUID } from 'node:crypto';
import type { Db } from '../src/db/types.ts';
import { searchNameOf } from '../src/participants/rules.ts';

// A deterministic synthetic service: teams of practitioners with full caseloads, names drawn
// from a mixed list (accents included, so accent-insensitive search is exercised).

export const GIVEN = [
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
export const FAMILY = [
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
export function rng(seed: number): () => number {
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

// ---- Job development: employers, open vacancies and vocational profiles, for the matching benchmark

/** Towns across England with their centres, so distances and travel estimates vary. */
export const TOWNS: readonly { name: string; lat: number; lon: number }[] = [
  { name: 'Leeds', lat: 53.7997, lon: -1.5492 },
  { name: 'Bradford', lat: 53.796, lon: -1.7594 },
  { name: 'Wakefield', lat: 53.683, lon: -1.4977 },
  { name: 'Sheffield', lat: 53.3811, lon: -1.4701 },
  { name: 'Manchester', lat: 53.4808, lon: -2.2426 },
  { name: 'Salford', lat: 53.4875, lon: -2.2901 },
  { name: 'Liverpool', lat: 53.4084, lon: -2.9916 },
  { name: 'Newcastle', lat: 54.9783, lon: -1.6178 },
  { name: 'Sunderland', lat: 54.9069, lon: -1.3838 },
  { name: 'York', lat: 53.959, lon: -1.0815 },
  { name: 'Hull', lat: 53.7676, lon: -0.3274 },
  { name: 'Nottingham', lat: 52.9548, lon: -1.1581 },
  { name: 'Derby', lat: 52.9225, lon: -1.4746 },
  { name: 'Leicester', lat: 52.6369, lon: -1.1398 },
  { name: 'Birmingham', lat: 52.4862, lon: -1.8904 },
  { name: 'Coventry', lat: 52.4068, lon: -1.5197 },
  { name: 'Stoke-on-Trent', lat: 53.0027, lon: -2.1794 },
  { name: 'Norwich', lat: 52.6309, lon: 1.2974 },
  { name: 'Cambridge', lat: 52.2053, lon: 0.1218 },
  { name: 'Oxford', lat: 51.752, lon: -1.2577 },
  { name: 'Bristol', lat: 51.4545, lon: -2.5879 },
  { name: 'Plymouth', lat: 50.3755, lon: -4.1427 },
  { name: 'Exeter', lat: 50.7184, lon: -3.5339 },
  { name: 'Southampton', lat: 50.9097, lon: -1.4044 },
  { name: 'Brighton', lat: 50.8225, lon: -0.1372 },
  { name: 'Reading', lat: 51.4543, lon: -0.9781 },
  { name: 'Croydon', lat: 51.3762, lon: -0.0982 },
  { name: 'Hackney', lat: 51.545, lon: -0.0553 },
  { name: 'Ealing', lat: 51.513, lon: -0.3089 },
  { name: 'Luton', lat: 51.8787, lon: -0.42 },
];

/** Jobs as they are advertised: title, occupation or sector, and a typical pattern and pay. */
export const JOBS: readonly {
  title: string;
  occupation: string;
  hours: readonly number[];
  pence: readonly [number, number];
  check?: boolean;
}[] = [
  { title: 'Kitchen porter', occupation: 'Catering', hours: [16, 20, 30, 37.5], pence: [1221, 1350] },
  { title: 'Kitchen assistant', occupation: 'Catering', hours: [12, 16, 25], pence: [1221, 1300] },
  { title: 'Catering assistant', occupation: 'Catering', hours: [16, 22.5, 37.5], pence: [1221, 1320] },
  { title: 'Barista', occupation: 'Hospitality', hours: [8, 16, 24], pence: [1221, 1300] },
  { title: 'Waiting staff', occupation: 'Hospitality', hours: [12, 20, 30], pence: [1221, 1280] },
  { title: 'Hotel housekeeper', occupation: 'Hospitality', hours: [16, 25, 37.5], pence: [1221, 1310] },
  { title: 'Ward housekeeper', occupation: 'Healthcare support', hours: [22.5, 37.5], pence: [1260, 1400], check: true },
  { title: 'Healthcare support worker', occupation: 'Healthcare support', hours: [30, 37.5], pence: [1260, 1450], check: true },
  { title: 'Hospital porter', occupation: 'Portering', hours: [20, 37.5], pence: [1260, 1380], check: true },
  { title: 'Care assistant', occupation: 'Social care', hours: [16, 30, 37.5], pence: [1221, 1400], check: true },
  { title: 'Retail assistant', occupation: 'Retail', hours: [8, 16, 24, 37.5], pence: [1221, 1290] },
  { title: 'Shelf stacker', occupation: 'Retail', hours: [12, 20], pence: [1221, 1260] },
  { title: 'Checkout operator', occupation: 'Retail', hours: [16, 24], pence: [1221, 1270] },
  { title: 'Warehouse operative', occupation: 'Logistics', hours: [20, 37.5, 40], pence: [1221, 1450] },
  { title: 'Picker packer', occupation: 'Logistics', hours: [16, 37.5], pence: [1221, 1350] },
  { title: 'Delivery driver', occupation: 'Logistics', hours: [30, 40], pence: [1250, 1500] },
  { title: 'Office administrator', occupation: 'Administration', hours: [16, 30, 37.5], pence: [1221, 1500] },
  { title: 'Receptionist', occupation: 'Administration', hours: [16, 25, 37.5], pence: [1221, 1350] },
  { title: 'Data entry clerk', occupation: 'Administration', hours: [20, 37.5], pence: [1221, 1400] },
  { title: 'Medical records clerk', occupation: 'Administration', hours: [22.5, 37.5], pence: [1260, 1420], check: true },
  { title: 'Cleaner', occupation: 'Cleaning', hours: [8, 10, 15, 20], pence: [1221, 1300] },
  { title: 'Domestic assistant', occupation: 'Cleaning', hours: [15, 22.5, 37.5], pence: [1260, 1330] },
  { title: 'Gardener', occupation: 'Grounds maintenance', hours: [16, 30, 37.5], pence: [1221, 1400] },
  { title: 'Grounds maintenance operative', occupation: 'Grounds maintenance', hours: [37.5], pence: [1250, 1420] },
  { title: 'Library assistant', occupation: 'Libraries', hours: [12, 18.5], pence: [1250, 1400], check: true },
  { title: 'Teaching assistant', occupation: 'Education', hours: [25, 32.5], pence: [1250, 1450], check: true },
  { title: 'Bicycle mechanic', occupation: 'Repair', hours: [20, 37.5], pence: [1221, 1500] },
  { title: 'Customer service adviser', occupation: 'Customer service', hours: [16, 30, 37.5], pence: [1221, 1400] },
  { title: 'Call centre agent', occupation: 'Customer service', hours: [20, 37.5], pence: [1221, 1350] },
  { title: 'Animal care assistant', occupation: 'Animal care', hours: [16, 24], pence: [1221, 1300] },
  { title: 'Print finisher', occupation: 'Manufacturing', hours: [37.5], pence: [1221, 1400] },
  { title: 'Production operative', occupation: 'Manufacturing', hours: [37.5, 40], pence: [1221, 1450] },
  { title: 'IT support technician', occupation: 'IT', hours: [37.5], pence: [1300, 1800] },
  { title: 'Leisure centre assistant', occupation: 'Leisure', hours: [12, 20, 30], pence: [1221, 1320], check: true },
];
export const EMPLOYER_WORDS = [
  'Northern',
  'City',
  'Riverside',
  'Pennine',
  'Valley',
  'Central',
  'County',
  'Harbour',
  'Park',
  'Market',
];
export const EMPLOYER_KINDS = [
  'Foods',
  'Hotels',
  'Retail',
  'Logistics',
  'Care',
  'Services',
  'Hospital Trust',
  'Council',
  'College',
  'Group',
];
export const DAY_PATTERNS = [
  '',
  'mon,tue,wed,thu,fri',
  'mon,tue,wed',
  'thu,fri,sat',
  'sat,sun',
  'mon,tue,wed,thu,fri,sat,sun',
  'tue,thu',
];
export const TIME_PATTERNS = ['', 'mornings,afternoons', 'mornings', 'afternoons', 'evenings', 'afternoons,evenings', 'nights'];

export const at = (town: { lat: number; lon: number }, random: () => number) => ({
  latitude: Math.round((town.lat + (random() - 0.5) * 0.1) * 1e5) / 1e5,
  longitude: Math.round((town.lon + (random() - 0.5) * 0.14) * 1e5) / 1e5,
});

/**
 * `employers` organisations, each with one to three sites in a town, and `open` open vacancies
 * spread over them (plus a tenth as many past their closing date, which matching must leave out).
 */
export async function loadVacancies(db: Db, open: number, options: { employers?: number; today?: string } = {}): Promise<void> {
  const random = rng(7);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const now = '2026-11-25T10:00:00.000Z';
  const today = options.today ?? '2026-11-25';
  const record = () => ({ id: randomUUID(), created_at: now, updated_at: now, version: 1 });
  const employerCount = options.employers ?? 400;
  const employers = Array.from({ length: employerCount }, (_, i) => {
    const town = pick(TOWNS);
    const name = `${pick(EMPLOYER_WORDS)} ${pick(EMPLOYER_KINDS)} ${town.name} ${i + 1}`;
    return {
      ...record(),
      name,
      name_key: name.toLowerCase(),
      type: i === 0 ? 'host' : random() < 0.1 ? 'supplier' : 'external',
      sector: null,
      size: null,
      address: null,
      postcode: null,
      ...at(town, random),
      website: null,
      relationship_stage: pick(['prospect', 'contacted', 'engaged', 'hiring_partner']),
      notes: null,
      created_by_user_id: null,
      town,
    };
  });
  for (let i = 0; i < employers.length; i += 100) {
    await db
      .insertInto('employers')
      .values(employers.slice(i, i + 100).map(({ town: _town, ...e }) => e))
      .execute();
  }
  const sites = employers.flatMap((e) =>
    Array.from({ length: 1 + Math.floor(random() * 3) }, (_, k) => ({
      ...record(),
      employer_id: e.id,
      name: k === 0 ? `${e.town.name} main site` : `${pick(TOWNS).name} site ${k}`,
      address: null,
      postcode: null,
      ...at(k === 0 ? e.town : pick(TOWNS), random),
    })),
  );
  for (let i = 0; i < sites.length; i += 200)
    await db
      .insertInto('employer_sites')
      .values(sites.slice(i, i + 200))
      .execute();
  const sitesOf = new Map<string, typeof sites>();
  for (const s of sites) sitesOf.set(s.employer_id, [...(sitesOf.get(s.employer_id) ?? []), s]);

  const closed = Math.floor(open / 10);
  const day = (offset: number) => new Date(Date.parse(`${today}T12:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);
  let made = 0;
  while (made < open + closed) {
    const rows = [];
    for (let i = 0; i < 500 && made < open + closed; i++, made++) {
      const job = pick(JOBS);
      const employer = pick(employers);
      const site = pick(sitesOf.get(employer.id)!);
      const days = pick(DAY_PATTERNS);
      const [low, high] = job.pence;
      // Added (and last changed) at some moment over the past 60 days, as a real list builds up.
      const changed = new Date(Date.parse(now) - Math.floor(random() * 60 * 86_400_000)).toISOString();
      rows.push({
        ...record(),
        created_at: changed,
        updated_at: changed,
        employer_id: employer.id,
        title: random() < 0.2 ? `${pick(['Part-time', 'Senior', 'Weekend', 'Trainee'])} ${job.title.toLowerCase()}` : job.title,
        occupation: random() < 0.85 ? job.occupation : null,
        employer_department_id: null,
        employer_site_id: site.id,
        hours_per_week: random() < 0.9 ? pick(job.hours) : null,
        days,
        times: pick(TIME_PATTERNS),
        weekends: days.includes('sat') || days.includes('sun') || random() < 0.1 ? 1 : 0,
        hourly_pay_pence: random() < 0.9 ? low + Math.floor(random() * (high - low)) : null,
        place: random() < 0.3 ? site.name : null,
        latitude: null,
        longitude: null,
        start_date: random() < 0.3 ? day(14 + Math.floor(random() * 60)) : null,
        // Past its closing date (left out of matching), open-ended, or closing in the weeks ahead.
        closing_date: made >= open ? day(-1 - Math.floor(random() * 30)) : random() < 0.3 ? null : day(Math.floor(random() * 60)),
        found_via: pick(['advertised', 'advertised', 'employer_relationship', 'created_with_employer']),
        check_required: job.check || random() < 0.05 ? 1 : 0,
        description: null,
        status: 'open',
        import_key: null,
        created_by_user_id: null,
      });
    }
    await db.insertInto('vacancies').values(rows).execute();
  }
}

export const WANTED = [
  ['kitchen', 'catering'],
  ['retail'],
  ['warehouse'],
  ['office', 'admin'],
  ['care'],
  ['cleaning'],
  ['gardening', 'outdoors'],
  ['animal care'],
  ['customer service'],
  ['library'],
  ['IT support'],
  ['driving'],
  ['hospital porter', 'housekeeping'],
  [],
];

/** The data of one saved vocational profile, with varied job preferences drawn from `random`. */
export function profileData(random: () => number): Record<string, unknown> {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const min = random() < 0.6 ? pick([8, 10, 12, 16, 20]) : null;
  const max = random() < 0.7 ? (min ?? 0) + pick([4, 8, 14, 21.5]) : null;
  const home = random() < 0.7 ? at(pick(TOWNS), random) : null;
  const data = {
    occupations: pick(WANTED),
    hours_per_week_min: min,
    hours_per_week_max: max,
    days: pick([[], ['mon', 'tue', 'wed', 'thu', 'fri'], ['mon', 'wed', 'fri'], ['sat', 'sun'], ['tue', 'wed', 'thu']]),
    times: pick([[], ['mornings'], ['mornings', 'afternoons'], ['evenings'], ['afternoons', 'evenings']]),
    weekends_ok: pick([null, true, false]),
    places: random() < 0.2 ? [pick(TOWNS).name] : [],
    max_travel_minutes: random() < 0.6 ? pick([20, 30, 45, 60]) : null,
    travel_modes: pick([[], ['bus'], ['walk', 'bus'], ['cycle'], ['drive'], ['train', 'walk']]),
    lowest_hourly_pay_pence: random() < 0.4 ? pick([1221, 1250, 1300, 1400]) : null,
    convictions: random() < 0.15 ? 'Recorded in their profile' : null,
    never_times: random() < 0.2 ? ['nights'] : [],
    no_weekends: random() < 0.1,
    home_latitude: home?.latitude ?? null,
    home_longitude: home?.longitude ?? null,
  };
  return data;
}

/** A saved vocational profile (version 1) with varied job preferences for each of these people. */
export async function loadProfiles(db: Db, participantIds: readonly string[]): Promise<void> {
  const random = rng(11);
  const now = '2026-11-25T10:00:00.000Z';
  const rows = participantIds.map((id) => {
    const data = profileData(random);
    return {
      id: randomUUID(),
      participant_id: id,
      version: 1,
      data: JSON.stringify(data),
      created_at: now,
      created_by_user_id: null,
    };
  });
  for (let i = 0; i < rows.length; i += 500)
    await db
      .insertInto('profile_versions')
      .values(rows.slice(i, i + 500))
      .execute();
}
