import { z } from 'zod';
import { ListQuerySchema } from '../http/api.ts';
import { isCalendarDate, londonInstant } from '../referrals/rules.ts';
import { MODES, PLACES, PURPOSES } from './rules.ts';

// ---- Building blocks ---------------------------------------------------------------------------

/** Optional free text: '' and whitespace become null. */
function optionalText(label: string, max: number) {
  return z
    .string({ error: `${label} must be text` })
    .max(max, `${label} must be ${max} characters or fewer`)
    .nullish()
    .transform((v) => (v && v.trim() ? v : null));
}

const MAX_MINUTES = 12 * 60;
const NOTES_MAX = 10_000;

const mode = z.enum(MODES, { error: 'Select how the contact happened' });
const place = z.enum(PLACES, { error: 'Select where the contact happened' });
const purpose = z.enum(PURPOSES, { error: 'Select what the contact was for' });

const formVersion = z.coerce
  .number({ error: 'Send the version you read' })
  .int('Send the version you read')
  .min(1, 'Send the version you read');

const apiVersion = z
  .number({ error: 'Send the version you read' })
  .int('Send the version you read')
  .min(1, 'Send the version you read')
  .describe('The version you read; a stale one is a 409 and nothing changes');

/**
 * A typed date: `YYYY-MM-DD` (what a date picker sends) or `DD/MM/YYYY` (what people type where
 * there is no picker). Returns `YYYY-MM-DD` or null.
 */
export function parseFormDate(value: string): string | null {
  const v = value.trim();
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(v);
  const uk = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(v);
  const [y, m, d] = iso ? [iso[1], iso[2], iso[3]] : uk ? [uk[3], uk[2], uk[1]] : [];
  if (!y || !m || !d) return null;
  const date = `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
  return isCalendarDate(date) ? date : null;
}

/** A typed time on the 24-hour clock (`14:30`, also `14.30`), as `HH:MM`, or null. */
export function parseFormTime(value: string): string | null {
  const m = /^([01]?\d|2[0-3])[:.]([0-5]\d)$/.exec(value.trim());
  return m?.[1] && m[2] ? `${m[1].padStart(2, '0')}:${m[2]}` : null;
}

// ---- Forms -------------------------------------------------------------------------------------

const formFields = {
  started_date: z
    .string({ error: 'Enter the date of the contact' })
    .trim()
    .min(1, 'Enter the date of the contact')
    .refine((v) => parseFormDate(v) !== null, 'Date of the contact must be a real date, like 25/11/2026'),
  started_time: z
    .string({ error: 'Enter the time the contact started' })
    .trim()
    .min(1, 'Enter the time the contact started')
    .refine((v) => parseFormTime(v) !== null, 'Enter a time using the 24-hour clock, like 14:30'),
  duration_minutes: z.coerce
    .number({ error: 'Enter how long the contact lasted, in minutes' })
    .int('Enter the duration as a whole number of minutes')
    .min(1, 'Duration must be at least 1 minute')
    .max(MAX_MINUTES, `Duration must be ${MAX_MINUTES} minutes (12 hours) or less`),
  mode,
  place,
  purpose,
  with_whom: optionalText('With whom', 200),
  notes: optionalText('Notes', NOTES_MAX),
  shared_with_clinical_team: z
    .literal('yes', { error: 'Select the box to share with the clinical team, or leave it empty' })
    .optional()
    .transform((v) => v === 'yes'),
  // Shown only to people with a job: missing leaves it as it was, `none` means not for a job.
  placement_id: z
    .union([z.literal('none'), z.uuid()], { error: 'Select which job this support was for, or none' })
    .optional()
    .transform((v) => (v === undefined ? undefined : v === 'none' ? null : v)),
  // Shown only to people with an hourly Access to Work award: missing leaves the charge to the
  // service (the default award for in-work support), `none` means not charged.
  atw_award_id: z
    .union([z.literal('none'), z.uuid()], { error: 'Select the Access to Work award to charge, or Do not charge' })
    .optional()
    .transform((v) => (v === undefined ? undefined : v === 'none' ? null : v)),
  _csrf: z.string().optional(),
};

/** Turns the form's London date and time into the instant the contact started. */
function withStartedAt<T extends { started_date: string; started_time: string }>(v: T): T & { started_at: string } {
  const instant = londonInstant(parseFormDate(v.started_date) ?? '', parseFormTime(v.started_time) ?? '');
  return { ...v, started_at: instant.toISOString() };
}

// Browsers send empty duration as '', which should read as "missing", not as 0.
const emptyDurationIsMissing = (body: unknown) => {
  if (!body || typeof body !== 'object') return body;
  const b = body as Record<string, unknown>;
  return b.duration_minutes === '' ? { ...b, duration_minutes: undefined } : b;
};

/** "Log a contact": the time (London), duration, how, where, why, with whom, notes and sharing. */
export const ContactFormSchema = z.preprocess(emptyDurationIsMissing, z.strictObject(formFields).transform(withStartedAt));
export type ContactFormInput = z.infer<typeof ContactFormSchema>;

/** Changing a contact: the same fields and the version it was read at. */
export const ContactEditFormSchema = z.preprocess(
  emptyDurationIsMissing,
  z.strictObject({ ...formFields, version: formVersion }).transform(withStartedAt),
);
export type ContactEditFormInput = z.infer<typeof ContactEditFormSchema>;

/** Deleting a contact: why, and the version it was read at. */
export const ContactDeleteFormSchema = z.strictObject({
  reason: z
    .string({ error: 'Enter why you are deleting this contact' })
    .trim()
    .min(1, 'Enter why you are deleting this contact')
    .max(1000, 'Reason must be 1000 characters or fewer'),
  version: formVersion,
  _csrf: z.string().optional(),
});
export type ContactDeleteFormInput = z.infer<typeof ContactDeleteFormSchema>;

// ---- API ---------------------------------------------------------------------------------------

const startedAt = z.iso
  .datetime({ offset: true, error: 'started_at must be an ISO-8601 instant with an offset, like 2026-11-25T10:00:00Z' })
  .describe('When the contact started; `out_of_hours` is derived from it in Europe/London time');
const durationMinutes = z
  .number({ error: 'duration_minutes must be a number of minutes' })
  .int('duration_minutes must be a whole number')
  .min(1, 'duration_minutes must be at least 1')
  .max(MAX_MINUTES, `duration_minutes must be ${MAX_MINUTES} or less`)
  .describe('Rounded to the nearest 5 minutes (at least 5)');
const placementId = z
  .uuid({ error: 'placement_id must be the id of one of the person’s jobs, or null' })
  .nullable()
  .describe('The job this contact was support for (one of the person’s placements); it then counts as in-work support for it');
const atwAwardId = z
  .uuid({ error: 'atw_award_id must be the id of one of the person’s Access to Work awards, or null' })
  .nullable()
  .describe(
    'The Access to Work award this support is charged to (an hourly award covering the contact’s day); null for none. Left out when logging in-work support, it is the person’s one active job-coach award, if they have exactly one',
  );
const apiEnum = <T extends readonly [string, ...string[]]>(name: string, values: T) =>
  z.enum(values, { error: `${name} must be one of: ${values.join(', ')}` });

export const ContactCreateSchema = z.strictObject({
  started_at: startedAt,
  duration_minutes: durationMinutes,
  mode: apiEnum('mode', MODES),
  place: apiEnum('place', PLACES),
  purpose: apiEnum('purpose', PURPOSES),
  with_whom: optionalText('with_whom', 200).describe('Who else took part, such as a line manager'),
  notes: optionalText('notes', NOTES_MAX).describe('Plain text; line breaks are kept'),
  shared_with_clinical_team: z
    .boolean({ error: 'shared_with_clinical_team must be true or false' })
    .default(false)
    .describe('Clinicians of the referring team see only contacts shared with them'),
  placement_id: placementId.optional(),
  atw_award_id: atwAwardId.optional(),
});
export type ContactCreateInput = z.infer<typeof ContactCreateSchema>;

export const ContactUpdateSchema = z.strictObject({
  version: apiVersion,
  started_at: startedAt.optional(),
  duration_minutes: durationMinutes.optional(),
  mode: apiEnum('mode', MODES).optional(),
  place: apiEnum('place', PLACES).optional(),
  purpose: apiEnum('purpose', PURPOSES).optional(),
  with_whom: optionalText('with_whom', 200).optional(),
  notes: optionalText('notes', NOTES_MAX).optional(),
  shared_with_clinical_team: z.boolean({ error: 'shared_with_clinical_team must be true or false' }).optional(),
  placement_id: placementId.optional(),
  atw_award_id: atwAwardId.optional(),
});
export type ContactUpdateInput = z.infer<typeof ContactUpdateSchema>;

export const ContactDeleteSchema = z.strictObject({
  version: apiVersion,
  reason: z
    .string({ error: 'Give a reason for deleting the contact' })
    .trim()
    .min(1, 'Give a reason for deleting the contact')
    .max(1000, 'reason must be 1000 characters or fewer')
    .describe('Why the contact is deleted; kept with the record'),
});
export type ContactDeleteInput = z.infer<typeof ContactDeleteSchema>;

export const ContactListQuerySchema = ListQuerySchema.strict();

export const ContactJsonSchema = z.object({
  id: z.string().describe('Record id (a UUID)'),
  participant_id: z.string(),
  practitioner_id: z.string().describe('Who logged the contact; they (or a manager of the team) may change it'),
  started_at: z.string().describe('ISO-8601 instant'),
  duration_minutes: z.number().int(),
  mode: z.enum(MODES),
  place: z.enum(PLACES),
  purpose: z.enum(PURPOSES),
  with_whom: z.string().nullable(),
  notes: z.string().nullable(),
  shared_with_clinical_team: z.boolean(),
  out_of_hours: z
    .boolean()
    .describe('Derived: before 08:00 or from 18:00 on a weekday, a weekend, or a bank holiday in England and Wales'),
  placement_id: z.string().nullable().describe('The job this contact was in-work support for, if any'),
  atw_award_id: z.string().nullable().describe('The Access to Work award this support is charged to, if any'),
  locked_in_claim: z
    .boolean()
    .describe('True once the contact is in a submitted Access to Work claim: changing or deleting it is then refused (422)'),
  created_at: z.string().describe('ISO-8601 instant'),
  updated_at: z.string().describe('ISO-8601 instant'),
  version: z.number().int().min(1).describe('Send it back in a PATCH or DELETE'),
});

export const ContactListJsonSchema = z.object({
  items: z.array(ContactJsonSchema),
  next_cursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last page'),
});
