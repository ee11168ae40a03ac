import type { AuditContext } from '../../src/audit/service.ts';
import { addDays } from '../../src/appointments/rules.ts';
import { isOutOfHours } from '../../src/calendar/bank-holidays.ts';
import type { ContactMode, ContactPlace, ContactPurpose } from '../../src/contacts/rules.ts';
import { logContact } from '../../src/contacts/service.ts';
import { createEmployer } from '../../src/employers/service.ts';
import { createPlacement } from '../../src/placements/service.ts';
import type { ParticipantStatus, Viewer } from '../../src/participants/rules.ts';
import { changeStatus, loadVisible } from '../../src/participants/service.ts';
import { londonDate, londonInstant } from '../../src/referrals/rules.ts';
import { createIntake } from '../../src/referrals/service.ts';
import type { Role } from '../../src/users/roles.ts';
import type { E2eServer } from './server.ts';

// Records a spec needs before its journey starts, made through the server's own services (the
// same code the pages call), so only the pages under test are visited.

/** Who does it: a user made with `createTeamMember`. */
export interface Actor {
  id: string;
  role: Role;
  teamId: string;
}

function viewer(by: Actor): Viewer {
  return { userId: by.id, role: by.role, teamId: by.teamId };
}

function auditContext(by: Actor): AuditContext {
  return { actorUserId: by.id, actorLabel: 'e2e test set-up', clientAddress: null, requestId: null };
}

/** A London calendar day (`YYYY-MM-DD`) `offset` days from today on the server's clock. */
export function londonDay(server: E2eServer, offset = 0): string {
  return addDays(londonDate(server.deps.clock.now()), offset);
}

/**
 * The working day (a weekday, not a bank holiday in England and Wales) `offset` days from today,
 * or the nearest one before it: a contact at 10:00 that day is within working hours.
 */
export function workingDay(server: E2eServer, offset: number): string {
  let day = londonDay(server, offset);
  while (isOutOfHours(londonInstant(day, '12:00'))) day = addDays(day, -1);
  return day;
}

/**
 * Refers someone (a self-referral to IPS) the way the intake form does; a practitioner making
 * it puts the person on their own caseload. Returns the person's id.
 */
export async function referSomeone(
  server: E2eServer,
  by: Actor,
  person: { givenName: string; familyName: string },
  receivedDate = londonDay(server),
): Promise<string> {
  const { participant } = await createIntake(
    server.db,
    server.deps,
    auditContext(by),
    viewer(by),
    { givenName: person.givenName, familyName: person.familyName, programme: 'ips' },
    { source: 'self', receivedDate },
  );
  return participant.id;
}

export interface ContactDetails {
  /** London day and 24-hour time it started. */
  day: string;
  time: string;
  purpose: ContactPurpose;
  mode?: ContactMode;
  place?: ContactPlace;
  durationMinutes?: number;
  notes?: string;
}

/** Logs a contact as `by`, at a London day and time. */
export async function logContactAt(server: E2eServer, by: Actor, participantId: string, c: ContactDetails): Promise<void> {
  await server.db.transaction().execute((trx) =>
    logContact(trx, server.deps, auditContext(by), viewer(by), participantId, {
      startedAt: londonInstant(c.day, c.time).toISOString(),
      durationMinutes: c.durationMinutes ?? 30,
      mode: c.mode ?? 'face_to_face',
      place: c.place ?? 'community',
      purpose: c.purpose,
      notes: c.notes ?? null,
    }),
  );
}

/** Moves a person to another status, as the form on their page does. */
export async function moveStatus(
  server: E2eServer,
  by: Actor,
  participantId: string,
  to: ParticipantStatus,
  reason: string | null = null,
): Promise<void> {
  await server.db.transaction().execute(async (trx) => {
    const current = await loadVisible(trx, viewer(by), participantId);
    await changeStatus(trx, server.deps, auditContext(by), viewer(by), participantId, current.version, to, reason);
  });
}

/**
 * An employer and a job there for the person, started `daysAgo` days before today, made through
 * the services as a practitioner would. Returns the job (placement) id.
 */
export async function startJobFor(
  server: E2eServer,
  by: Actor,
  participantId: string,
  job: {
    employer: string;
    employerType: 'host' | 'supplier' | 'external';
    title: string;
    daysAgo: number;
    hoursPerWeek?: number;
    hourlyPayPence?: number;
  },
): Promise<string> {
  const employer = await createEmployer(server.db, server.deps, auditContext(by), viewer(by), {
    name: job.employer,
    type: job.employerType,
  });
  const placement = await createPlacement(server.db, server.deps, auditContext(by), {
    participantId,
    employerId: employer.id,
    title: job.title,
    startDate: londonDay(server, -job.daysAgo),
    ...(job.hoursPerWeek !== undefined ? { hoursPerWeek: job.hoursPerWeek } : {}),
    ...(job.hourlyPayPence !== undefined ? { hourlyPayPence: job.hourlyPayPence } : {}),
  });
  return placement.id;
}
