import { z } from 'zod';
import { ListQuerySchema } from '../http/api.ts';
import { PROGRAMMES, isValidNhsNumber } from '../participants/rules.ts';
import { ATTEMPT_METHODS, CLOSE_REASONS, REFERRAL_SOURCES, REFERRAL_STATUSES, isCalendarDate } from './rules.ts';

// Zero exclusion: there is deliberately no field here for diagnosis, convictions, health,
// benefits, risk or "readiness". A test checks that none is ever added.

// ---- Building blocks ---------------------------------------------------------------------------

/** Optional free text: '' and whitespace become null. */
function optionalText(label: string, max: number) {
  return z
    .string({ error: `${label} must be text` })
    .trim()
    .max(max, `${label} must be ${max} characters or fewer`)
    .nullish()
    .transform((v) => (v ? v : null));
}

const csrf = z.string().optional();

const source = z.enum(REFERRAL_SOURCES, { error: 'Select where the referral came from' });

const versionField = z.coerce
  .number({ error: 'Send the version you read' })
  .int('Send the version you read')
  .min(1, 'Send the version you read');

/** A calendar date in the API: `YYYY-MM-DD`. */
function apiDate(label: string) {
  return z
    .string({ error: `${label} must be a date written YYYY-MM-DD` })
    .refine(isCalendarDate, `${label} must be a real date written YYYY-MM-DD`);
}

const DATE_PARTS = ['day', 'month', 'year'] as const;

/**
 * NHS.UK date inputs post `name[day]`, `name[month]` and `name[year]`; this gathers each named
 * date into one value before the form's schema reads it.
 */
function withDateParts<S extends z.ZodType>(names: readonly string[], schema: S) {
  return z.preprocess((body) => {
    if (!body || typeof body !== 'object') return body;
    const out: Record<string, unknown> = { ...(body as Record<string, unknown>) };
    for (const name of names) {
      const parts = DATE_PARTS.map((p) => {
        const v = out[`${name}[${p}]`];
        delete out[`${name}[${p}]`];
        return typeof v === 'string' ? v.trim() : '';
      });
      out[name] = { day: parts[0], month: parts[1], year: parts[2] };
    }
    return out;
  }, schema);
}

const dateParts = z.object({ day: z.string(), month: z.string(), year: z.string() });

/** Checks typed date parts; returns `YYYY-MM-DD`, null when all are empty, or a message. */
function partsToDate(v: { day: string; month: string; year: string }, label: string): string | null | { problem: string } {
  if (!v.day && !v.month && !v.year) return null;
  const missing = DATE_PARTS.filter((p) => !v[p]);
  if (missing.length > 0) return { problem: `${label} must include a ${missing.join(' and a ')}` };
  if (!/^\d{1,2}$/.test(v.day) || !/^\d{1,2}$/.test(v.month) || !/^\d{4}$/.test(v.year))
    return { problem: `${label} must be a real date` };
  const iso = `${v.year}-${v.month.padStart(2, '0')}-${v.day.padStart(2, '0')}`;
  return isCalendarDate(iso) ? iso : { problem: `${label} must be a real date` };
}

function requiredFormDate(label: string, emptyMessage: string) {
  return dateParts.transform((v, ctx): string => {
    const result = partsToDate(v, label);
    if (typeof result === 'string') return result;
    ctx.issues.push({ code: 'custom', message: result ? result.problem : emptyMessage, input: v });
    return z.NEVER;
  });
}

function optionalFormDate(label: string) {
  return dateParts.transform((v, ctx): string | null => {
    const result = partsToDate(v, label);
    if (result === null || typeof result === 'string') return result;
    ctx.issues.push({ code: 'custom', message: result.problem, input: v });
    return z.NEVER;
  });
}

// ---- Forms -------------------------------------------------------------------------------------

// The referral itself, as the intake and re-referral forms post it.
const referralFormFields = {
  source,
  referrer_name: optionalText('Referrer’s name', 200),
  referrer_organisation: optionalText('Organisation', 200),
  referrer_contact: optionalText('Referrer’s contact details', 300),
  clinical_team_id: z
    .union([z.uuid({ error: 'Select a clinical team from the list' }), z.literal('')], {
      error: 'Select a clinical team from the list',
    })
    .optional()
    .transform((v) => (v ? v : null)),
  care_coordinator: optionalText('Care coordinator', 200),
  received_date: requiredFormDate('Date received', 'Enter the date the referral was received'),
  what_they_want: optionalText('What they want', 4000),
  in_work_at_referral: z
    .enum(['yes', 'no'], { error: 'Select yes if they are already in paid work' })
    .transform((v) => v === 'yes'),
  notes: optionalText('Notes', 4000),
  _csrf: csrf,
};

/** The "New referral" intake: the referral, then the person's basic details. */
export const IntakeFormSchema = withDateParts(
  ['received_date', 'date_of_birth'],
  z.strictObject({
    ...referralFormFields,
    given_name: z
      .string({ error: 'Enter their given name' })
      .trim()
      .min(1, 'Enter their given name')
      .max(100, 'Given name must be 100 characters or fewer'),
    family_name: z
      .string({ error: 'Enter their family name' })
      .trim()
      .min(1, 'Enter their family name')
      .max(100, 'Family name must be 100 characters or fewer'),
    preferred_name: optionalText('Preferred name', 100),
    date_of_birth: optionalFormDate('Date of birth'),
    nhs_number: optionalText('NHS number', 20).refine(
      (v) => v === null || isValidNhsNumber(v),
      'Enter a valid NHS number: 10 digits, like 943 476 5919',
    ),
    phone: optionalText('Phone number', 30),
    programme: z.enum(PROGRAMMES, { error: 'Select a programme' }),
    // After possible duplicates were shown: 'new' for a different person, or the id of the
    // existing record this referral belongs to.
    duplicate_choice: z
      .union([z.literal('new'), z.uuid(), z.literal('')], { error: 'Choose one of the options' })
      .optional()
      .transform((v) => (v ? v : null)),
  }),
);
export type IntakeFormInput = z.infer<typeof IntakeFormSchema>;

/** A new referral (re-referral) for someone already known, from their referrals page. */
export const ReferralFormSchema = withDateParts(
  ['received_date'],
  z.strictObject({ ...referralFormFields, version: versionField }),
);
export type ReferralFormInput = z.infer<typeof ReferralFormSchema>;

/** One failed attempt to reach the person. */
export const ContactAttemptFormSchema = withDateParts(
  ['attempt_date'],
  z.strictObject({
    attempt_date: requiredFormDate('Date of the attempt', 'Enter the date of the attempt'),
    attempt_time: z
      .string({ error: 'Enter the time of the attempt' })
      .trim()
      .min(1, 'Enter the time of the attempt')
      .regex(/^([01]?\d|2[0-3]):[0-5]\d$/, 'Enter a time using the 24-hour clock, like 14:30'),
    method: z.enum(ATTEMPT_METHODS, { error: 'Select how you tried to contact them' }),
    attempt_note: optionalText('Note', 1000),
    version: versionField,
    _csrf: csrf,
  }),
);
export type ContactAttemptFormInput = z.infer<typeof ContactAttemptFormSchema>;

/** The day of first contact. */
export const FirstContactFormSchema = withDateParts(
  ['first_contact_date'],
  z.strictObject({
    first_contact_date: requiredFormDate('Date of first contact', 'Enter the date of first contact'),
    version: versionField,
    _csrf: csrf,
  }),
);
export type FirstContactFormInput = z.infer<typeof FirstContactFormSchema>;

/** Closing a referral: the reason, a note, and (on the confirmation page) `confirm=yes`. */
export const CloseFormSchema = z.strictObject({
  close_reason: z.enum(CLOSE_REASONS, { error: 'Select why the referral is closing' }),
  close_note: optionalText('Note', 2000),
  version: versionField,
  confirm: z.literal('yes').optional(),
  _csrf: csrf,
});
export type CloseFormInput = z.infer<typeof CloseFormSchema>;

// ---- API ---------------------------------------------------------------------------------------

export const ReferralCreateSchema = z.strictObject({
  source,
  referrer_name: optionalText('referrer_name', 200),
  referrer_organisation: optionalText('referrer_organisation', 200),
  referrer_contact: optionalText('referrer_contact', 300),
  clinical_team_id: z.uuid({ error: 'clinical_team_id must be a team id' }).nullish(),
  care_coordinator: optionalText('care_coordinator', 200),
  received_date: apiDate('received_date').describe('The day the referral arrived, YYYY-MM-DD'),
  accepted_date: apiDate('accepted_date')
    .nullish()
    .describe('The day the person was accepted onto the caseload (the IPS referral date); defaults to received_date'),
  first_contact_date: apiDate('first_contact_date').nullish(),
  what_they_want: optionalText('what_they_want', 4000).describe('What the person wants, in their own words'),
  in_work_at_referral: z
    .boolean({ error: 'in_work_at_referral must be true or false' })
    .default(false)
    .describe('True for a job-retention referral: the person already has a job'),
  notes: optionalText('notes', 4000),
});
export type ReferralCreateInput = z.infer<typeof ReferralCreateSchema>;

export const ReferralUpdateSchema = z
  .strictObject({
    version: z.number({ error: 'Send the version you read' }).int().min(1),
    accepted_date: apiDate('accepted_date').optional(),
    first_contact_date: apiDate('first_contact_date').nullable().optional(),
    close_reason: z
      .enum(CLOSE_REASONS, { error: `close_reason must be one of: ${CLOSE_REASONS.join(', ')}` })
      .optional()
      .describe('Closes the referral and discharges the person. `no_contact` needs the recorded contact attempts'),
    close_note: optionalText('close_note', 2000).optional(),
  })
  .refine((v) => v.close_note === undefined || v.close_note === null || v.close_reason !== undefined, {
    message: 'Send close_reason with close_note',
    path: ['close_note'],
  });
export type ReferralUpdateInput = z.infer<typeof ReferralUpdateSchema>;

export const ContactAttemptCreateSchema = z.strictObject({
  version: z.number({ error: 'Send the version you read' }).int().min(1).describe('The referral’s version'),
  attempted_at: z.iso.datetime({ offset: true, error: 'attempted_at must be an ISO-8601 instant with an offset' }),
  method: z.enum(ATTEMPT_METHODS, { error: `method must be one of: ${ATTEMPT_METHODS.join(', ')}` }),
  note: optionalText('note', 1000),
});
export type ContactAttemptCreateInput = z.infer<typeof ContactAttemptCreateSchema>;

export const ReferralListQuerySchema = ListQuerySchema.strict();

export const ReferralJsonSchema = z.object({
  id: z.string().describe('Record id (a UUID)'),
  participant_id: z.string(),
  source: z.enum(REFERRAL_SOURCES),
  referrer_name: z.string().nullable(),
  referrer_organisation: z.string().nullable(),
  referrer_contact: z.string().nullable(),
  clinical_team_id: z.string().nullable().describe('The referring clinical team; its clinicians can see the person'),
  care_coordinator: z.string().nullable(),
  received_date: z.string().describe('YYYY-MM-DD'),
  accepted_date: z.string().nullable().describe('YYYY-MM-DD; the IPS referral date'),
  first_contact_date: z.string().nullable().describe('YYYY-MM-DD'),
  what_they_want: z.string().nullable(),
  in_work_at_referral: z.boolean(),
  notes: z.string().nullable(),
  status: z.enum(REFERRAL_STATUSES).describe('`ended`: the person was discharged another way, then re-referred'),
  closed_date: z.string().nullable(),
  close_reason: z.enum(CLOSE_REASONS).nullable(),
  close_note: z.string().nullable(),
  days_to_first_contact: z
    .number()
    .int()
    .describe('From received_date to first_contact_date, or to today (or closed_date) while there is none'),
  first_contact_overdue: z.boolean().describe('days_to_first_contact is over the service’s target (default 7)'),
  contact_attempts: z.array(
    z.object({
      id: z.string(),
      attempted_at: z.string().describe('ISO-8601 instant'),
      method: z.enum(ATTEMPT_METHODS),
      note: z.string().nullable(),
      created_at: z.string(),
    }),
  ),
  created_at: z.string().describe('ISO-8601 instant'),
  updated_at: z.string().describe('ISO-8601 instant'),
  version: z.number().int().min(1).describe('Send it back in a PATCH'),
});

export const ReferralListJsonSchema = z.object({
  items: z.array(ReferralJsonSchema),
  next_cursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last page'),
});
