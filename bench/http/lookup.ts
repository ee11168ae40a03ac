// What the benchmark reads from the large service before and after the load: who signs in, whose
// pages are fetched, how big the service is, and the contacts the load wrote.
import { sql } from 'kysely';
import type { Db } from '../../src/db/types.ts';

export async function userByEmail(db: Db, email: string) {
  return db.selectFrom('users').select(['id', 'email', 'role', 'team_id']).where('email', '=', email).executeTakeFirst();
}

/** The manager of a team (the lowest-numbered one if several), else undefined. */
export async function managerOf(db: Db, teamId: string) {
  return db
    .selectFrom('users')
    .select(['id', 'email'])
    .where('team_id', '=', teamId)
    .where('role', '=', 'manager')
    .where('active', '=', 1)
    .orderBy('email')
    .executeTakeFirst();
}

export async function anyUserWithRole(db: Db, role: string) {
  return db
    .selectFrom('users')
    .select(['id', 'email'])
    .where('role', '=', role)
    .where('active', '=', 1)
    .orderBy('email')
    .executeTakeFirst();
}

/** Up to `limit` people on a practitioner's caseload who are not discharged: the ones they open. */
export async function caseload(db: Db, practitionerId: string, limit = 20) {
  return db
    .selectFrom('participants')
    .select(['id', 'family_name', 'given_name'])
    .where('practitioner_id', '=', practitionerId)
    .where('status', '!=', 'discharged')
    .orderBy('id')
    .limit(limit)
    .execute();
}

const count = async (db: Db, table: 'participants' | 'contacts' | 'employers' | 'vacancies' | 'placements') =>
  Number(
    (
      await db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

export async function serviceSize(db: Db) {
  const roles = await db
    .selectFrom('users')
    .select(['role', (eb) => eb.fn.countAll().as('n')])
    .groupBy('role')
    .execute();
  const open = await db
    .selectFrom('vacancies')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('status', '=', 'open')
    .executeTakeFirstOrThrow();
  return {
    users: Object.fromEntries(roles.map((r) => [r.role, Number(r.n)])) as Record<string, number>,
    participants: await count(db, 'participants'),
    contacts: await count(db, 'contacts'),
    employers: await count(db, 'employers'),
    vacancies: await count(db, 'vacancies'),
    openVacancies: Number(open.n),
    placements: await count(db, 'placements'),
  };
}

export async function databaseVersion(db: Db, dialect: 'sqlite' | 'postgres'): Promise<string> {
  if (dialect === 'sqlite') {
    const r = await sql<{ v: string }>`select sqlite_version() as v`.execute(db);
    return `SQLite ${r.rows[0]?.v ?? '?'}`;
  }
  const r = await sql<{ server_version: string }>`show server_version`.execute(db);
  return `PostgreSQL ${(r.rows[0]?.server_version ?? '?').split(' ')[0]}`;
}

/** The notes of every contact whose notes start with `prefix` (the load marks each one it writes). */
export async function contactNotesLike(db: Db, practitionerId: string, prefix: string): Promise<string[]> {
  const rows = await db
    .selectFrom('contacts')
    .select('notes')
    .where('practitioner_id', '=', practitionerId)
    .where('notes', 'like', `${prefix}%`)
    .execute();
  return rows.map((r) => r.notes ?? '');
}
