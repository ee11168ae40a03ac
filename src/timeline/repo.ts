import type { DbOrTrx } from '../db/types.ts';

// The timeline is a read model over other domains' records. Where a domain's service offers no
// bounded, unaudited list (profile versions), the timeline reads what it shows itself: ids, dates
// and names only, never the profile's contents.

export interface ProfileVersionRow {
  id: string;
  version: number;
  created_at: string;
  saved_by_name: string | null;
}

/** A person's newest `limit` profile versions (no contents), and how many there are. */
export async function profileVersions(
  db: DbOrTrx,
  participantId: string,
  limit: number,
): Promise<{ rows: ProfileVersionRow[]; total: number }> {
  const [rows, count] = await Promise.all([
    db
      .selectFrom('profile_versions')
      .leftJoin('users', 'users.id', 'profile_versions.created_by_user_id')
      .select(['profile_versions.id', 'profile_versions.version', 'profile_versions.created_at', 'users.name as saved_by_name'])
      .where('profile_versions.participant_id', '=', participantId)
      .orderBy('profile_versions.version', 'desc')
      .limit(limit)
      .execute(),
    db
      .selectFrom('profile_versions')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('participant_id', '=', participantId)
      .executeTakeFirst(),
  ]);
  return { rows: rows.map((r) => ({ ...r, version: Number(r.version) })), total: Number(count?.n ?? 0) };
}

export interface EmployerContactRow {
  id: string;
  employer_id: string;
  employer_name: string;
  contacted_at: string;
  mode: string;
  purpose: string;
  outcome: string | null;
  next_step: string | null;
  next_step_due: string | null;
  practitioner_name: string | null;
  employer_person_name: string | null;
}

/**
 * The newest `limit` live employer contacts made on a person's behalf (from the employer contact
 * log, with the employer's and practitioner's names), and how many there are.
 */
export async function employerContacts(
  db: DbOrTrx,
  participantId: string,
  limit: number,
): Promise<{ rows: EmployerContactRow[]; total: number }> {
  const [rows, count] = await Promise.all([
    db
      .selectFrom('employer_contacts')
      .innerJoin('employers', 'employers.id', 'employer_contacts.employer_id')
      .leftJoin('users', 'users.id', 'employer_contacts.practitioner_id')
      .leftJoin('employer_people', 'employer_people.id', 'employer_contacts.employer_person_id')
      .select([
        'employer_contacts.id',
        'employer_contacts.employer_id',
        'employers.name as employer_name',
        'employer_contacts.contacted_at',
        'employer_contacts.mode',
        'employer_contacts.purpose',
        'employer_contacts.outcome',
        'employer_contacts.next_step',
        'employer_contacts.next_step_due',
        'users.name as practitioner_name',
        'employer_people.name as employer_person_name',
      ])
      .where('employer_contacts.participant_id', '=', participantId)
      .where('employer_contacts.deleted_at', 'is', null)
      .orderBy('employer_contacts.contacted_at', 'desc')
      .orderBy('employer_contacts.id', 'desc')
      .limit(limit)
      .execute(),
    db
      .selectFrom('employer_contacts')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('participant_id', '=', participantId)
      .where('deleted_at', 'is', null)
      .executeTakeFirst(),
  ]);
  return { rows, total: Number(count?.n ?? 0) };
}
