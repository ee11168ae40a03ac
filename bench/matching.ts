// The matching benchmark (issue 5): ranking 20,000 open vacancies for one person, and ranking
// the people of a caseload of 2,000 for one vacancy. Each is timed twice: the pure ranking over
// data already in memory, and the service call a page or the API makes, end to end from the
// database (visibility, profile, vacancies, ranking, reasons for the page, the audit event).
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { SYSTEM_CONTEXT } from '../src/audit/service.ts';
import { fixedClock } from '../src/clock.ts';
import type { Db } from '../src/db/types.ts';
import { createDeps } from '../src/deps.ts';
import * as matching from '../src/matching/service.ts';
import { rankPeople, rankVacancies } from '../src/matching/rules.ts';
import type { Viewer } from '../src/participants/rules.ts';
import * as vacancies from '../src/vacancies/service.ts';
import { type SyntheticService, loadProfiles, loadVacancies } from './synthetic.ts';

type Time = (label: string, runs: number, fn: (i: number) => Promise<unknown>) => Promise<string>;

const OPEN_VACANCIES = Number(process.env.BENCH_VACANCIES ?? 20_000);
const CASELOAD = Number(process.env.BENCH_CASELOAD ?? 2_000);
const TODAY = '2026-11-25';

/** Loads the vacancies and a team holding CASELOAD active people with profiles, then times the rankings. */
export async function matchingBenchmark(db: Db, service: SyntheticService, runs: number, time: Time): Promise<void> {
  const start = performance.now();
  await loadVacancies(db, OPEN_VACANCIES);
  // One team holds the whole caseload, all active, so the manager's scope is exactly CASELOAD people.
  const teamId = service.teamIds[1] ?? service.teamIds[0]!;
  const practitioner = service.practitioners.find((p) => p.teamId === teamId)!;
  const manager = service.managers.find((m) => m.teamId === teamId)!;
  await db.updateTable('participants').set({ team_id: service.teamIds[0]! }).where('team_id', '=', teamId).execute();
  const people = (await db.selectFrom('participants').select('id').orderBy('id').limit(CASELOAD).execute()).map((r) => r.id);
  for (let i = 0; i < people.length; i += 500) {
    await db
      .updateTable('participants')
      .set({ team_id: teamId, practitioner_id: practitioner.id, status: 'job_search' })
      .where('id', 'in', people.slice(i, i + 500))
      .execute();
  }
  await loadProfiles(db, people);
  await sql`analyze`.execute(db);
  process.stdout.write(
    `\n${OPEN_VACANCIES.toLocaleString('en-GB')} open vacancies (and ${Math.floor(OPEN_VACANCIES / 10).toLocaleString('en-GB')} closed) at 400 employers, a caseload of ${people.length.toLocaleString('en-GB')} with profiles, loaded in ${((performance.now() - start) / 1000).toFixed(1)} s\n\n`,
  );

  const deps = createDeps({
    secret: 'benchmark-secret-that-is-long-enough-0123456789',
    clock: fixedClock(`${TODAY}T10:00:00.000Z`),
    sessionIdleMinutes: 30,
    sessionAbsoluteHours: 12,
  });
  const asPractitioner: Viewer = { userId: practitioner.id, role: 'practitioner', teamId };
  const asManager: Viewer = { userId: manager.id, role: 'manager', teamId };
  const person = people[0]!;
  const profileRow = await db
    .selectFrom('profile_versions')
    .select('data')
    .where('participant_id', '=', person)
    .executeTakeFirstOrThrow();
  const profile = matching.matchProfileFromStored(profileRow.data);
  const open = (await vacancies.openVacancies(db, TODAY)).map(vacancies.toMatchVacancy);
  const vacancyId = open[0]!.id;
  const job = open[0]!;
  const profiles = (await db.selectFrom('profile_versions').select('data').where('participant_id', 'in', people).execute()).map(
    (r) => matching.matchProfileFromStored(r.data),
  );

  process.stdout.write('| case | p50 ms | p95 ms | max ms |\n|---|---|---|---|\n');
  await time(
    `rank ${open.length.toLocaleString('en-GB')} open vacancies for one person: pure ranking (in memory, top 20 with reasons)`,
    runs,
    async () => rankVacancies(profile, open, { today: TODAY, limit: 20 }),
  );
  await time(
    `rank ${open.length.toLocaleString('en-GB')} open vacancies for one person: read from the database, no cache`,
    Math.min(runs, 30),
    async () => (await vacancies.openVacancies(db, TODAY)).map(vacancies.toMatchVacancy),
  );
  await time('rank open vacancies for one person: `rankedVacancies` end to end (cache current)', runs, () =>
    matching.rankedVacancies(db, deps, SYSTEM_CONTEXT, asPractitioner, person, { limit: 20, offset: 0 }),
  );
  await time(
    `rank people for one vacancy: pure ranking over ${profiles.length.toLocaleString('en-GB')} profiles (top 20 with reasons)`,
    runs,
    async () => rankPeople(job, profiles, { today: TODAY, limit: 20 }),
  );
  await time(
    `rank people for one vacancy: \`rankedPeople\` end to end, manager of a caseload of ${people.length.toLocaleString('en-GB')}`,
    runs,
    () => matching.rankedPeople(db, deps, SYSTEM_CONTEXT, asManager, vacancyId, { limit: 20, offset: 0 }),
  );
}
