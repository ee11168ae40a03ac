import { type ParticipantScope, type Viewer, canSeeParticipant, canSeeSensitive } from '../participants/rules.ts';

// The vocational profile as a document. Its field names are the API's (snake_case), so a field
// name means the same thing in storage, in the API, in the form, in a diff and in the audit trail.

export const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Day = (typeof DAYS)[number];
export const DAY_LABELS: Record<Day, string> = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
};

export const TIMES = ['mornings', 'afternoons', 'evenings', 'nights'] as const;
export type TimeOfDay = (typeof TIMES)[number];
export const TIME_LABELS: Record<TimeOfDay, string> = {
  mornings: 'Mornings',
  afternoons: 'Afternoons',
  evenings: 'Evenings',
  nights: 'Nights',
};

export const TRAVEL_MODES = ['walk', 'cycle', 'bus', 'train', 'drive', 'lift'] as const;
export type TravelMode = (typeof TRAVEL_MODES)[number];
export const TRAVEL_MODE_LABELS: Record<TravelMode, string> = {
  walk: 'Walking',
  cycle: 'Cycling',
  bus: 'Bus',
  train: 'Train, tram or underground',
  drive: 'Driving themselves',
  lift: 'A lift from someone',
};

export const DISCLOSURES = ['full', 'partial', 'none'] as const;
export type Disclosure = (typeof DISCLOSURES)[number];
export const DISCLOSURE_LABELS: Record<Disclosure, string> = {
  full: 'Yes, the employer can be told about their health or disability and support needs',
  partial: 'Partly: only what the notes say',
  none: 'No, the employer should not be told',
};

export interface ProfileData {
  work_history: string | null;
  education: string | null;
  skills: string | null;
  strengths: string | null;
  interests: string | null;
  aspirations: string | null;
  occupations: string[];
  hours_per_week_min: number | null;
  hours_per_week_max: number | null;
  days: Day[];
  times: TimeOfDay[];
  weekends_ok: boolean | null;
  /** Hard limits the person set: a job at these times, or with any weekend work, is left out of matching. */
  never_times: TimeOfDay[];
  no_weekends: boolean;
  places: string[];
  max_travel_minutes: number | null;
  travel_modes: TravelMode[];
  /** Where they travel from, only to estimate journeys: both or neither. Never shown to employers. */
  home_latitude: number | null;
  home_longitude: number | null;
  lowest_hourly_pay_pence: number | null;
  disclosure: Disclosure | null;
  disclosure_notes: string | null;
  support_needs: string | null;
  weekly_structure: string | null;
  family_and_support: string | null;
  health_and_functioning: string | null;
  health_shared_with_clinical_team: boolean;
  convictions: string | null;
  convictions_job_impact: string | null;
  benefits: string | null;
}

export type ProfileField = keyof ProfileData;

/** A profile nobody has filled in yet: what "version 0" holds. */
export const EMPTY_PROFILE: Readonly<ProfileData> = Object.freeze({
  work_history: null,
  education: null,
  skills: null,
  strengths: null,
  interests: null,
  aspirations: null,
  occupations: [],
  hours_per_week_min: null,
  hours_per_week_max: null,
  days: [],
  times: [],
  weekends_ok: null,
  never_times: [],
  no_weekends: false,
  places: [],
  max_travel_minutes: null,
  travel_modes: [],
  home_latitude: null,
  home_longitude: null,
  lowest_hourly_pay_pence: null,
  disclosure: null,
  disclosure_notes: null,
  support_needs: null,
  weekly_structure: null,
  family_and_support: null,
  health_and_functioning: null,
  health_shared_with_clinical_team: false,
  convictions: null,
  convictions_job_impact: null,
  benefits: null,
});

export const PROFILE_FIELDS = Object.keys(EMPTY_PROFILE) as ProfileField[];

/** The special-category sections and the fields each holds. */
export const SENSITIVE_SECTIONS = {
  health_and_functioning: ['health_and_functioning', 'health_shared_with_clinical_team'],
  convictions: ['convictions', 'convictions_job_impact'],
  benefits: ['benefits'],
} as const satisfies Record<string, readonly ProfileField[]>;
export type SensitiveSection = keyof typeof SENSITIVE_SECTIONS;
export const SENSITIVE_SECTION_KEYS = Object.keys(SENSITIVE_SECTIONS) as SensitiveSection[];

/** Which sensitive sections a viewer may see. */
export type SectionAccess = Record<SensitiveSection, boolean>;
export const NO_SENSITIVE_ACCESS: Readonly<SectionAccess> = Object.freeze({
  health_and_functioning: false,
  convictions: false,
  benefits: false,
});
export const FULL_SENSITIVE_ACCESS: Readonly<SectionAccess> = Object.freeze({
  health_and_functioning: true,
  convictions: true,
  benefits: true,
});

export const HIDDEN_TEXT = "Hidden: only the assigned practitioner and the team's managers can see this";

/** The sensitive section a field belongs to, or null for an ordinary field. */
export function sensitiveSectionOf(field: ProfileField): SensitiveSection | null {
  for (const key of SENSITIVE_SECTION_KEYS) {
    if ((SENSITIVE_SECTIONS[key] as readonly ProfileField[]).includes(field)) return key;
  }
  return null;
}

/**
 * Which sensitive sections a viewer may see in this profile: all of them for the assigned
 * practitioner and the team's managers; health only, and only when marked shared, for a
 * clinician of a referring clinical team; none for anyone else.
 */
export function sensitiveAccess(
  viewer: Viewer,
  scope: ParticipantScope,
  data: Pick<ProfileData, 'health_shared_with_clinical_team'>,
): SectionAccess {
  if (!canSeeParticipant(viewer, scope)) return { ...NO_SENSITIVE_ACCESS };
  if (canSeeSensitive(viewer, scope)) return { ...FULL_SENSITIVE_ACCESS };
  if (viewer.role === 'clinician' && data.health_shared_with_clinical_team) {
    return { ...NO_SENSITIVE_ACCESS, health_and_functioning: true };
  }
  return { ...NO_SENSITIVE_ACCESS };
}

/** The sections of `access` that are open, in a fixed order. */
export function openSections(access: SectionAccess): SensitiveSection[] {
  return SENSITIVE_SECTION_KEYS.filter((k) => access[k]);
}

/** True when `field` may be shown under `access`. */
export function fieldVisible(field: ProfileField, access: SectionAccess): boolean {
  const section = sensitiveSectionOf(field);
  return section === null || access[section];
}

/** The profile without the sections the viewer may not see (the keys are absent, not blanked). */
export function redactProfile(data: ProfileData, access: SectionAccess): Partial<ProfileData> {
  const out: Partial<ProfileData> = {};
  for (const field of PROFILE_FIELDS) {
    if (fieldVisible(field, access)) (out as Record<string, unknown>)[field] = data[field];
  }
  return out;
}

/** The current profile with `changes` applied; fields not in `changes` are carried over unchanged. */
export function mergeProfile(current: ProfileData, changes: Partial<ProfileData>): ProfileData {
  const next: ProfileData = { ...current };
  for (const field of PROFILE_FIELDS) {
    if (changes[field] !== undefined) (next as unknown as Record<string, unknown>)[field] = changes[field];
  }
  return next;
}

/** Problems that involve more than one field, keyed by the field to show the message beside. */
export function profileProblems(data: ProfileData): Record<string, string> {
  const problems: Record<string, string> = {};
  if (data.hours_per_week_min !== null && data.hours_per_week_max !== null && data.hours_per_week_min > data.hours_per_week_max) {
    problems.hours_per_week_max = 'Most hours a week must be the same as or more than the fewest hours';
  }
  const both = data.times.filter((t) => data.never_times.includes(t));
  if (both.length > 0) {
    problems.never_times = `${both.map((t) => TIME_LABELS[t]).join(' and ')} cannot be both a time they can work and a time they will never work`;
  }
  if (data.no_weekends && data.weekends_ok === true) {
    problems.no_weekends = 'This says they will not work weekends, but weekend work says they are happy to: change one of them';
  } else if (data.no_weekends && (data.days.includes('sat') || data.days.includes('sun'))) {
    problems.no_weekends =
      'This says they will not work weekends, but Saturday or Sunday is ticked in the days they can work: change one of them';
  }
  // A journey is estimated from a point: half of one is no use, so it is both or neither.
  if ((data.home_latitude === null) !== (data.home_longitude === null)) {
    if (data.home_latitude === null) problems.home_latitude = 'Enter the latitude as well as the longitude, or neither';
    else problems.home_longitude = 'Enter the longitude as well as the latitude, or neither';
  }
  return problems;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => v === b[i]);
  return a === b;
}

export interface ProfileChange {
  field: ProfileField;
  label: string;
  /** Null when hidden: the viewer may not see this section, so only "changed" is shown. */
  before: ProfileData[ProfileField] | null;
  after: ProfileData[ProfileField] | null;
  hidden: boolean;
}

/**
 * The fields that differ between two versions, in form order, with the values before and after.
 * Values of sensitive sections the viewer may not see are left out (`hidden`), so the caller can
 * say only that they changed. Hides every sensitive value unless told otherwise.
 */
export function diffProfiles(a: ProfileData, b: ProfileData, access: SectionAccess = NO_SENSITIVE_ACCESS): ProfileChange[] {
  const changes: ProfileChange[] = [];
  for (const field of PROFILE_FIELDS) {
    if (sameValue(a[field], b[field])) continue;
    const hidden = !fieldVisible(field, access);
    changes.push({
      field,
      label: FIELD_LABELS[field],
      before: hidden ? null : a[field],
      after: hidden ? null : b[field],
      hidden,
    });
  }
  return changes;
}

/** Names of the fields that differ (for the audit trail: names only, never values). */
export function changedFields(a: ProfileData, b: ProfileData): ProfileField[] {
  return PROFILE_FIELDS.filter((f) => !sameValue(a[f], b[f]));
}

/** The access two versions share: a value is shown in a diff only if both sides may be seen. */
export function commonAccess(a: SectionAccess, b: SectionAccess): SectionAccess {
  return {
    health_and_functioning: a.health_and_functioning && b.health_and_functioning,
    convictions: a.convictions && b.convictions,
    benefits: a.benefits && b.benefits,
  };
}

export const FIELD_LABELS: Record<ProfileField, string> = {
  work_history: 'Work history',
  education: 'Education and training',
  skills: 'Skills',
  strengths: 'Strengths',
  interests: 'Interests',
  aspirations: 'Aspirations',
  occupations: 'Jobs or sectors they want',
  hours_per_week_min: 'Fewest hours a week',
  hours_per_week_max: 'Most hours a week',
  days: 'Days they can work',
  times: 'Times they can work',
  weekends_ok: 'Weekend work',
  never_times: 'Times they will never work',
  no_weekends: 'They will not work weekends at all',
  places: 'Places they would work',
  max_travel_minutes: 'Longest journey to work',
  travel_modes: 'How they can travel',
  home_latitude: 'Where they travel from: latitude',
  home_longitude: 'Where they travel from: longitude',
  lowest_hourly_pay_pence: 'Lowest hourly pay',
  disclosure: 'Telling employers',
  disclosure_notes: 'What the employer may be told',
  support_needs: 'Support needs',
  weekly_structure: 'How they structure their week',
  family_and_support: 'Family and other support',
  health_and_functioning: 'Health and functioning',
  health_shared_with_clinical_team: 'Shared with the clinical team',
  convictions: 'Convictions',
  convictions_job_impact: 'How convictions bear on job choice',
  benefits: 'Current benefits',
};

/** £12.21 from 1221 pence. */
export function formatPence(pence: number): string {
  return `£${(pence / 100).toFixed(2)}`;
}

function hoursText(n: number): string {
  return `${n} ${n === 1 ? 'hour' : 'hours'}`;
}

/** A field's value in words, or null when nothing is recorded. */
export function displayValue(field: ProfileField, value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) {
    if (value.length === 0) return null;
    const labels: Record<string, string> =
      field === 'days'
        ? DAY_LABELS
        : field === 'times' || field === 'never_times'
          ? TIME_LABELS
          : field === 'travel_modes'
            ? TRAVEL_MODE_LABELS
            : {};
    return value.map((v: string) => labels[v] ?? v).join(', ');
  }
  switch (field) {
    case 'weekends_ok':
      return value ? 'Happy to work weekends' : 'Would rather not work weekends';
    case 'health_shared_with_clinical_team':
    case 'no_weekends':
      return value ? 'Yes' : 'No';
    case 'home_latitude':
    case 'home_longitude':
      return (value as number).toString();
    case 'hours_per_week_min':
    case 'hours_per_week_max':
      return hoursText(value as number);
    case 'max_travel_minutes':
      return `${value as number} minutes`;
    case 'lowest_hourly_pay_pence':
      return `${formatPence(value as number)} an hour`;
    case 'disclosure':
      return DISCLOSURE_LABELS[value as Disclosure] ?? JSON.stringify(value);
    default:
      return typeof value === 'string' ? value : JSON.stringify(value);
  }
}

/** A page section: a heading and the fields under it. */
export interface ProfileSection {
  key: string;
  title: string;
  fields: readonly ProfileField[];
  /** Set for the special-category sections. */
  sensitive?: SensitiveSection;
}

/** The profile's sections in the order the pages show them. */
export const PROFILE_SECTIONS: readonly ProfileSection[] = [
  { key: 'aspirations', title: 'Aspirations', fields: ['aspirations'] },
  {
    key: 'job_preferences',
    title: 'Job preferences',
    fields: [
      'occupations',
      'hours_per_week_min',
      'hours_per_week_max',
      'days',
      'times',
      'weekends_ok',
      'never_times',
      'no_weekends',
      'places',
      'max_travel_minutes',
      'travel_modes',
      'home_latitude',
      'home_longitude',
      'lowest_hourly_pay_pence',
    ],
  },
  { key: 'work_history', title: 'Work history', fields: ['work_history'] },
  { key: 'education', title: 'Education and training', fields: ['education'] },
  { key: 'skills', title: 'Skills', fields: ['skills'] },
  { key: 'strengths', title: 'Strengths', fields: ['strengths'] },
  { key: 'interests', title: 'Interests', fields: ['interests'] },
  { key: 'disclosure', title: 'Telling employers (disclosure)', fields: ['disclosure', 'disclosure_notes'] },
  { key: 'support_needs', title: 'Support needs', fields: ['support_needs'] },
  { key: 'weekly_structure', title: 'How they structure their week', fields: ['weekly_structure'] },
  { key: 'family_and_support', title: 'Family and other support', fields: ['family_and_support'] },
  {
    key: 'health_and_functioning',
    title: 'Health and functioning',
    fields: SENSITIVE_SECTIONS.health_and_functioning,
    sensitive: 'health_and_functioning',
  },
  { key: 'convictions', title: 'Convictions', fields: SENSITIVE_SECTIONS.convictions, sensitive: 'convictions' },
  { key: 'benefits', title: 'Benefits', fields: SENSITIVE_SECTIONS.benefits, sensitive: 'benefits' },
];

/** The section with this key, or undefined. */
export function sectionByKey(key: string): ProfileSection | undefined {
  return PROFILE_SECTIONS.find((s) => s.key === key);
}

export interface EmployerProfile {
  name: string;
  sections: { heading: string; text: string }[];
}

/**
 * What the one-page profile for an employer holds. The sensitive sections never appear. What is
 * said about support depends on the disclosure preference: `full` gives the support needs (and
 * the notes), `partial` only the notes on what the employer may be told, and `none` (or no
 * preference recorded yet) nothing about support, health or disability at all. Where the person
 * lives (their home coordinates) is never included.
 */
export function employerProfile(name: string, data: ProfileData): EmployerProfile {
  const sections: { heading: string; text: string }[] = [];
  const add = (heading: string, text: string | null) => {
    if (text && text.trim()) sections.push({ heading, text: text.trim() });
  };
  add('Skills', data.skills);
  add('Strengths', data.strengths);
  add('Interests', data.interests);
  add('Experience', data.work_history);
  add('Education and training', data.education);

  const wants: string[] = [];
  const line = (label: string, field: ProfileField) => {
    const v = displayValue(field, data[field]);
    if (v) wants.push(`${label}: ${v}`);
  };
  line('Jobs', 'occupations');
  const { hours_per_week_min: min, hours_per_week_max: max } = data;
  if (min !== null && max !== null) wants.push(`Hours: ${min === max ? hoursText(min) : `${min} to ${hoursText(max)}`} a week`);
  else if (min !== null) wants.push(`Hours: at least ${hoursText(min)} a week`);
  else if (max !== null) wants.push(`Hours: up to ${hoursText(max)} a week`);
  line('Days', 'days');
  line('Times', 'times');
  line('Times I cannot work', 'never_times');
  if (data.no_weekends) wants.push('Weekends: no');
  else if (data.weekends_ok !== null) wants.push(`Weekends: ${data.weekends_ok ? 'yes' : 'rather not'}`);
  line('Places', 'places');
  line('Longest journey', 'max_travel_minutes');
  line('Travel', 'travel_modes');
  line('Lowest pay', 'lowest_hourly_pay_pence');
  add('Work I am looking for', wants.join('\n'));

  if (data.disclosure === 'full') {
    add('Support that helps me at work', data.support_needs);
    add('What I would like you to know', data.disclosure_notes);
  } else if (data.disclosure === 'partial') {
    add('What I would like you to know', data.disclosure_notes);
  }
  return { name, sections };
}

/** A file name safe in a Content-Disposition header: letters, digits and hyphens only. */
export function profileFileName(name: string, day: string): string {
  const slug = name
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return `profile-${slug || 'participant'}-${day.replace(/[^0-9-]/g, '')}.pdf`;
}
