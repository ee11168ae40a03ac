import { z } from 'zod';
import { ListQuerySchema } from '../http/api.ts';
import { DAYS, DISCLOSURES, EMPTY_PROFILE, type ProfileData, TIMES, TRAVEL_MODES } from './rules.ts';

const MAX_TEXT = 5000;

/** Free text in the person's own words; blank means nothing recorded (null). */
const text = (label: string) =>
  z
    .union([z.string({ error: `${label} must be text` }), z.null()])
    .transform((v) => (v === null ? null : v.trim() === '' ? null : v.trim()))
    .refine((v) => v === null || v.length <= MAX_TEXT, `${label} must be ${MAX_TEXT} characters or fewer`);

const list = (label: string) =>
  z
    .array(
      z
        .string({ error: `Each of ${label.toLowerCase()} must be text` })
        .trim()
        .max(200, `Each of ${label.toLowerCase()} must be 200 characters or fewer`),
      {
        error: `${label} must be a list`,
      },
    )
    .max(30, `${label} can have at most 30 entries`)
    .transform((items) => [...new Set(items.filter((i) => i !== ''))]);

const hours = (label: string) =>
  z
    .number({ error: `${label} must be a number` })
    .min(0, `${label} must be 0 or more`)
    .max(80, `${label} must be 80 or fewer`)
    .nullable();

const coordinate = (label: string, limit: number, example: string) =>
  z
    .number({ error: `${label} must be a number, like ${example}` })
    .min(-limit, `${label} must be between -${limit} and ${limit}`)
    .max(limit, `${label} must be between -${limit} and ${limit}`)
    .nullable();

const choices = <T extends readonly [string, ...string[]]>(values: T, message: string) =>
  z
    .array(z.enum(values, { error: message }), { error: message })
    .transform((v) => values.filter((x) => v.includes(x)) as T[number][]);

/** Every field of the profile, each optional: what a PATCH may send. */
const fieldSchemas = {
  work_history: text('Work history'),
  education: text('Education and training'),
  skills: text('Skills'),
  strengths: text('Strengths'),
  interests: text('Interests'),
  aspirations: text('Aspirations'),
  occupations: list('Jobs or sectors'),
  hours_per_week_min: hours('Fewest hours a week'),
  hours_per_week_max: hours('Most hours a week'),
  days: choices(DAYS, 'Days must be from mon, tue, wed, thu, fri, sat, sun'),
  times: choices(TIMES, 'Times must be from mornings, afternoons, evenings, nights'),
  weekends_ok: z.boolean({ error: 'Weekend work must be true, false or null' }).nullable(),
  never_times: choices(TIMES, 'Times they will never work must be from mornings, afternoons, evenings, nights'),
  no_weekends: z.boolean({ error: 'No weekends must be true or false' }),
  places: list('Places'),
  max_travel_minutes: z
    .number({ error: 'Longest journey must be a number of minutes' })
    .int('Longest journey must be a whole number of minutes')
    .min(0, 'Longest journey must be 0 minutes or more')
    .max(600, 'Longest journey must be 600 minutes or fewer')
    .nullable(),
  travel_modes: choices(TRAVEL_MODES, `Travel modes must be from ${TRAVEL_MODES.join(', ')}`),
  home_latitude: coordinate('Latitude', 90, '53.4808'),
  home_longitude: coordinate('Longitude', 180, '-2.2426'),
  lowest_hourly_pay_pence: z
    .number({ error: 'Lowest hourly pay must be a number of pence' })
    .int('Lowest hourly pay must be a whole number of pence')
    .min(0, 'Lowest hourly pay must be 0 or more')
    .max(100_000, 'Lowest hourly pay must be £1,000 an hour or less')
    .nullable(),
  disclosure: z.enum(DISCLOSURES, { error: 'Disclosure must be full, partial or none' }).nullable(),
  disclosure_notes: text('What the employer may be told'),
  support_needs: text('Support needs'),
  weekly_structure: text('How they structure their week'),
  family_and_support: text('Family and other support'),
  health_and_functioning: text('Health and functioning'),
  health_shared_with_clinical_team: z.boolean({ error: 'Shared with the clinical team must be true or false' }),
  convictions: text('Convictions'),
  convictions_job_impact: text('How convictions bear on job choice'),
  benefits: text('Current benefits'),
};

/** A partial change to the profile, as the API sends it. */
export const ProfileChangesSchema = z.strictObject(
  Object.fromEntries(Object.entries(fieldSchemas).map(([k, s]) => [k, s.optional()])) as {
    [K in keyof typeof fieldSchemas]: z.ZodOptional<(typeof fieldSchemas)[K]>;
  },
);

/** `PATCH /api/v1/participants/:id/profile`: the version read (0 before the first save) and any fields. */
export const ProfileUpdateSchema = ProfileChangesSchema.extend({
  version: z.number({ error: 'Send the version you read (0 when there is no profile yet)' }).int().min(0),
});
export type ProfileUpdateInput = z.infer<typeof ProfileUpdateSchema>;

/** Reads a stored version leniently: a field added later is filled with its empty value. */
export function parseStoredProfile(json: string): ProfileData {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    raw = {};
  }
  const out: ProfileData = { ...EMPTY_PROFILE };
  if (raw && typeof raw === 'object') {
    for (const [key, schema] of Object.entries(fieldSchemas)) {
      const value = (raw as Record<string, unknown>)[key];
      if (value === undefined) continue;
      const parsed = schema.safeParse(value);
      if (parsed.success) (out as unknown as Record<string, unknown>)[key] = parsed.data;
    }
  }
  return out;
}

// ---- The HTML form: strings from the browser, turned into the same shapes ----------------------

const formText = z.string().optional().default('');
const formList = z
  .string()
  .optional()
  .default('')
  .transform((v) =>
    v
      .split(/\r?\n|;/)
      .map((s) => s.trim())
      .filter((s) => s !== ''),
  );
const formChoices = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]).filter((s) => s !== ''));
/** A signed decimal (a latitude or longitude); blank is null. */
const formSignedNumber = (message: string) =>
  z
    .string()
    .optional()
    .default('')
    .transform((v, ctx) => {
      const s = v.trim().replace(/^\u2212/, '-');
      if (s === '') return null;
      if (!/^[-+]?\d+(\.\d+)?$/.test(s)) {
        ctx.addIssue({ code: 'custom', message });
        return z.NEVER;
      }
      return Number(s);
    });
const formNumber = (message: string) =>
  z
    .string()
    .optional()
    .default('')
    .transform((v, ctx) => {
      const s = v.trim();
      if (s === '') return null;
      if (!/^\d+(\.\d+)?$/.test(s)) {
        ctx.addIssue({ code: 'custom', message });
        return z.NEVER;
      }
      return Number(s);
    });

/**
 * The profile edit form. Every field is optional because a form may hold one section only; the
 * route takes just the fields of the section that was posted.
 */
export const ProfileFormSchema = z.strictObject({
  version: z.coerce.number().int().min(0),
  section: z.string().max(50).optional(),
  _csrf: z.string().optional(),
  work_history: formText,
  education: formText,
  skills: formText,
  strengths: formText,
  interests: formText,
  aspirations: formText,
  occupations: formList,
  hours_per_week_min: formNumber('Fewest hours a week must be a number, like 16'),
  hours_per_week_max: formNumber('Most hours a week must be a number, like 30'),
  days: formChoices,
  times: formChoices,
  weekends_ok: z.enum(['yes', 'no', 'unknown', '']).optional(),
  never_times: formChoices,
  // A single checkbox: absent when unticked.
  no_weekends: formChoices,
  places: formList,
  max_travel_minutes: formNumber('Longest journey must be a whole number of minutes, like 45'),
  travel_modes: formChoices,
  home_latitude: formSignedNumber('Latitude must be a number, like 53.4808'),
  home_longitude: formSignedNumber('Longitude must be a number, like -2.2426'),
  lowest_hourly_pay: z
    .string()
    .optional()
    .default('')
    .transform((v, ctx) => {
      const s = v.trim().replace(/^£/, '');
      if (s === '') return null;
      if (!/^\d{1,4}(\.\d{1,2})?$/.test(s)) {
        ctx.addIssue({ code: 'custom', message: 'Lowest hourly pay must be an amount in pounds, like 12.21' });
        return z.NEVER;
      }
      return Math.round(Number(s) * 100);
    }),
  disclosure: z.enum([...DISCLOSURES, '']).optional(),
  disclosure_notes: formText,
  support_needs: formText,
  weekly_structure: formText,
  family_and_support: formText,
  health_and_functioning: formText,
  health_shared_with_clinical_team: z.enum(['yes', 'no', '']).optional(),
  convictions: formText,
  convictions_job_impact: formText,
  benefits: formText,
});
export type ProfileFormInput = z.infer<typeof ProfileFormSchema>;

/** The form's values as API-shaped changes, checked by the same rules (messages keyed by form field). */
export function formChanges(input: ProfileFormInput): Record<string, unknown> {
  return {
    work_history: input.work_history,
    education: input.education,
    skills: input.skills,
    strengths: input.strengths,
    interests: input.interests,
    aspirations: input.aspirations,
    occupations: input.occupations,
    hours_per_week_min: input.hours_per_week_min,
    hours_per_week_max: input.hours_per_week_max,
    days: input.days,
    times: input.times,
    weekends_ok: input.weekends_ok === 'yes' ? true : input.weekends_ok === 'no' ? false : null,
    never_times: input.never_times,
    no_weekends: input.no_weekends.includes('yes'),
    places: input.places,
    max_travel_minutes: input.max_travel_minutes,
    travel_modes: input.travel_modes,
    home_latitude: input.home_latitude,
    home_longitude: input.home_longitude,
    lowest_hourly_pay_pence: input.lowest_hourly_pay,
    disclosure: input.disclosure ? input.disclosure : null,
    disclosure_notes: input.disclosure_notes,
    support_needs: input.support_needs,
    weekly_structure: input.weekly_structure,
    family_and_support: input.family_and_support,
    health_and_functioning: input.health_and_functioning,
    health_shared_with_clinical_team: input.health_shared_with_clinical_team === 'yes',
    convictions: input.convictions,
    convictions_job_impact: input.convictions_job_impact,
    benefits: input.benefits,
  };
}

// ---- API responses ----------------------------------------------------------------------------

const profileFieldsJson = {
  work_history: z.string().nullable(),
  education: z.string().nullable(),
  skills: z.string().nullable(),
  strengths: z.string().nullable(),
  interests: z.string().nullable(),
  aspirations: z.string().nullable().describe('In the person’s own words'),
  occupations: z.array(z.string()).describe('Jobs or sectors they want'),
  hours_per_week_min: z.number().nullable(),
  hours_per_week_max: z.number().nullable(),
  days: z.array(z.enum(DAYS)),
  times: z.array(z.enum(TIMES)),
  weekends_ok: z.boolean().nullable(),
  never_times: z.array(z.enum(TIMES)).describe('A hard limit: jobs at any of these times are left out of matching'),
  no_weekends: z.boolean().describe('A hard limit: true leaves out every job with weekend work'),
  places: z.array(z.string()).describe('Towns, areas or sites they would work in'),
  max_travel_minutes: z.number().int().nullable().describe('Longest journey to work, one way'),
  travel_modes: z.array(z.enum(TRAVEL_MODES)),
  home_latitude: z
    .number()
    .min(-90)
    .max(90)
    .nullable()
    .describe('Where they travel from, only to estimate journeys; with home_longitude, both or neither'),
  home_longitude: z.number().min(-180).max(180).nullable().describe('Where they travel from; both or neither'),
  lowest_hourly_pay_pence: z.number().int().nullable().describe('Integer pence'),
  disclosure: z.enum(DISCLOSURES).nullable().describe('Whether the employer is told about health or disability'),
  disclosure_notes: z.string().nullable().describe('What the employer may be told'),
  support_needs: z.string().nullable(),
  weekly_structure: z.string().nullable(),
  family_and_support: z.string().nullable(),
  health_and_functioning: z.string().nullable().optional().describe('Sensitive: absent unless the caller may see it'),
  health_shared_with_clinical_team: z.boolean().optional().describe('Sensitive: absent unless the caller may see health'),
  convictions: z.string().nullable().optional().describe('Sensitive: absent unless the caller may see it'),
  convictions_job_impact: z.string().nullable().optional().describe('Sensitive: absent unless the caller may see convictions'),
  benefits: z.string().nullable().optional().describe('Sensitive: absent unless the caller may see it'),
};

export const ProfileJsonSchema = z.object({
  id: z.string().describe('The participant’s id (the profile belongs to one participant)'),
  participant_id: z.string(),
  version: z.number().int().min(0).describe('0 when nothing has been saved yet; send it back in a PATCH'),
  created_at: z.string().nullable().describe('When this version was saved (ISO-8601); null before the first save'),
  updated_at: z.string().nullable().describe('Same as created_at: a version is never changed once saved'),
  saved_by_user_id: z.string().nullable(),
  ...profileFieldsJson,
});

export const ProfileVersionJsonSchema = z.object({
  id: z.string().describe('The version’s own record id'),
  version: z.number().int().min(1),
  created_at: z.string(),
  saved_by_user_id: z.string().nullable(),
  saved_by_name: z.string().nullable(),
  changes: z
    .array(
      z.object({
        field: z.string(),
        before: z.unknown().describe('Null when hidden'),
        after: z.unknown().describe('Null when hidden'),
        hidden: z.boolean().describe('True for a sensitive field the caller may not see: only that it changed'),
      }),
    )
    .describe('What changed from the version before'),
});

export const ProfileVersionListJsonSchema = z.object({
  items: z.array(ProfileVersionJsonSchema),
  next_cursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last page'),
});

export const ProfileVersionsQuerySchema = ListQuerySchema.strict();
