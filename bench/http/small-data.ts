// A small stand-in for the large service, for working on the HTTP benchmark without waiting for
// `npm run bench:data`: the same sign-ins (bench/fixtures.ts) over a tenth of the data.
//   BENCH_DATA_DIR=/tmp/benchsmall npx tsx bench/http/small-data.ts
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/benchsmall npx tsx bench/http/small-data.ts
import path from 'node:path';
import { sql } from 'kysely';
import { databaseTarget } from '../../src/config.ts';
import { createDb } from '../../src/db/create-db.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { hashPassword } from '../../src/users/service.ts';
import { BENCH_PASSWORD, benchTarget } from '../fixtures.ts';
import { loadContacts, loadParticipants, loadProfiles, loadVacancies } from '../synthetic.ts';

const PARTICIPANTS = Number(process.env.SMALL_PARTICIPANTS ?? 2_000);
const CONTACTS = Number(process.env.SMALL_CONTACTS ?? 100_000);
const VACANCIES = Number(process.env.SMALL_VACANCIES ?? 2_000);

const { dataDir, databaseUrl } = benchTarget();
const handle = createDb(databaseTarget(databaseUrl, path.resolve(dataDir)));
const db = handle.db;
try {
  await migrateToLatest(db);
  if (
    Number(
      (
        await db
          .selectFrom('users')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    ) > 0
  )
    throw new Error('The database already holds users: start from an empty one');
  const service = await loadParticipants(db, PARTICIPANTS);
  await loadContacts(db, CONTACTS);
  await loadVacancies(db, VACANCIES, { employers: 100 });
  // Everyone gets a profile, so ranked vacancies have preferences to weigh.
  const ids = (await db.selectFrom('participants').select('id').execute()).map((r) => r.id);
  await loadProfiles(db, ids);
  // The loader numbers users from 0 and never signs them in; the benchmark numbers from 1 and does.
  const hash = await hashPassword(BENCH_PASSWORD);
  const users = (await db.selectFrom('users').select(['id', 'email']).execute()).map((u) => {
    const m = /^([a-z]+)(\d+)@(.*)$/.exec(u.email)!;
    return { id: u.id, role: m[1]!, n: Number(m[2]), domain: m[3]! };
  });
  // Highest first, so no new address is still held by another user.
  users.sort((a, b) => b.n - a.n);
  for (const u of users) {
    await db
      .updateTable('users')
      .set({ email: `${u.role}${u.n + 1}@${u.domain}`, password_hash: hash })
      .where('id', '=', u.id)
      .execute();
  }
  await sql`analyze`.execute(db);
  process.stdout.write(
    `Loaded ${PARTICIPANTS} participants, ${service.practitioners.length} practitioners, ${CONTACTS} contacts, ${VACANCIES} vacancies\n`,
  );
} finally {
  await handle.destroy();
}
