import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { buildApp } from '../src/app.ts';
import { signIn } from '../src/auth/service.ts';
import { systemClock } from '../src/clock.ts';
import { createDeps } from '../src/deps.ts';
import type { Db } from '../src/db/types.ts';
import { addDays } from '../src/placements/rules.ts';
import { hashPassword } from '../src/users/service.ts';
import { type SyntheticService, rng } from './synthetic.ts';

// The outcome report over the whole synthetic service (issue 9): referrals, profiles, employer
// contacts and jobs for every participant, then the report, its API and its XLSX timed through
// the app as a commissioner (whole service) and a manager (one team).

type Timer = (label: string, runs: number, fn: (i: number) => Promise<unknown>) => Promise<string>;

async function insertAll(
  db: Db,
  table: 'referrals' | 'profile_versions' | 'employer_contacts' | 'placements' | 'employers',
  rows: object[],
) {
  for (let i = 0; i < rows.length; i += 400)
    await db
      .insertInto(table)
      .values(rows.slice(i, i + 400) as never)
      .execute();
}

/** Referral, profile, employer-contact and job history for every participant: about 8,000 jobs at 20,000 people. */
export async function loadOutcomeHistory(db: Db): Promise<{ jobs: number; employerContacts: number }> {
  const random = rng(9);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const now = '2026-11-25T10:00:00.000Z';
  const record = () => ({ id: randomUUID(), created_at: now, updated_at: now, version: 1 });
  const start = Date.parse('2024-01-01T00:00:00Z');
  const span = Date.parse('2026-11-20T00:00:00Z') - start;
  const day = (offset: number) => new Date(start + Math.floor(offset * span)).toISOString().slice(0, 10);

  const employers = Array.from({ length: 1000 }, (_, i) => ({
    ...record(),
    name: `Outcome employer ${i}`,
    name_key: `outcome employer ${i}`,
    type: i < 20 ? 'host' : i < 120 ? 'supplier' : 'external',
    sector: null,
    size: null,
    address: null,
    postcode: null,
    latitude: null,
    longitude: null,
    website: null,
    relationship_stage: 'engaged',
    notes: null,
    created_by_user_id: null,
  }));
  await insertAll(db, 'employers', employers);

  const people = await db.selectFrom('participants').select(['id', 'practitioner_id']).execute();
  const withProfile = new Set(
    (await db.selectFrom('profile_versions').select('participant_id').execute()).map((r) => r.participant_id),
  );
  const referrals: object[] = [];
  const profiles: object[] = [];
  const contacts: object[] = [];
  const jobs: object[] = [];
  for (const p of people) {
    const accepted = day(random());
    const inWork = random() < 0.1;
    referrals.push({
      ...record(),
      participant_id: p.id,
      source: 'clinical_team',
      referrer_name: null,
      referrer_organisation: null,
      referrer_contact: null,
      clinical_team_id: null,
      care_coordinator: null,
      received_date: addDays(accepted, -2),
      accepted_date: accepted,
      first_contact_date: random() < 0.9 ? addDays(accepted, Math.floor(random() * 21)) : null,
      what_they_want: null,
      notes: null,
      in_work_at_referral: inWork ? 1 : 0,
      status: random() < 0.2 ? 'closed' : 'accepted',
      closed_date: random() < 0.2 ? addDays(accepted, 200) : null,
      close_reason: null,
      close_note: null,
      created_by_user_id: null,
    });
    if (!withProfile.has(p.id) && random() < 0.8)
      profiles.push({
        id: randomUUID(),
        participant_id: p.id,
        version: 1,
        data: '{}',
        created_at: `${addDays(accepted, Math.floor(random() * 30))}T10:00:00.000Z`,
        created_by_user_id: null,
      });
    const visits = Math.floor(random() * 10);
    for (let v = 0; v < visits; v++)
      contacts.push({
        ...record(),
        employer_id: pick(employers).id,
        practitioner_id: p.practitioner_id,
        participant_id: p.id,
        employer_person_id: null,
        contacted_at: `${addDays(accepted, Math.floor(random() * 120))}T1${v % 8}:00:00.000Z`,
        mode: 'in_person',
        face_to_face: 1,
        purpose: 'job_development',
        outcome: null,
        next_step: null,
        next_step_due: null,
        deleted_at: null,
        deleted_by_user_id: null,
        delete_reason: null,
      });
    if (random() < 0.4) {
      const started = addDays(accepted, 20 + Math.floor(random() * 120));
      if (started > '2026-11-20') continue;
      const ended = random() < 0.3 ? addDays(started, Math.floor(random() * 300)) : null;
      jobs.push({
        ...record(),
        participant_id: p.id,
        employer_id: pick(employers).id,
        vacancy_id: null,
        match_id: null,
        practitioner_id: p.practitioner_id,
        title: pick(['Porter', 'Cleaner', 'Administrator', 'Kitchen assistant', 'Retail assistant', 'Gardener', 'Driver']),
        employer_department_id: null,
        employer_site_id: null,
        start_date: started,
        end_date: ended !== null && ended < '2026-11-20' ? ended : null,
        end_reason: ended !== null && ended < '2026-11-20' ? pick(['resigned', 'redundancy', 'contract_end', 'dismissed']) : null,
        hours_per_week: pick([3, 8, 12, 16, 20, 25, 30, 37.5]),
        hourly_pay_pence: pick([1150, 1221, 1250, 1271, 1300, 1400, 1550]),
        contract_type: 'permanent',
        line_manager: null,
        open_to_anyone: 1,
        set_aside_for_disabled: random() < 0.03 ? 1 : 0,
      });
    }
  }
  await insertAll(db, 'referrals', referrals);
  await insertAll(db, 'profile_versions', profiles);
  await insertAll(db, 'employer_contacts', contacts);
  await insertAll(db, 'placements', jobs);
  return { jobs: jobs.length, employerContacts: contacts.length };
}

/** Times the outcome report pages, API and XLSX through the app, and checks the XLSX against the API. */
export async function outcomeBenchmark(db: Db, service: SyntheticService, runs: number, time: Timer): Promise<void> {
  // The search benchmark moved everyone into one team; put them back with their practitioners.
  await sql`update participants set team_id = (select team_id from users where users.id = participants.practitioner_id)`.execute(
    db,
  );
  const loaded = await loadOutcomeHistory(db);
  await sql`analyze`.execute(db);
  const participants = service.practitioners.length * 20;
  process.stdout.write(
    `\nOutcome report: ${participants.toLocaleString('en-GB')} participants, ${loaded.jobs.toLocaleString('en-GB')} jobs, ${loaded.employerContacts.toLocaleString('en-GB')} face-to-face employer contacts\n\n`,
  );
  const secret = 'benchmark-secret-that-is-long-enough-0123456789';
  const deps = createDeps({ secret, clock: systemClock, sessionIdleMinutes: 600, sessionAbsoluteHours: 24 });
  const app = await buildApp({ db, deps, secret });
  const password = 'benchmark-Passw0rd-long';
  const now = new Date().toISOString();
  const commissionerId = randomUUID();
  await db
    .insertInto('users')
    .values({
      id: commissionerId,
      created_at: now,
      updated_at: now,
      version: 1,
      email: 'commissioner@bench.example.org',
      name: 'Commissioner',
      role: 'commissioner',
      team_id: null,
      active: 1,
      password_hash: await hashPassword(password),
      totp_secret: null,
      totp_enabled: 0,
      last_sign_in_at: null,
      contracted_hours_per_week: null,
    })
    .execute();
  const manager = service.managers[0]!;
  await db
    .updateTable('users')
    .set({ password_hash: await hashPassword(password) })
    .where('id', '=', manager.id)
    .execute();
  const cookies: Record<string, string> = {};
  for (const id of [commissionerId, manager.id]) {
    const row = await db.selectFrom('users').select('email').where('id', '=', id).executeTakeFirstOrThrow();
    const ctx = { actorUserId: null, actorLabel: null, clientAddress: '127.0.0.1', requestId: null };
    cookies[id] = (await signIn(db, deps, ctx, { email: row.email, password })).sessionToken;
  }
  const get = async (url: string, userId: string) => {
    const res = await app.inject({ method: 'GET', url, cookies: { stepwise_session: cookies[userId]! } });
    if (res.statusCode !== 200) throw new Error(`${url} answered ${res.statusCode}`);
    return res;
  };
  process.stdout.write('| request | p50 ms | p95 ms | max ms |\n|---|---|---|---|\n');
  await time('GET /reports/outcomes, commissioner (whole service)', runs, () => get('/reports/outcomes', commissionerId));
  await time('GET /reports/outcomes?split=team, commissioner', runs, () => get('/reports/outcomes?split=team', commissionerId));
  await time('GET /reports/outcomes?split=practitioner, manager (own team)', runs, () =>
    get('/reports/outcomes?split=practitioner', manager.id),
  );
  await time('GET /api/v1/reports/outcomes?split=team, commissioner', runs, () =>
    get('/api/v1/reports/outcomes?split=team', commissionerId),
  );
  await time('GET /reports/outcomes.xlsx?split=team, commissioner', Math.max(5, Math.floor(runs / 4)), () =>
    get('/reports/outcomes.xlsx?split=team', commissionerId),
  );

  // The XLSX opens and holds the same figures as the API answer.
  const api = (await get('/api/v1/reports/outcomes?split=team', commissionerId)).json<{
    total: { figures: Record<string, unknown> };
  }>();
  const xlsx = await get('/reports/outcomes.xlsx?split=team', commissionerId);
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
  const sheet = book.worksheets[0]!;
  // Row values are 1-based: index 0 is an empty slot.
  const header = Array.from(sheet.getRow(1).values as (string | undefined)[], (v) => v ?? '');
  const allRow = sheet.getRow(2).values as unknown[];
  const column = header.findIndex((h) => h.startsWith('Total job starts'));
  const apiStarts = api.total.figures.job_starts;
  const same = column > 0 && String(allRow[column]) === String(apiStarts);
  process.stdout.write(
    `\nXLSX opened with exceljs: ${sheet.rowCount - 1} rows; total job starts ${String(allRow[column])} (API: ${String(apiStarts)}) — ${same ? 'the same' : 'DIFFERENT'}\n`,
  );
  await app.close();
  if (!same) throw new Error('The XLSX figures differ from the API');
}
