import { z } from 'zod';
import { ListQuerySchema } from '../http/api.ts';
import { COMMUNICATION_NEEDS, CONTACT_METHODS, PROGRAMMES, STATUSES, isValidNhsNumber, nhsNumberDigits } from './rules.ts';

// ---- Fields shared by the forms and the API ------------------------------------------------------

const csrf = z.string().optional();

function requiredText(label: string, max: number) {
  return z
    .string({ error: `Enter a ${label}` })
    .trim()
    .min(1, `Enter a ${label}`)
    .max(max, `${label.charAt(0).toUpperCase()}${label.slice(1)} must be ${max} characters or fewer`);
}

/** Optional text: blank becomes null, so a form can clear a field. */
function optionalText(label: string, max: number) {
  return z
    .union([z.string({ error: `${label} must be text` }), z.null()])
    .optional()
    .transform((v) => (v === undefined ? undefined : v === null || v.trim() === '' ? null : v.trim()))
    .refine((v) => !v || v.length <= max, `${label} must be ${max} characters or fewer`);
}

/** Optional NHS number: spaces and dashes allowed on input, 10 digits with a good check digit, stored without spaces. */
const nhsNumber = z
  .union([z.string({ error: 'Enter the NHS number as text, like "943 476 5919"' }), z.null()])
  .optional()
  .transform((v, ctx) => {
    if (v === undefined) return undefined;
    if (v === null || v.trim() === '') return null;
    const digits = nhsNumberDigits(v.trim());
    if (!/^\d{10}$/.test(digits)) {
      ctx.addIssue({ code: 'custom', message: 'NHS number must be 10 digits, like 943 476 5919' });
      return z.NEVER;
    }
    if (!isValidNhsNumber(digits)) {
      ctx.addIssue({ code: 'custom', message: 'Enter a valid NHS number. Check it against a letter or the NHS App' });
      return z.NEVER;
    }
    return digits;
  });

const email = z
  .union([z.string(), z.null()])
  .optional()
  .transform((v) => (v === undefined ? undefined : v === null || v.trim() === '' ? null : v.trim()))
  .refine((v) => !v || (v.length <= 254 && z.email().safeParse(v).success), {
    message: 'Enter an email address in the correct format, like name@example.com',
  });

const programme = z.enum(PROGRAMMES, { error: 'Select a programme' });
const contactMethod = z.enum(CONTACT_METHODS, { error: 'Select how they prefer to be contacted' });
const communicationNeeds = z.array(z.enum(COMMUNICATION_NEEDS, { error: 'Select communication needs from the list' }));
const recordId = (message: string) => z.uuid({ error: message });

/** The `version` a change was based on; forms send it as text, the API as a number. */
const versionField = z.coerce
  .number({ error: 'Send the version you read' })
  .int('Send the version you read')
  .min(1, 'Send the version you read');

/** `YYYY-MM-DD` that is a real calendar date. */
function isRealDate(iso: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return false;
  const d = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === iso;
}

/** A date of birth in the API: `YYYY-MM-DD`, real, in the past and not absurdly long ago. */
function apiDateOfBirth(today: string) {
  return z
    .union([z.string(), z.null()])
    .optional()
    .superRefine((v, ctx) => {
      if (v === undefined || v === null) return;
      if (!isRealDate(v)) ctx.addIssue({ code: 'custom', message: 'Date of birth must be a real date, as YYYY-MM-DD' });
      else if (v >= today) ctx.addIssue({ code: 'custom', message: 'Date of birth must be in the past' });
      else if (v < '1900-01-01') ctx.addIssue({ code: 'custom', message: 'Date of birth must be after 1900' });
    });
}

// ---- API ----------------------------------------------------------------------------------------

/** Details a person has, for create and change; names as in DESIGN.md section 3. */
function detailFields(today: string) {
  return {
    preferred_name: optionalText('Preferred name', 100).describe('What they like to be called'),
    pronouns: optionalText('Pronouns', 50),
    date_of_birth: apiDateOfBirth(today).describe('YYYY-MM-DD, or null'),
    nhs_number: nhsNumber.describe('10 digits with a valid check digit; spaces are allowed and removed; null for none'),
    phone: optionalText('Phone number', 30),
    email: email,
    address: optionalText('Address', 500),
    preferred_contact_method: z.union([contactMethod, z.null()]).optional(),
    communication_needs: communicationNeeds.optional(),
    communication_notes: optionalText('Communication notes', 1000),
  };
}

/** `POST /api/v1/participants`. `today` (YYYY-MM-DD) bounds the date of birth. */
export function participantCreateSchema(today: string) {
  return z.strictObject({
    given_name: requiredText('given name', 100),
    family_name: requiredText('family name', 100),
    ...detailFields(today),
    programme,
    practitioner_id: z
      .union([recordId('practitioner_id must be a user id'), z.null()])
      .optional()
      .describe('Defaults to you when you are a practitioner'),
    team_id: z
      .union([recordId('team_id must be a team id'), z.null()])
      .optional()
      .describe("Defaults to the practitioner's team"),
    allow_duplicates: z
      .boolean({ error: 'allow_duplicates must be true or false' })
      .optional()
      .describe('Create even though possible duplicates were found (after checking them)'),
    link_to: z
      .union([recordId('link_to must be a participant id'), z.null()])
      .optional()
      .describe('Link the new record to this possible duplicate (never merged)'),
  });
}
export type ParticipantCreateInput = z.infer<ReturnType<typeof participantCreateSchema>>;

/** `PATCH /api/v1/participants/{id}`: details, a status move, or a reassignment, against the `version` read. */
export function participantUpdateSchema(today: string) {
  return z.strictObject({
    version: versionField.describe('The version you read'),
    given_name: requiredText('given name', 100).optional(),
    family_name: requiredText('family name', 100).optional(),
    ...detailFields(today),
    programme: programme.optional(),
    status: z
      .enum(STATUSES, { error: 'Select a status' })
      .optional()
      .describe('Moves by the transition rule; a move it refuses is a 422 with the reason'),
    status_reason: optionalText('Reason', 500).describe('Why the status changed (kept in the history)'),
    practitioner_id: recordId('practitioner_id must be a user id').optional().describe('Reassigns the person (and their team)'),
    confirm_over_limit: z
      .boolean({ error: 'confirm_over_limit must be true or false' })
      .optional()
      .describe('Needed to assign someone to a practitioner already at the caseload limit'),
  });
}
export type ParticipantUpdateInput = z.infer<ReturnType<typeof participantUpdateSchema>>;

const filterFields = {
  q: z.string().trim().max(100, 'Search must be 100 characters or fewer').optional().describe('Part of a name'),
  nhs_number: z
    .string()
    .trim()
    .max(20, 'NHS number must be 10 digits')
    .optional()
    .refine((v) => !v || /^\d{10}$/.test(nhsNumberDigits(v)), 'NHS number must be 10 digits')
    .describe('With or without spaces'),
  status: z.union([z.enum(STATUSES, { error: 'Select a status from the list' }), z.literal('')]).optional(),
  programme: z.union([z.enum(PROGRAMMES, { error: 'Select a programme from the list' }), z.literal('')]).optional(),
  practitioner_id: z.union([recordId('Select a practitioner from the list'), z.literal('')]).optional(),
  team_id: z.union([recordId('Select a team from the list'), z.literal('')]).optional(),
};

/** `GET /api/v1/participants`. */
export const ParticipantApiListQuerySchema = ListQuerySchema.extend(filterFields).strict();
export type ParticipantApiListQuery = z.infer<typeof ParticipantApiListQuerySchema>;

export const SORT_KEYS = ['name', 'status', 'updated'] as const;

/** `GET /participants`: the search form, sort and page number. */
export const ParticipantListQuerySchema = z.strictObject({
  ...filterFields,
  sort: z.enum(SORT_KEYS).optional(),
  direction: z.enum(['asc', 'desc']).optional(),
  page: z.coerce.number().int('Page must be a whole number').min(1, 'Page must be 1 or more').max(100_000).optional(),
});
export type ParticipantListQuery = z.infer<typeof ParticipantListQuerySchema>;

// ---- Forms --------------------------------------------------------------------------------------

/** Checkboxes post nothing, one string or several. */
const checkboxValues = z.preprocess(
  (v: unknown): unknown[] => (v === undefined || v === '' ? [] : Array.isArray(v) ? (v as unknown[]) : [v]),
  z.array(z.enum(COMMUNICATION_NEEDS, { error: 'Select communication needs from the list' })),
);

/** The NHS.UK date input's three boxes, as `YYYY-MM-DD` or null when all are blank. */
function formDateOfBirth(today: string) {
  const part = z.string().trim().optional().default('');
  return z.object({ day: part, month: part, year: part }).transform((d, ctx) => {
    if (!d.day && !d.month && !d.year) return null;
    const missing = (['day', 'month', 'year'] as const).filter((k) => !d[k]);
    if (missing.length) {
      ctx.addIssue({ code: 'custom', message: `Date of birth must include a ${missing.join(' and a ')}` });
      return z.NEVER;
    }
    if (!/^\d{1,2}$/.test(d.day) || !/^\d{1,2}$/.test(d.month) || !/^\d{4}$/.test(d.year)) {
      ctx.addIssue({ code: 'custom', message: 'Date of birth must be a real date, like 15 3 1984' });
      return z.NEVER;
    }
    const iso = `${d.year}-${d.month.padStart(2, '0')}-${d.day.padStart(2, '0')}`;
    if (!isRealDate(iso)) {
      ctx.addIssue({ code: 'custom', message: 'Date of birth must be a real date, like 15 3 1984' });
      return z.NEVER;
    }
    if (iso >= today) {
      ctx.addIssue({ code: 'custom', message: 'Date of birth must be in the past' });
      return z.NEVER;
    }
    if (iso < '1900-01-01') {
      ctx.addIssue({ code: 'custom', message: 'Date of birth must be after 1900' });
      return z.NEVER;
    }
    return iso;
  });
}

/** The fields of the add and edit forms, as posted. */
function formFields(today: string) {
  return {
    given_name: requiredText('given name', 100),
    family_name: requiredText('family name', 100),
    preferred_name: optionalText('Preferred name', 100),
    pronouns: optionalText('Pronouns', 50),
    date_of_birth: formDateOfBirth(today),
    nhs_number: nhsNumber,
    phone: optionalText('Phone number', 30),
    email,
    address: optionalText('Address', 500),
    preferred_contact_method: z
      .union([contactMethod, z.literal('')])
      .optional()
      .transform((v) => (v ? v : null)),
    communication_needs: checkboxValues,
    communication_notes: optionalText('Communication notes', 1000),
    programme,
    _csrf: csrf,
  };
}

/**
 * Regroups the date input's `date_of_birth_day`, `_month` and `_year` boxes into one value, so a
 * problem with the date is one message on one field.
 */
export function groupDateOfBirth(body: unknown): Record<string, unknown> {
  const b = { ...((body ?? {}) as Record<string, unknown>) };
  const date = { day: b.date_of_birth_day, month: b.date_of_birth_month, year: b.date_of_birth_year };
  delete b.date_of_birth_day;
  delete b.date_of_birth_month;
  delete b.date_of_birth_year;
  return { ...b, date_of_birth: date };
}

/** "Add a participant", with the answer to the possible-duplicates question when it was asked. */
export function participantCreateFormSchema(today: string) {
  return z.strictObject({
    ...formFields(today),
    practitioner_id: z
      .union([recordId('Select a practitioner from the list'), z.literal('')])
      .optional()
      .transform((v) => (v ? v : null)),
    duplicate_action: z.string().trim().max(100).optional(),
    duplicates_checked: z.string().max(2000).optional(),
  });
}
export type ParticipantCreateFormInput = z.infer<ReturnType<typeof participantCreateFormSchema>>;

/** "Change details", with the hidden `version`. */
export function participantEditFormSchema(today: string) {
  return z.strictObject({ ...formFields(today), version: versionField });
}
export type ParticipantEditFormInput = z.infer<ReturnType<typeof participantEditFormSchema>>;

/** The status form on a person's page. */
export const ParticipantStatusFormSchema = z.strictObject({
  status: z.enum(STATUSES, { error: 'Select a new status' }),
  reason: optionalText('Reason', 500),
  version: versionField,
  _csrf: csrf,
});

/** The reassign form on a person's page; `confirm` is sent from the over-the-limit question. */
export const ParticipantAssignFormSchema = z.strictObject({
  practitioner_id: recordId('Select a practitioner from the list'),
  version: versionField,
  confirm: z.literal('yes').optional(),
  _csrf: csrf,
});

// ---- API responses ------------------------------------------------------------------------------

/** A participant as the API returns it (built by `participantJson`). */
export const ParticipantJsonSchema = z.object({
  id: z.string().describe('Record id (a UUID)'),
  given_name: z.string(),
  family_name: z.string(),
  preferred_name: z.string().nullable(),
  pronouns: z.string().nullable(),
  date_of_birth: z.string().nullable().describe('YYYY-MM-DD'),
  nhs_number: z.string().nullable().describe('10 digits, no spaces'),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  address: z.string().nullable(),
  preferred_contact_method: z.enum(CONTACT_METHODS).nullable(),
  communication_needs: z.array(z.enum(COMMUNICATION_NEEDS)),
  communication_notes: z.string().nullable(),
  programme: z.enum(PROGRAMMES),
  status: z.enum(STATUSES),
  practitioner_id: z.string().nullable(),
  team_id: z.string().nullable(),
  linked_participant_id: z.string().nullable().describe('A record this one was linked to as a possible duplicate'),
  created_at: z.string().describe('ISO-8601 instant'),
  updated_at: z.string().describe('ISO-8601 instant'),
  version: z.number().int().min(1).describe('Send it back in a PATCH'),
});

export const ParticipantListJsonSchema = z.object({
  items: z.array(ParticipantJsonSchema),
  next_cursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last page'),
});

/** The `duplicates` listed beside the error when a new record may be someone already known (422). */
export const PossibleDuplicateJsonSchema = z.object({
  id: z.string().nullable().describe('Null for a record you may not see'),
  visible: z.boolean(),
  name: z.string().nullable(),
  date_of_birth: z.string().nullable(),
  nhs_number: z.string().nullable(),
  team_name: z.string().nullable(),
  reason: z.enum(['nhs_number', 'name_and_date_of_birth']),
});
