import { z } from 'zod';
import { parseFormDate, parseFormTime } from '../contacts/schema.ts';
import { ListQuerySchema } from '../http/api.ts';
import { isCalendarDate, londonInstant } from '../referrals/rules.ts';
import {
  EMPLOYER_CONTACT_MODES,
  EMPLOYER_CONTACT_PURPOSES,
  EMPLOYER_SIZES,
  EMPLOYER_TYPES,
  RELATIONSHIP_STAGES,
} from './rules.ts';

// ---- Building blocks ---------------------------------------------------------------------------

const csrf = z.string().optional();

function requiredText(message: string, label: string, max: number) {
  return z.string({ error: message }).trim().min(1, message).max(max, `${label} must be ${max} characters or fewer`);
}

/** Optional text: blank becomes null, so a form can clear a field. */
function optionalText(label: string, max: number) {
  return z
    .union([z.string({ error: `${label} must be text` }), z.null()])
    .optional()
    .transform((v) => (v === undefined ? undefined : v === null || v.trim() === '' ? null : v.trim()))
    .refine((v) => !v || v.length <= max, `${label} must be ${max} characters or fewer`);
}

/** A choice from a list where the form's empty option means "none". */
function optionalChoice<T extends readonly [string, ...string[]]>(values: T, message: string) {
  return z
    .union([z.literal(''), z.enum(values, { error: message }), z.null()], { error: message })
    .optional()
    .transform((v) => (v === undefined ? undefined : v === '' || v === null ? null : v));
}

/** An optional record id chosen from a select: '' (the "none" option) becomes null. */
function optionalId(message: string) {
  return z
    .union([z.literal(''), z.uuid({ error: message }), z.null()], { error: message })
    .optional()
    .transform((v) => (v === undefined ? undefined : v === '' || v === null ? null : v));
}

/** A coordinate typed into a form: blank is none; otherwise a number in range. */
function formCoordinate(label: string, limit: number, example: string) {
  return z
    .string({ error: `${label} must be a number, like ${example}` })
    .trim()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === '') return null;
      const n = Number(v);
      if (!Number.isFinite(n)) {
        ctx.addIssue({ code: 'custom', message: `${label} must be a number, like ${example}` });
        return z.NEVER;
      }
      if (Math.abs(n) > limit) {
        ctx.addIssue({ code: 'custom', message: `${label} must be between -${limit} and ${limit}` });
        return z.NEVER;
      }
      return n;
    });
}

function apiCoordinate(name: string, limit: number) {
  return z
    .number({ error: `${name} must be a number` })
    .min(-limit, `${name} must be between -${limit} and ${limit}`)
    .max(limit, `${name} must be between -${limit} and ${limit}`)
    .nullable()
    .optional()
    .describe('Decimal degrees (WGS84); give latitude and longitude both or neither');
}

const email = z
  .union([z.string(), z.null()])
  .optional()
  .transform((v) => (v === undefined ? undefined : v === null || v.trim() === '' ? null : v.trim()))
  .refine((v) => !v || (v.length <= 254 && z.email().safeParse(v).success), {
    message: 'Enter an email address in the correct format, like name@example.com',
  });

const formVersion = z.coerce
  .number({ error: 'Send the version you read' })
  .int('Send the version you read')
  .min(1, 'Send the version you read');

const apiVersion = z
  .number({ error: 'Send the version you read' })
  .int('Send the version you read')
  .min(1, 'Send the version you read')
  .describe('The version you read; a stale one is a 409 and nothing changes');

const apiEnum = <T extends readonly [string, ...string[]]>(name: string, values: T) =>
  z.enum(values, { error: `${name} must be one of: ${values.join(', ')}` });

// ---- Employers -----------------------------------------------------------------------------------

const NAME_MAX = 200;
const NOTES_MAX = 5000;

const employerText = {
  sector: optionalText('Sector', 200),
  address: optionalText('Address', 500),
  postcode: optionalText('Postcode', 10),
  website: optionalText('Website', 300),
  notes: optionalText('Notes', NOTES_MAX),
};

const employerFormFields = {
  name: requiredText('Enter the name of the organisation', 'Name', NAME_MAX),
  type: z.enum(EMPLOYER_TYPES, { error: 'Select the type of employer' }),
  size: optionalChoice(EMPLOYER_SIZES, 'Select the size from the list'),
  relationship_stage: z.enum(RELATIONSHIP_STAGES, { error: 'Select the relationship stage' }),
  latitude: formCoordinate('Latitude', 90, '51.5074'),
  longitude: formCoordinate('Longitude', 180, '-0.1278'),
  ...employerText,
  _csrf: csrf,
};

/** "Add an employer". */
export const EmployerFormSchema = z.strictObject(employerFormFields);
export type EmployerFormInput = z.infer<typeof EmployerFormSchema>;

/** Changing an employer: the same fields and the version it was read at. */
export const EmployerEditFormSchema = z.strictObject({ ...employerFormFields, version: formVersion });
export type EmployerEditFormInput = z.infer<typeof EmployerEditFormSchema>;

export const EMPLOYER_LIST_SORTS = ['name', 'updated'] as const;

/** The employers list page: search, filters, sort and page number. */
export const EmployerListPageQuerySchema = z.object({
  q: z.string().trim().max(200, 'Search must be 200 characters or fewer').optional(),
  type: optionalChoice(EMPLOYER_TYPES, 'Select a type from the list'),
  stage: optionalChoice(RELATIONSHIP_STAGES, 'Select a stage from the list'),
  sort: optionalChoice(EMPLOYER_LIST_SORTS, 'Select how to sort from the list'),
  page: z.coerce
    .number({ error: 'Page must be a number' })
    .int('Page must be a whole number')
    .min(1, 'Page must be 1 or more')
    .max(100_000, 'Page is too large')
    .optional(),
});
export type EmployerListPageQuery = z.infer<typeof EmployerListPageQuerySchema>;

const apiEmployerFields = {
  name: requiredText('name is required: the name of the organisation', 'name', NAME_MAX).describe(
    'Duplicates are caught by name: case, punctuation, a leading "The" and endings like "Ltd" do not count (400 with `fields.name`)',
  ),
  type: apiEnum('type', EMPLOYER_TYPES).describe(
    '`host` runs the programme (e.g. the trust), `supplier` supplies the host, `external` is any other employer',
  ),
  sector: optionalText('sector', 200),
  size: apiEnum('size', EMPLOYER_SIZES).nullable().optional(),
  address: optionalText('address', 500),
  postcode: optionalText('postcode', 10),
  latitude: apiCoordinate('latitude', 90),
  longitude: apiCoordinate('longitude', 180),
  website: optionalText('website', 300),
  relationship_stage: apiEnum('relationship_stage', RELATIONSHIP_STAGES).optional(),
  notes: optionalText('notes', NOTES_MAX),
};

export const EmployerCreateSchema = z.strictObject({
  ...apiEmployerFields,
  relationship_stage: apiEmployerFields.relationship_stage.describe('Defaults to `prospect`'),
});
export type EmployerCreateInput = z.infer<typeof EmployerCreateSchema>;

export const EmployerUpdateSchema = z.strictObject({
  version: apiVersion,
  ...apiEmployerFields,
  name: apiEmployerFields.name.optional(),
  type: apiEmployerFields.type.optional(),
});
export type EmployerUpdateInput = z.infer<typeof EmployerUpdateSchema>;

export const EmployerListQuerySchema = ListQuerySchema.extend({
  q: z.string().trim().max(200, 'q must be 200 characters or fewer').optional().describe('Part of the name or the sector'),
  type: apiEnum('type', EMPLOYER_TYPES).optional(),
  stage: apiEnum('stage', RELATIONSHIP_STAGES).optional().describe('The relationship stage'),
}).strict();

export const EmployerJsonSchema = z.object({
  id: z.string().describe('Record id (a UUID)'),
  name: z.string(),
  type: z.enum(EMPLOYER_TYPES),
  sector: z.string().nullable(),
  size: z.enum(EMPLOYER_SIZES).nullable(),
  address: z.string().nullable(),
  postcode: z.string().nullable(),
  latitude: z.number().nullable(),
  longitude: z.number().nullable(),
  website: z.string().nullable(),
  relationship_stage: z.enum(RELATIONSHIP_STAGES),
  notes: z.string().nullable(),
  created_at: z.string().describe('ISO-8601 instant'),
  updated_at: z.string().describe('ISO-8601 instant'),
  version: z.number().int().min(1).describe('Send it back in a PATCH'),
});

export const EmployerListJsonSchema = z.object({
  items: z.array(EmployerJsonSchema),
  next_cursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last page'),
});

// ---- Sites, departments and people ---------------------------------------------------------------

const siteFields = {
  name: requiredText('Enter the name of the site', 'Name', NAME_MAX),
  address: optionalText('Address', 500),
  postcode: optionalText('Postcode', 10),
  latitude: formCoordinate('Latitude', 90, '51.5074'),
  longitude: formCoordinate('Longitude', 180, '-0.1278'),
  version: formVersion.optional(),
  _csrf: csrf,
};
/** A site of an employer (adding one, or changing one with its `version`). */
export const SiteFormSchema = z.strictObject(siteFields);
export type SiteFormInput = z.infer<typeof SiteFormSchema>;

/** A department, which may belong to one of the employer's sites. */
export const DepartmentFormSchema = z.strictObject({
  name: requiredText('Enter the name of the department', 'Name', NAME_MAX),
  site_id: optionalId('Select one of this employer’s sites, or “Not at one site”'),
  version: formVersion.optional(),
  _csrf: csrf,
});
export type DepartmentFormInput = z.infer<typeof DepartmentFormSchema>;

/** A person at the employer and how to reach them. */
export const PersonFormSchema = z.strictObject({
  name: requiredText('Enter the person’s name', 'Name', NAME_MAX),
  job_title: optionalText('Job title', 200),
  email,
  phone: optionalText('Phone', 40),
  notes: optionalText('Notes', NOTES_MAX),
  version: formVersion.optional(),
  _csrf: csrf,
});
export type PersonFormInput = z.infer<typeof PersonFormSchema>;

// ---- Employer contacts ---------------------------------------------------------------------------

const TEXT_MAX = 5000;

const optionalFormDate = (label: string) =>
  z
    .string({ error: `${label} must be a date` })
    .trim()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === '') return null;
      const date = parseFormDate(v);
      if (date === null) {
        ctx.addIssue({ code: 'custom', message: `${label} must be a real date, like 25/11/2026` });
        return z.NEVER;
      }
      return date;
    });

const contactFormFields = {
  contacted_date: z
    .string({ error: 'Enter the date of the contact' })
    .trim()
    .min(1, 'Enter the date of the contact')
    .refine((v) => parseFormDate(v) !== null, 'Date of the contact must be a real date, like 25/11/2026'),
  contacted_time: z
    .string({ error: 'Enter the time of the contact' })
    .trim()
    .min(1, 'Enter the time of the contact')
    .refine((v) => parseFormTime(v) !== null, 'Enter a time using the 24-hour clock, like 14:30'),
  mode: z.enum(EMPLOYER_CONTACT_MODES, { error: 'Select how the contact happened' }),
  purpose: z.enum(EMPLOYER_CONTACT_PURPOSES, { error: 'Select what the contact was for' }),
  employer_person_id: optionalId('Select someone at this employer, or “Not recorded”'),
  participant_id: optionalId('Select someone on your caseload or your team’s, or “Nobody in particular”'),
  outcome: optionalText('Outcome', TEXT_MAX),
  next_step: optionalText('Next step', TEXT_MAX),
  next_step_due: optionalFormDate('Next step due date'),
  _csrf: csrf,
};

/** Turns the form's London date and time into the instant of the contact. */
function withContactedAt<T extends { contacted_date: string; contacted_time: string }>(v: T): T & { contacted_at: string } {
  const instant = londonInstant(parseFormDate(v.contacted_date) ?? '', parseFormTime(v.contacted_time) ?? '');
  return { ...v, contacted_at: instant.toISOString() };
}

/**
 * "Log an employer contact". The employer is fixed by `employer_id` (started from its page) or
 * typed as `employer_name`; `return_to` says whether it was started from a participant.
 */
export const EmployerContactFormSchema = z
  .strictObject({
    ...contactFormFields,
    employer_id: optionalId('Employer is not valid. Go back and start again'),
    employer_name: optionalText('Employer', NAME_MAX),
    return_to: z.enum(['employer', 'participant'], { error: 'Go back and start again' }).optional(),
  })
  .superRefine((v, ctx) => {
    if (!v.employer_id && !v.employer_name)
      ctx.addIssue({ code: 'custom', path: ['employer_name'], message: 'Enter the name of the employer' });
  })
  .transform(withContactedAt);
export type EmployerContactFormInput = z.infer<typeof EmployerContactFormSchema>;

/** Changing an employer contact: the same fields (the employer stays) and the version read. */
export const EmployerContactEditFormSchema = z
  .strictObject({ ...contactFormFields, version: formVersion })
  .transform(withContactedAt);
export type EmployerContactEditFormInput = z.infer<typeof EmployerContactEditFormSchema>;

/** Deleting an employer contact: why, and the version it was read at. */
export const EmployerContactDeleteFormSchema = z.strictObject({
  reason: requiredText('Enter why you are deleting this contact', 'Reason', 1000),
  version: formVersion,
  _csrf: csrf,
});
export type EmployerContactDeleteFormInput = z.infer<typeof EmployerContactDeleteFormSchema>;

const apiOptionalId = (name: string) =>
  z
    .uuid({ error: `${name} must be a record id` })
    .nullable()
    .optional();

export const EmployerContactCreateSchema = z.strictObject({
  contacted_at: z.iso
    .datetime({ offset: true, error: 'contacted_at must be an ISO-8601 instant with an offset, like 2026-11-25T10:00:00Z' })
    .describe('When the contact happened'),
  mode: apiEnum('mode', EMPLOYER_CONTACT_MODES).describe('`face_to_face` and `event` count as face to face'),
  purpose: apiEnum('purpose', EMPLOYER_CONTACT_PURPOSES),
  participant_id: apiOptionalId('participant_id').describe(
    'The person it was on behalf of: someone you may change (400 with `fields.participant_id` otherwise). It then shows on their timeline',
  ),
  employer_person_id: apiOptionalId('employer_person_id').describe('Who at the employer, one of its people'),
  outcome: optionalText('outcome', TEXT_MAX),
  next_step: optionalText('next_step', TEXT_MAX),
  next_step_due: z
    .string({ error: 'next_step_due must be a date as YYYY-MM-DD' })
    .refine(isCalendarDate, 'next_step_due must be a real date as YYYY-MM-DD')
    .nullable()
    .optional(),
});
export type EmployerContactCreateInput = z.infer<typeof EmployerContactCreateSchema>;

export const EmployerContactListQuerySchema = ListQuerySchema.strict();

export const EmployerContactJsonSchema = z.object({
  id: z.string().describe('Record id (a UUID)'),
  employer_id: z.string(),
  practitioner_id: z.string().describe('Who logged it; they (or a manager of their team) may change it'),
  participant_id: z
    .string()
    .nullable()
    .describe('The person it was on behalf of; null when there was nobody or you may not see them'),
  employer_person_id: z.string().nullable(),
  contacted_at: z.string().describe('ISO-8601 instant'),
  mode: z.enum(EMPLOYER_CONTACT_MODES),
  face_to_face: z.boolean().describe('Derived from `mode`'),
  purpose: z.enum(EMPLOYER_CONTACT_PURPOSES),
  outcome: z.string().nullable(),
  next_step: z.string().nullable(),
  next_step_due: z.string().nullable().describe('YYYY-MM-DD'),
  created_at: z.string().describe('ISO-8601 instant'),
  updated_at: z.string().describe('ISO-8601 instant'),
  version: z.number().int().min(1),
});

export const EmployerContactListJsonSchema = z.object({
  items: z.array(EmployerContactJsonSchema),
  next_cursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last page'),
});
