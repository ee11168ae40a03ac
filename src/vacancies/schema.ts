import { z } from 'zod';
import { parseFormDate } from '../contacts/schema.ts';
import { isRecordId } from '../db/records.ts';
import { ListQuerySchema } from '../http/api.ts';
import { DAYS, TIMES } from '../profiles/rules.ts';
import { isCalendarDate } from '../referrals/rules.ts';
import { VACANCY_SORTS } from './repo.ts';
import { FOUND_VIA, LIST_STATUSES, VACANCY_STATUSES, poundsToPence } from './rules.ts';

// ---- Building blocks ---------------------------------------------------------------------------

const TITLE_MAX = 200;
const TEXT_MAX = 200;
const DESCRIPTION_MAX = 10_000;

/** Optional free text: '' and whitespace become null. */
function optionalText(label: string, max: number) {
  return z
    .string({ error: `${label} must be text` })
    .max(max, `${label} must be ${max.toLocaleString('en-GB')} characters or fewer`)
    .nullish()
    .transform((v) => (v && v.trim() ? v.trim() : null));
}

/** What a form field holds: '' for nothing typed. */
const formString = z.string().optional().default('');

/** A form's optional number, '' meaning none. */
function formNumber(message: string, check: (n: number) => boolean) {
  return formString.transform((v, ctx) => {
    const s = v.trim();
    if (s === '') return null;
    const n = /^-?\d+(\.\d+)?$/.test(s) ? Number(s) : NaN;
    if (Number.isNaN(n) || !check(n)) {
      ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    }
    return n;
  });
}

/** A form's optional date, typed `YYYY-MM-DD` (the picker) or `DD/MM/YYYY`. */
function formDate(label: string) {
  return formString.transform((v, ctx) => {
    if (v.trim() === '') return null;
    const d = parseFormDate(v);
    if (d === null) {
      ctx.addIssue({ code: 'custom', message: `${label} must be a real date, like 25/11/2026` });
      return z.NEVER;
    }
    return d;
  });
}

/** Ticked checkboxes: nothing, one value, or several. */
function formChoices<T extends readonly [string, ...string[]]>(values: T, message: string) {
  return z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]))
    .pipe(z.array(z.enum(values, { error: message })))
    .transform((chosen) => values.filter((x) => chosen.includes(x)) as T[number][]);
}

/** A select of records: '' for none, otherwise an id. */
function formRecordId(message: string) {
  return formString.transform((v, ctx) => {
    if (v === '') return null;
    if (!isRecordId(v)) {
      ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    }
    return v;
  });
}

const yesNo = (message: string) => z.enum(['yes', 'no'], { error: message }).transform((v) => v === 'yes');

const inRange = (min: number, max: number) => (n: number) => n >= min && n <= max;
const hoursOk = (n: number) => n > 0 && n <= 100;

const formVersion = z.coerce
  .number({ error: 'Send the version you read' })
  .int('Send the version you read')
  .min(1, 'Send the version you read');

// ---- Forms -------------------------------------------------------------------------------------

const formFields = {
  _csrf: z.string().optional(),
  /** The employer as typed (matched by name), unless the form fixes it with `employer_id`. */
  employer: formString,
  employer_id: formRecordId('Choose the employer again'),
  title: z
    .string({ error: 'Enter the job title' })
    .trim()
    .min(1, 'Enter the job title')
    .max(TITLE_MAX, `Job title must be ${TITLE_MAX} characters or fewer`),
  department_id: formRecordId('Choose a department from the list'),
  site_id: formRecordId('Choose a site from the list'),
  occupation: optionalText('Occupation or sector', TEXT_MAX),
  hours_per_week: formNumber('Hours a week must be a number more than 0 and up to 100, like 37.5', hoursOk),
  days: formChoices(DAYS, 'Choose days from the list'),
  times: formChoices(TIMES, 'Choose shifts from the list'),
  weekends: z
    .enum(['yes', 'no', ''], { error: 'Select yes or no for weekend work' })
    .optional()
    .transform((v) => v === 'yes'),
  hourly_pay: formString.transform((v, ctx) => {
    if (v.trim() === '') return null;
    const pence = poundsToPence(v);
    if (pence === null) {
      ctx.addIssue({ code: 'custom', message: 'Hourly pay must be an amount in pounds, like 12.71' });
      return z.NEVER;
    }
    return pence;
  }),
  place: optionalText('Place', TEXT_MAX),
  latitude: formNumber('Latitude must be a number from -90 to 90, like 53.8008', inRange(-90, 90)),
  longitude: formNumber('Longitude must be a number from -180 to 180, like -1.5491', inRange(-180, 180)),
  start_date: formDate('Start date'),
  closing_date: formDate('Closing date'),
  found_via: z.enum(FOUND_VIA, { error: 'Select how the vacancy was found' }),
  check_required: yesNo('Select whether a DBS or similar check is needed'),
  description: optionalText('Description', DESCRIPTION_MAX),
};

/** "Add a vacancy". */
export const VacancyFormSchema = z.strictObject(formFields);
export type VacancyFormInput = z.infer<typeof VacancyFormSchema>;

/** Changing a vacancy: the same fields and the version it was read at. */
export const VacancyEditFormSchema = z.strictObject({ ...formFields, version: formVersion });
export type VacancyEditFormInput = z.infer<typeof VacancyEditFormSchema>;

/** Marking a vacancy filled or withdrawn, or reopening it. */
export const VacancyStatusFormSchema = z.strictObject({
  _csrf: z.string().optional(),
  status: z.enum(VACANCY_STATUSES, { error: 'Choose what has happened to the vacancy' }),
  version: formVersion,
});

/** The vacancies list's search, filters, order and page. */
export const VacancyListQuerySchema = z.strictObject({
  q: z.string().max(200, 'Search must be 200 characters or fewer').optional(),
  status: z.enum(LIST_STATUSES, { error: 'Choose a status from the list' }).optional(),
  closing: z.enum(['soon', ''], { error: 'Choose when it closes from the list' }).optional(),
  found_via: z.enum([...FOUND_VIA, ''], { error: 'Choose how it was found from the list' }).optional(),
  sort: z.enum(VACANCY_SORTS, { error: 'Choose an order from the list' }).optional(),
  page: z.coerce
    .number({ error: 'Page must be a number' })
    .int('Page must be a whole number')
    .min(1, 'Page must be 1 or more')
    .optional(),
});
export type VacancyListQuery = z.infer<typeof VacancyListQuerySchema>;

// ---- API ---------------------------------------------------------------------------------------

const apiDate = (name: string) =>
  z
    .string({ error: `${name} must be a date as YYYY-MM-DD` })
    .refine(isCalendarDate, `${name} must be a real date as YYYY-MM-DD`)
    .nullable();
const apiId = (name: string) =>
  z.string({ error: `${name} must be a record id` }).refine(isRecordId, `${name} is not a valid record id`);
const apiEnum = <T extends readonly [string, ...string[]]>(name: string, values: T) =>
  z.enum(values, { error: `${name} must be one of: ${values.join(', ')}` });

const apiFields = {
  employer_id: apiId('employer_id').describe('The employer (see `employers`)'),
  title: z
    .string({ error: 'title must be text' })
    .trim()
    .min(1, 'Enter the job title in title')
    .max(TITLE_MAX, `title must be ${TITLE_MAX} characters or fewer`),
  occupation: optionalText('occupation', TEXT_MAX),
  department_id: apiId('department_id').nullable().describe('One of the employer’s departments'),
  site_id: apiId('site_id').nullable().describe('One of the employer’s sites'),
  hours_per_week: z
    .number({ error: 'hours_per_week must be a number' })
    .gt(0, 'hours_per_week must be more than 0')
    .max(100, 'hours_per_week must be 100 or less')
    .nullable()
    .describe('Decimal hours, like 37.5'),
  days: z.array(apiEnum('days', DAYS)).describe('Days worked'),
  times: z.array(apiEnum('times', TIMES)).describe('Shift pattern'),
  weekends: z.boolean({ error: 'weekends must be true or false' }).describe('Weekend work; true whenever `days` has sat or sun'),
  hourly_pay_pence: z
    .number({ error: 'hourly_pay_pence must be a number of pence' })
    .int('hourly_pay_pence must be a whole number of pence')
    .min(0, 'hourly_pay_pence must be 0 or more')
    .max(1_000_000, 'hourly_pay_pence must be 1000000 or less')
    .nullable()
    .describe('Integer pence: £12.71 is 1271'),
  place: optionalText('place', TEXT_MAX),
  latitude: z.number({ error: 'latitude must be a number' }).min(-90).max(90).nullable().describe('With longitude, or neither'),
  longitude: z.number({ error: 'longitude must be a number' }).min(-180).max(180).nullable(),
  start_date: apiDate('start_date'),
  closing_date: apiDate('closing_date').describe('The last day to apply; after it the vacancy drops out of matching'),
  found_via: apiEnum('found_via', FOUND_VIA),
  check_required: z.boolean({ error: 'check_required must be true or false' }).describe('A DBS or similar check is needed'),
  description: optionalText('description', DESCRIPTION_MAX),
};

export const VacancyCreateSchema = z.strictObject({
  ...apiFields,
  occupation: apiFields.occupation.optional(),
  department_id: apiFields.department_id.optional(),
  site_id: apiFields.site_id.optional(),
  hours_per_week: apiFields.hours_per_week.optional(),
  days: apiFields.days.default([]),
  times: apiFields.times.default([]),
  weekends: apiFields.weekends.default(false),
  hourly_pay_pence: apiFields.hourly_pay_pence.optional(),
  place: apiFields.place.optional(),
  latitude: apiFields.latitude.optional(),
  longitude: apiFields.longitude.optional(),
  start_date: apiFields.start_date.optional(),
  closing_date: apiFields.closing_date.optional(),
  found_via: apiFields.found_via.default('advertised'),
  check_required: apiFields.check_required.default(false),
  description: apiFields.description.optional(),
});
export type VacancyCreateInput = z.infer<typeof VacancyCreateSchema>;

export const VacancyUpdateSchema = z
  .strictObject(apiFields)
  .partial()
  .extend({
    version: z
      .number({ error: 'Send the version you read' })
      .int('Send the version you read')
      .min(1, 'Send the version you read')
      .describe('The version you read; a stale one is a 409 and nothing changes'),
    status: apiEnum('status', VACANCY_STATUSES)
      .optional()
      .describe('open → filled or withdrawn, and back to open (422 otherwise)'),
  });
export type VacancyUpdateInput = z.infer<typeof VacancyUpdateSchema>;

export const VacancyApiListQuerySchema = ListQuerySchema.extend({
  status: apiEnum('status', VACANCY_STATUSES).optional().describe('The stored status'),
  q: z
    .string()
    .max(200, 'q must be 200 characters or fewer')
    .optional()
    .describe('Text in the title, occupation or employer name'),
  employer_id: apiId('employer_id').optional(),
  open_on: z
    .string()
    .refine(isCalendarDate, 'open_on must be a real date as YYYY-MM-DD')
    .optional()
    .describe('Only vacancies open for applications on this day (open, closing on it or later)'),
}).strict();

export const VacancyReadQuerySchema = z.strictObject({
  participant_id: apiId('participant_id')
    .optional()
    .describe('Check the pay against this person’s minimum wage (their age on the start date); 404 for someone you may not see'),
});

const payCheckFields = {
  competitive: z
    .boolean()
    .nullable()
    .describe(
      'Pay at or above the legal minimum wage on the start date (today when none): for someone aged 21 or over, or for `participant_id`’s age. Null when it cannot be told',
    ),
  competitive_reasons: z.array(z.string()).describe('The working, in plain English'),
};

export const VacancyJsonSchema = z.object({
  id: z.string().describe('Record id (a UUID)'),
  employer_id: z.string(),
  employer_name: z.string(),
  title: z.string(),
  occupation: z.string().nullable(),
  department_id: z.string().nullable(),
  site_id: z.string().nullable(),
  hours_per_week: z.number().nullable(),
  days: z.array(z.enum(DAYS)),
  times: z.array(z.enum(TIMES)),
  weekends: z.boolean(),
  hourly_pay_pence: z.number().int().nullable(),
  place: z.string().nullable(),
  latitude: z.number().nullable().describe('Its own point, else its site’s'),
  longitude: z.number().nullable(),
  start_date: z.string().nullable(),
  closing_date: z.string().nullable(),
  found_via: z.enum(FOUND_VIA),
  check_required: z.boolean(),
  description: z.string().nullable(),
  status: z.enum(VACANCY_STATUSES),
  ...payCheckFields,
  import_key: z.string().nullable().describe('Set for a vacancy from a CSV import: what makes a second import skip it'),
  created_at: z.string().describe('ISO-8601 instant'),
  updated_at: z.string().describe('ISO-8601 instant'),
  version: z.number().int().min(1).describe('Send it back in a PATCH'),
});

export const VacancyListJsonSchema = z.object({
  items: z.array(VacancyJsonSchema),
  next_cursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last page'),
});

export const VacancyImportJsonSchema = z.object({
  added: z.number().int().describe('Vacancies added'),
  already_imported: z.number().int().describe('Rows whose vacancy was already there (by its import key): nothing added'),
  new_employers: z
    .number()
    .int()
    .describe('Employers added (as other employers, at the prospect stage) for names not yet recorded'),
  errors: z
    .array(z.object({ line: z.number().int().describe('Line of the file (the header is line 1)'), message: z.string() }))
    .describe('Rows not imported, with why'),
});
