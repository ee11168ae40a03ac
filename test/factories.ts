import { randomUUID } from 'node:crypto';
import * as appointments from '../src/appointments/service.ts';
import * as auth from '../src/auth/service.ts';
import { SYSTEM_CONTEXT } from '../src/audit/service.ts';
import * as contacts from '../src/contacts/service.ts';
import type { DbOrTrx, EmployerContactsTable } from '../src/db/types.ts';
import type { Deps } from '../src/deps.ts';
import * as employers from '../src/employers/service.ts';
import * as sites from '../src/sites/service.ts';
import * as teams from '../src/teams/service.ts';
import type { Role } from '../src/users/roles.ts';
import * as users from '../src/users/service.ts';
import * as participants from '../src/participants/service.ts';
import * as placements from '../src/placements/service.ts';
import * as referrals from '../src/referrals/service.ts';
import type { ProfileData } from '../src/profiles/rules.ts';
import * as profiles from '../src/profiles/service.ts';
import * as vacancies from '../src/vacancies/service.ts';

/** The password every factory-made user has. */
export const TEST_PASSWORD = 'correct-Horse-battery-9';

let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}${randomUUID().slice(0, 4)}`;

export async function makeTeam(db: DbOrTrx, deps: Deps, name = `Team ${unique()}`): Promise<teams.Team> {
  return teams.createTeam(db, deps, SYSTEM_CONTEXT, name);
}

export async function makeSite(
  db: DbOrTrx,
  deps: Deps,
  overrides: { name?: string; address?: string | null } = {},
): Promise<sites.Site> {
  return sites.createSite(db, deps, SYSTEM_CONTEXT, {
    name: overrides.name ?? `Site ${unique()}`,
    address: overrides.address ?? null,
  });
}

export async function makeUser(
  db: DbOrTrx,
  deps: Deps,
  overrides: { role?: Role; teamId?: string | null; email?: string; name?: string; password?: string } = {},
): Promise<users.User> {
  const id = unique();
  return users.createUser(db, deps, SYSTEM_CONTEXT, {
    email: overrides.email ?? `user-${id}@example.org`,
    name: overrides.name ?? `Test User ${id}`,
    role: overrides.role ?? 'practitioner',
    teamId: overrides.teamId ?? null,
    password: overrides.password ?? TEST_PASSWORD,
  });
}

/** A user with an API token, for API tests. */
export async function makeTokenUser(
  db: DbOrTrx,
  deps: Deps,
  role: Role,
  teamId: string | null = null,
): Promise<{ user: users.User; token: string }> {
  const user = await makeUser(db, deps, { role, teamId });
  const { token } = await auth.createApiToken(db, deps, SYSTEM_CONTEXT, user.id, 'test');
  return { user, token };
}

let nameCounter = 0;

/** A participant created through the service, as the given practitioner or manager would. */
export async function makeParticipant(
  db: DbOrTrx,
  deps: Deps,
  by: users.User,
  overrides: Partial<participants.ParticipantInput> = {},
): Promise<participants.Participant> {
  nameCounter++;
  const { participant } = await participants.createParticipant(
    db,
    deps,
    SYSTEM_CONTEXT,
    { userId: by.id, role: by.role, teamId: by.teamId },
    { givenName: `Given${nameCounter}`, familyName: `Family${unique()}`, programme: 'ips', ...overrides },
    { allowDuplicates: true },
  );
  return participant;
}

/**
 * Records that a clinical team referred a participant (so its clinicians can see them), written
 * straight to the table so profile tests do not depend on the referral intake's rules.
 */
export async function referFromClinicalTeam(
  db: DbOrTrx,
  participantId: string,
  clinicalTeamId: string,
  // The test app's day (its clock starts at 10:00 on 25 November 2026), never the real date: a
  // referral dated by the machine's clock moved after the test's own events once the real date passed it.
  now = '2026-11-25T09:00:00.000Z',
): Promise<void> {
  await db
    .insertInto('referrals')
    .values({
      id: randomUUID(),
      participant_id: participantId,
      source: 'clinical_team',
      referrer_name: null,
      referrer_organisation: null,
      referrer_contact: null,
      clinical_team_id: clinicalTeamId,
      care_coordinator: null,
      received_date: now.slice(0, 10),
      accepted_date: null,
      first_contact_date: null,
      what_they_want: null,
      notes: null,
      in_work_at_referral: 0,
      status: 'open',
      closed_date: null,
      close_reason: null,
      close_note: null,
      created_by_user_id: null,
      created_at: now,
      updated_at: now,
      version: 1,
    })
    .execute();
}

/** Saves a profile version through the service, as the given practitioner or manager would. */
export async function makeProfile(
  db: DbOrTrx,
  deps: Deps,
  by: users.User,
  participantId: string,
  changes: Partial<ProfileData>,
): Promise<profiles.ProfileVersion> {
  const current = await profiles.currentVersion(db, participantId);
  return profiles.saveProfile(
    db,
    deps,
    SYSTEM_CONTEXT,
    { userId: by.id, role: by.role, teamId: by.teamId },
    participantId,
    current.version,
    changes,
  );
}

/** A referral for an existing participant, added through the referrals service (received today unless given). */
export async function makeReferral(
  db: DbOrTrx,
  deps: Deps,
  by: users.User,
  participantId: string,
  overrides: Partial<referrals.ReferralInput> = {},
): Promise<referrals.Referral> {
  const { referral } = await referrals.addReferral(
    db,
    deps,
    SYSTEM_CONTEXT,
    { userId: by.id, role: by.role, teamId: by.teamId },
    participantId,
    { source: 'self', receivedDate: deps.clock.now().toISOString().slice(0, 10), ...overrides },
  );
  return referral;
}

/** A contact logged through the service by the given practitioner or manager (10:00 on 25 November 2026 unless given). */
export async function makeContact(
  db: DbOrTrx,
  deps: Deps,
  by: users.User,
  participantId: string,
  overrides: Partial<contacts.ContactInput> = {},
): Promise<contacts.Contact> {
  return contacts.logContact(db, deps, SYSTEM_CONTEXT, { userId: by.id, role: by.role, teamId: by.teamId }, participantId, {
    startedAt: '2026-11-25T10:00:00Z',
    durationMinutes: 30,
    mode: 'face_to_face',
    place: 'community',
    purpose: 'engagement',
    ...overrides,
  });
}

/** A planned appointment through the service, as the given practitioner or manager would plan it (tomorrow at 10:00 UTC unless given). */
export async function makeAppointment(
  db: DbOrTrx,
  deps: Deps,
  by: users.User,
  participantId: string,
  overrides: Partial<appointments.AppointmentInput> = {},
): Promise<appointments.Appointment> {
  const tomorrow = new Date(deps.clock.now().getTime() + 86_400_000).toISOString().slice(0, 10);
  return appointments.planAppointment(
    db,
    deps,
    SYSTEM_CONTEXT,
    { userId: by.id, role: by.role, teamId: by.teamId },
    participantId,
    { startsAt: `${tomorrow}T10:00:00.000Z`, durationMinutes: 60, placeKind: 'community', purpose: 'engagement', ...overrides },
  );
}

/** An employer created through the service by the given practitioner or manager (an external prospect unless given). */
export async function makeEmployer(
  db: DbOrTrx,
  deps: Deps,
  by: users.User,
  overrides: Partial<employers.EmployerDetails> = {},
): Promise<employers.Employer> {
  return employers.createEmployer(
    db,
    deps,
    SYSTEM_CONTEXT,
    { userId: by.id, role: by.role, teamId: by.teamId },
    {
      name: `Employer ${unique()}`,
      type: 'external',
      ...overrides,
    },
  );
}

/** An open, advertised vacancy created through the service by the given practitioner or manager. */
export async function makeVacancy(
  db: DbOrTrx,
  deps: Deps,
  by: users.User,
  employerId: string,
  overrides: Partial<vacancies.VacancyDetails> = {},
): Promise<vacancies.Vacancy> {
  return vacancies.createVacancy(
    db,
    deps,
    SYSTEM_CONTEXT,
    { userId: by.id, role: by.role, teamId: by.teamId },
    {
      employerId,
      title: 'Kitchen assistant',
      foundVia: 'advertised',
      ...overrides,
    },
  );
}

/**
 * A row straight into the employer contact log: face to face, on nobody's behalf, unless told
 * otherwise. For tests that read the log without going through the employers service.
 */
export async function insertEmployerContact(
  db: DbOrTrx,
  deps: Deps,
  employerId: string,
  practitionerId: string,
  contactedAt: string,
  overrides: Partial<EmployerContactsTable> = {},
): Promise<EmployerContactsTable> {
  const now = deps.clock.now().toISOString();
  const row: EmployerContactsTable = {
    id: randomUUID(),
    created_at: now,
    updated_at: now,
    version: 1,
    employer_id: employerId,
    practitioner_id: practitionerId,
    participant_id: null,
    employer_person_id: null,
    contacted_at: contactedAt,
    mode: 'face_to_face',
    face_to_face: 1,
    purpose: 'introduction',
    outcome: null,
    next_step: null,
    next_step_due: null,
    deleted_at: null,
    deleted_by_user_id: null,
    delete_reason: null,
    ...overrides,
  };
  await db.insertInto('employer_contacts').values(row).execute();
  return row;
}

/**
 * A job started through the placements service with a new employer of its own (16 hours a week
 * at £13 an hour unless given), ended (resigned) when an end date is given.
 */
export async function makeJob(
  db: DbOrTrx,
  deps: Deps,
  by: users.User,
  participantId: string,
  job: { startDate: string; hoursPerWeek?: number | null; hourlyPayPence?: number; title?: string; endDate?: string },
): Promise<placements.Placement> {
  const employer = await makeEmployer(db, deps, by);
  const created = await placements.createPlacement(db, deps, SYSTEM_CONTEXT, {
    participantId,
    employerId: employer.id,
    practitionerId: by.id,
    title: job.title ?? 'Kitchen assistant',
    startDate: job.startDate,
    hoursPerWeek: job.hoursPerWeek === undefined ? 16 : job.hoursPerWeek,
    hourlyPayPence: job.hourlyPayPence ?? 1300,
  });
  if (job.endDate !== undefined) {
    const viewer = { userId: by.id, role: by.role, teamId: by.teamId };
    await placements.updatePlacement(db, deps, SYSTEM_CONTEXT, viewer, created.id, created.version, {
      endDate: job.endDate,
      endReason: 'resigned',
    });
  }
  return created;
}
