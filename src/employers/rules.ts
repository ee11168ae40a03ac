// Employers and job development: the words and the pure rules, no I/O.

/**
 * `host` is the organisation that runs the programme (for example the hospital trust);
 * `supplier` supplies the host (this matters when reporting redundancy and redeployment);
 * `external` is any other employer.
 */
export const EMPLOYER_TYPES = ['host', 'supplier', 'external'] as const;
export type EmployerType = (typeof EMPLOYER_TYPES)[number];
export const EMPLOYER_TYPE_LABELS: Record<EmployerType, string> = {
  host: 'Host organisation (runs the programme)',
  supplier: 'Supplier to the host',
  external: 'Other employer',
};
export const EMPLOYER_TYPE_SHORT_LABELS: Record<EmployerType, string> = {
  host: 'Host',
  supplier: 'Supplier',
  external: 'Other employer',
};

export const RELATIONSHIP_STAGES = ['prospect', 'contacted', 'engaged', 'hiring_partner', 'dormant'] as const;
export type RelationshipStage = (typeof RELATIONSHIP_STAGES)[number];
export const RELATIONSHIP_STAGE_LABELS: Record<RelationshipStage, string> = {
  prospect: 'Prospect',
  contacted: 'Contacted',
  engaged: 'Engaged',
  hiring_partner: 'Hiring partner',
  dormant: 'Dormant',
};
/** The NHS.UK tag colour each stage is shown in. */
export const RELATIONSHIP_STAGE_COLOURS: Record<RelationshipStage, string> = {
  prospect: 'grey',
  contacted: 'blue',
  engaged: 'aqua-green',
  hiring_partner: 'green',
  dormant: 'orange',
};

export const EMPLOYER_SIZES = ['micro', 'small', 'medium', 'large'] as const;
export type EmployerSize = (typeof EMPLOYER_SIZES)[number];
export const EMPLOYER_SIZE_LABELS: Record<EmployerSize, string> = {
  micro: 'Fewer than 10 staff',
  small: '10 to 49 staff',
  medium: '50 to 249 staff',
  large: '250 staff or more',
};

export const EMPLOYER_CONTACT_MODES = ['face_to_face', 'phone', 'video', 'email', 'event'] as const;
export type EmployerContactMode = (typeof EMPLOYER_CONTACT_MODES)[number];
export const EMPLOYER_CONTACT_MODE_LABELS: Record<EmployerContactMode, string> = {
  face_to_face: 'Face to face visit',
  phone: 'Phone',
  video: 'Video call',
  email: 'Email or letter',
  event: 'Face to face at an event (for example a jobs fair)',
};

/** IPS counts face-to-face employer contacts; a meeting at an event is face to face too. */
export function isFaceToFace(mode: EmployerContactMode): boolean {
  return mode === 'face_to_face' || mode === 'event';
}

export const EMPLOYER_CONTACT_PURPOSES = [
  'introduction',
  'learn_about_business',
  'discuss_vacancy',
  'on_behalf',
  'job_carving',
  'in_work_support',
  'follow_up',
] as const;
export type EmployerContactPurpose = (typeof EMPLOYER_CONTACT_PURPOSES)[number];
export const EMPLOYER_CONTACT_PURPOSE_LABELS: Record<EmployerContactPurpose, string> = {
  introduction: 'Introduce the service',
  learn_about_business: 'Learn about the business and its hiring needs',
  discuss_vacancy: 'Discuss a vacancy',
  on_behalf: 'On behalf of a person (an introduction or application)',
  job_carving: 'Create a job with the employer',
  in_work_support: 'Support for someone in work there',
  follow_up: 'Follow up',
};

// Words that do not tell two organisations apart: "Acme Ltd" is "Acme Limited" is "ACME".
const LEGAL_ENDINGS = new Set(['ltd', 'limited', 'plc', 'llp', 'inc', 'co', 'company', 'uk', 'cic', 'group']);

/**
 * The key duplicate organisations are caught by: case, accents, punctuation, apostrophes,
 * "&"/"and", "Saint"/"St", a leading "The" and legal endings such as "Ltd" or "PLC" do not
 * count. A name made only of such words keeps them.
 */
export function employerNameKey(name: string): string {
  const words = name
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    // An apostrophe joins, it does not split: "St Mary's" is "ST MARYS".
    .replace(/['\u2018\u2019\u02bc`]/g, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .map((w) => (w === 'saint' ? 'st' : w));
  let core = words;
  if (core[0] === 'the' && core.length > 1) core = core.slice(1);
  while (core.length > 1 && LEGAL_ENDINGS.has(core[core.length - 1] as string)) core = core.slice(0, -1);
  return core.join(' ');
}

/** A name as shown: trimmed, with runs of spaces made single. */
export function tidyEmployerName(name: string): string {
  return name.trim().replace(/\s+/g, ' ');
}

/**
 * The stage an employer moves to when a contact is logged: the first contact with a prospect
 * makes it "contacted"; any later stage is the practitioner's judgement and stays.
 */
export function stageAfterContact(stage: RelationshipStage): RelationshipStage {
  return stage === 'prospect' ? 'contacted' : stage;
}

/** Who may change or delete an employer contact: its author, or a manager of the author's team. */
export function canChangeEmployerContact(
  viewer: { userId: string; role: string; teamId: string | null },
  contact: { practitionerId: string; practitionerTeamId: string | null },
): boolean {
  if (contact.practitionerId === viewer.userId) return viewer.role === 'practitioner' || viewer.role === 'manager';
  return viewer.role === 'manager' && viewer.teamId !== null && viewer.teamId === contact.practitionerTeamId;
}

/** Why a pair of coordinates is refused, by field; empty when both are given in range, or neither. */
export function coordinateProblems(
  latitude: number | null | undefined,
  longitude: number | null | undefined,
): Record<string, string> {
  const hasLat = latitude !== null && latitude !== undefined;
  const hasLon = longitude !== null && longitude !== undefined;
  if (hasLat !== hasLon) return { [hasLat ? 'longitude' : 'latitude']: 'Enter both latitude and longitude, or neither' };
  const problems: Record<string, string> = {};
  if (hasLat && !(Math.abs(latitude) <= 90)) problems.latitude = 'Latitude must be between -90 and 90';
  if (hasLon && !(Math.abs(longitude) <= 180)) problems.longitude = 'Longitude must be between -180 and 180';
  return problems;
}

/** ISO date-time to the Monday (London calendar day) of its week, `YYYY-MM-DD`. */
export function mondayOf(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  const back = (date.getUTCDay() + 6) % 7;
  date.setUTCDate(date.getUTCDate() - back);
  return date.toISOString().slice(0, 10);
}
