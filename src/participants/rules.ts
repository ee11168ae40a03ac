import type { DbOrTrx } from '../db/types.ts';
import type { Role } from '../users/roles.ts';

export const PROGRAMMES = ['ips', 'internship', 'follow_on'] as const;
export type Programme = (typeof PROGRAMMES)[number];
export const PROGRAMME_LABELS: Record<Programme, string> = {
  ips: 'IPS (mental health)',
  internship: 'Supported internship',
  follow_on: 'Follow-on job coaching',
};

export const STATUSES = ['referred', 'engaged', 'job_search', 'employed', 'discharged'] as const;
export type ParticipantStatus = (typeof STATUSES)[number];
export const STATUS_LABELS: Record<ParticipantStatus, string> = {
  referred: 'Referred',
  engaged: 'Engaged',
  job_search: 'Job search',
  employed: 'Employed',
  discharged: 'Discharged',
};

/** The NHS.UK tag colour each status is shown in. */
export const STATUS_COLOURS: Record<ParticipantStatus, string> = {
  referred: 'blue',
  engaged: 'aqua-green',
  job_search: 'purple',
  employed: 'green',
  discharged: 'grey',
};

/** What a practitioner does next for someone at each status. */
export const NEXT_STEPS: Record<ParticipantStatus, string> = {
  referred: 'Make first contact',
  engaged: 'Complete the vocational profile',
  job_search: 'Contact employers',
  employed: 'In-work support',
  discharged: 'None: discharged',
};

export const COMMUNICATION_NEEDS = ['easy_read', 'interpreter', 'large_print', 'british_sign_language', 'other'] as const;
export type CommunicationNeed = (typeof COMMUNICATION_NEEDS)[number];
export const COMMUNICATION_NEED_LABELS: Record<CommunicationNeed, string> = {
  easy_read: 'Easy read',
  interpreter: 'Interpreter',
  large_print: 'Large print',
  british_sign_language: 'British Sign Language',
  other: 'Something else',
};

export const CONTACT_METHODS = ['phone', 'text', 'email', 'letter', 'in_person'] as const;
export type ContactMethod = (typeof CONTACT_METHODS)[number];
export const CONTACT_METHOD_LABELS: Record<ContactMethod, string> = {
  phone: 'Phone call',
  text: 'Text message',
  email: 'Email',
  letter: 'Letter',
  in_person: 'In person',
};

// Where a person may go next. Discharged people come back only through a new referral, which
// starts a new episode (see referrals). Someone can find work before formal job search starts.
const NEXT: Record<ParticipantStatus, readonly ParticipantStatus[]> = {
  referred: ['engaged', 'discharged'],
  engaged: ['job_search', 'employed', 'discharged'],
  job_search: ['employed', 'engaged', 'discharged'],
  employed: ['job_search', 'discharged'],
  discharged: [],
};

/** Statuses a person can move to from `from`. */
export function allowedNextStatuses(from: ParticipantStatus): readonly ParticipantStatus[] {
  return NEXT[from];
}

/** Why a status move is refused, in words for the practitioner; null when it is allowed. */
export function statusChangeProblem(from: ParticipantStatus, to: ParticipantStatus): string | null {
  if (from === to) return `${STATUS_LABELS[from]} is already the status`;
  if (NEXT[from].includes(to)) return null;
  if (from === 'discharged') return 'A discharged person comes back through a new referral, which starts a new episode';
  const options = NEXT[from].map((s) => STATUS_LABELS[s].toLowerCase()).join(', ');
  return `Someone who is ${STATUS_LABELS[from].toLowerCase()} cannot move straight to ${STATUS_LABELS[to].toLowerCase()}. They can move to: ${options}`;
}

/** Strips spaces and dashes an NHS number is often typed with. */
export function nhsNumberDigits(input: string): string {
  return input.replace(/[\s-]/g, '');
}

/** The Modulus 11 check of an NHS number (10 digits). */
export function isValidNhsNumber(input: string): boolean {
  const digits = nhsNumberDigits(input);
  if (!/^\d{10}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(digits[i]) * (10 - i);
  let check = 11 - (sum % 11);
  if (check === 11) check = 0;
  if (check === 10) return false;
  return check === Number(digits[9]);
}

/** "943 476 5919". */
export function formatNhsNumber(digits: string | null | undefined): string {
  if (!digits) return '';
  return /^\d{10}$/.test(digits) ? `${digits.slice(0, 3)} ${digits.slice(3, 6)} ${digits.slice(6)}` : digits;
}

/** Lower case without accents, so "Zoë" is found by "zoe" and "ZOE". */
export function searchText(value: string): string {
  return value
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/** What name search looks in: every name a person is known by. */
export function searchNameOf(p: { givenName: string; familyName: string; preferredName?: string | null }): string {
  return searchText([p.givenName, p.familyName, p.preferredName ?? ''].join(' '));
}

/** What decides who may see a participant. */
export interface ParticipantScope {
  practitionerId: string | null;
  teamId: string | null;
  /** The clinical teams that referred this person (over all their episodes). */
  clinicalTeamIds: readonly string[];
  /** Break-glass grants on this person not yet expired or revoked (loaded only when they matter). */
  emergencyGrants?: readonly EmergencyGrant[];
}

/** One break-glass grant: read access for `userId` from `startsAt` up to, not including, `expiresAt`. */
export interface EmergencyGrant {
  grantId: string;
  userId: string;
  startsAt: string;
  expiresAt: string;
}

/**
 * Break-glass for one request: the instant it is judged at (from the injected clock, so tests can
 * move it) and the grants it has used, so the page can say so and each use is audited once.
 */
export interface EmergencyAccess {
  at: string;
  used: { participantId: string; grantId: string; expiresAt: string }[];
  /** Writes the use of a grant to the audit trail (`break_glass.viewed`, with the grant's id). */
  recordUse(db: DbOrTrx, use: { participantId: string; grantId: string }): Promise<void>;
}

export interface Viewer {
  userId: string;
  role: Role;
  teamId: string | null;
  /** Absent outside a request (digests, feeds): then break-glass never applies. */
  emergency?: EmergencyAccess;
}

/**
 * Who may see a person's record: their practitioner and the practitioner's team, the team's
 * managers, and clinicians of a clinical team that referred them; also, read only, whoever holds
 * a break-glass grant in force on them. Administrators and commissioners see no person-level data.
 */
export function canSeeParticipant(v: Viewer, p: ParticipantScope): boolean {
  return withinNormalReach(v, p) || emergencyGrantOf(v, p) !== null;
}

/** The roles a break-glass grant can be made to. */
export const EMERGENCY_GRANTEE_ROLES: readonly Role[] = ['practitioner', 'clinician', 'manager'];

/**
 * The break-glass grant that lets this viewer read the record now, or null: one made to them,
 * begun, and not yet at its expiry (the expiry instant itself is refused).
 */
export function emergencyGrantOf(v: Viewer, p: ParticipantScope): EmergencyGrant | null {
  const at = v.emergency?.at;
  if (at === undefined || !EMERGENCY_GRANTEE_ROLES.includes(v.role)) return null;
  const ms = Date.parse(at);
  return (
    p.emergencyGrants?.find((g) => g.userId === v.userId && Date.parse(g.startsAt) <= ms && ms < Date.parse(g.expiresAt)) ?? null
  );
}

/** The team and caseload rule alone, without break-glass. */
export function withinNormalReach(v: Viewer, p: ParticipantScope): boolean {
  switch (v.role) {
    case 'practitioner':
      return p.practitionerId === v.userId || (v.teamId !== null && p.teamId === v.teamId);
    case 'manager':
      return v.teamId !== null && p.teamId === v.teamId;
    case 'clinician':
      return v.teamId !== null && p.clinicalTeamIds.includes(v.teamId);
    default:
      return false;
  }
}

/**
 * Who may change a person's record: practitioners and managers who can see it in their normal
 * reach; clinicians only read, and break-glass never lets anyone change a record.
 */
export function canEditParticipant(v: Viewer, p: ParticipantScope): boolean {
  return (v.role === 'practitioner' || v.role === 'manager') && withinNormalReach(v, p);
}

/**
 * Special-category details (health, convictions, benefits): the assigned practitioner and the
 * managers of the person's team. Clinicians of the referring team see health notes only when
 * they are marked shared (decided per section by the profile).
 */
export function canSeeSensitive(v: Viewer, p: ParticipantScope): boolean {
  // Break-glass is for emergencies, when health details are what is needed: shown, read only.
  if (emergencyGrantOf(v, p) !== null) return true;
  if (v.role === 'practitioner') return p.practitionerId === v.userId;
  if (v.role === 'manager') return v.teamId !== null && p.teamId === v.teamId;
  return false;
}

/** Whole years between a date of birth and a day, both `YYYY-MM-DD`. */
export function ageOn(dateOfBirth: string, day: string): number {
  const [by, bm, bd] = dateOfBirth.split('-').map(Number) as [number, number, number];
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/** Initials only, like "J.S.", for places that must not carry a name (calendar feeds, emails). */
export function initialsOf(givenName: string, familyName: string): string {
  const first = (x: string) => (x.trim().match(/\p{L}|\p{N}/u)?.[0] ?? '').toUpperCase();
  return [first(givenName), first(familyName)]
    .filter(Boolean)
    .map((c) => `${c}.`)
    .join('');
}
