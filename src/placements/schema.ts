import { z } from 'zod';
import { parseFormDate } from '../contacts/schema.ts';
import { isRecordId } from '../db/records.ts';
import { ListQuerySchema } from '../http/api.ts';
import { isCalendarDate } from '../referrals/rules.ts';
import { poundsToPence } from '../vacancies/rules.ts';
import { ABSENCE_KINDS, CONTRACT_TYPES, END_REASONS } from './rules.ts';

// ---- Building blocks ---------------------------------------------------------------------------

const TITLE_MAX = 200;
const TEXT_MAX = 200;
const NOTES_MAX = 2_000;

/** What a form field holds: '' for nothing typed. */
const formString = z.string().optional().default('');

/** Optional free text: '' and whitespace become null. */
function optionalText(label: string, max: number) {
  return z
    .string({ error: `${label} must be text` })
    .max(max, `${label} must be ${max.toLocaleString('en-GB')} characters or fewer`)
    .nullish()
    .transform((v) => (v && v.trim() ? v.trim() : null));
}

/** A form date, typed `YYYY-MM-DD` (the picker) or `DD/MM/YYYY`; null when empty and optional. */
function formDate(label: string, required: boolean) {
  return formString.transform((v, ctx) => {
    if (v.trim() === '') {
      if (!required) return null;
      ctx.addIssue({ code: 'custom', message: `Enter the ${label.toLowerCase()}` });
      return z.NEVER;
    }
    const d = parseFormDate(v);
    if (d === null) {
      ctx.addIssue({ code: 'custom', message: `${label} must be a real date, like 25/11/2026` });
      return z.NEVER;
    }
    return d;
  });
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

const formVersion = z.coerce
  .number({ error: 'Send the version you read' })
  .int('Send the version you read')
  .min(1, 'Send the version you read');

const apiVersion = z
  .number({ error: 'Send the version you read' })
  .int('Send the version you read')
  .min(1, 'Send the version you read')
  .describe('The version you read; a stale one is a 409 and nothing changes');

// ---- Forms -------------------------------------------------------------------------------------

const formFields = {
  _csrf: z.string().optional(),
  /** The employer as typed, matched by name. */
  employer: formString,
  title: z
    .string({ error: 'Enter the job title' })
    .trim()
    .min(1, 'Enter the job title')
    .max(TITLE_MAX, `Job title must be ${TITLE_MAX} characters or fewer`),
  department_id: formRecordId('Choose a department from the list'),
  site_id: formRecordId('Choose a site from the list'),
  start_date: formDate('Start date', true),
  hours_per_week: formString.transform((v, ctx) => {
    const s = v.trim();
    if (s === '') return null;
    const n = /^\d+(\.\d+)?$/.test(s) ? Number(s) : NaN;
    if (Number.isNaN(n) || n <= 0 || n > 100) {
      ctx.addIssue({ code: 'custom', message: 'Hours a week must be a number more than 0 and up to 100, like 37.5' });
      return z.NEVER;
    }
    return n;
  }),
  hourly_pay: formString.transform((v, ctx) => {
    if (v.trim() === '') return null;
    const pence = poundsToPence(v);
    if (pence === null) {
      ctx.addIssue({ code: 'custom', message: 'Hourly pay must be an amount in pounds, like 12.71' });
      return z.NEVER;
    }
    return pence;
  }),
  contract_type: z
    .enum(['', ...CONTRACT_TYPES], { error: 'Select the contract type' })
    .optional()
    .transform((v) => (v ? v : null)),
  line_manager: optionalText('Line manager', TEXT_MAX),
  open_to_anyone: yesNo('Select whether the job was open to anyone'),
  set_aside_for_disabled: yesNo('Select whether the job was set aside for disabled people'),
};

export const PlacementFormSchema = z.object(formFields);
export type PlacementFormInput = z.infer<typeof PlacementFormSchema>;

export const PlacementEditFormSchema = z.object({ ...formFields, version: formVersion });

export const PlacementEndFormSchema = z.object({
  _csrf: z.string().optional(),
  end_date: formDate('End date', true),
  end_reason: z.enum(END_REASONS, { error: 'Select why the job ended' }),
  version: formVersion,
});

export const AbsenceFormSchema = z.object({
  _csrf: z.string().optional(),
  kind: z.enum(ABSENCE_KINDS, { error: 'Select the kind of absence' }),
  from_date: formDate('First day off', true),
  to_date: formDate('Back-to-work date', false),
  notes: optionalText('Notes', NOTES_MAX),
});

export const AbsenceEndFormSchema = z.object({
  _csrf: z.string().optional(),
  to_date: formDate('Back-to-work date', true),
  version: formVersion,
});

export const RedeploymentCloseFormSchema = z.object({ _csrf: z.string().optional(), version: formVersion });

// ---- API ---------------------------------------------------------------------------------------

const apiDate = (name: string) =>
  z
    .string({ error: `${name} must be a date as YYYY-MM-DD` })
    .refine(isCalendarDate, `${name} must be a real date as YYYY-MM-DD`)
    .describe('YYYY-MM-DD');
const apiId = (name: string) =>
  z.string({ error: `${name} must be a record id` }).refine(isRecordId, `${name} must be a record id`);

const apiFields = {
  employer_id: apiId('employer_id'),
  title: z
    .string({ error: 'title must be text' })
    .trim()
    .min(1, 'Enter the job title in title')
    .max(TITLE_MAX, `title must be ${TITLE_MAX} characters or fewer`),
  department_id: apiId('department_id').nullable().describe('One of the employer’s departments'),
  site_id: apiId('site_id').nullable().describe('One of the employer’s sites'),
  start_date: apiDate('start_date'),
  hours_per_week: z
    .number({ error: 'hours_per_week must be a number' })
    .gt(0, 'hours_per_week must be more than 0')
    .max(100, 'hours_per_week must be 100 or less')
    .nullable(),
  hourly_pay_pence: z
    .number({ error: 'hourly_pay_pence must be a number of pence' })
    .int('hourly_pay_pence must be a whole number of pence')
    .min(0, 'hourly_pay_pence must be 0 or more')
    .max(1_000_000, 'hourly_pay_pence must be 1000000 or less')
    .nullable(),
  contract_type: z.enum(CONTRACT_TYPES, { error: `contract_type must be one of ${CONTRACT_TYPES.join(', ')}` }).nullable(),
  line_manager: z
    .string({ error: 'line_manager must be text' })
    .max(TEXT_MAX, `line_manager must be ${TEXT_MAX} characters or fewer`)
    .nullable(),
  open_to_anyone: z.boolean({ error: 'open_to_anyone must be true or false' }),
  set_aside_for_disabled: z.boolean({ error: 'set_aside_for_disabled must be true or false' }),
};

export const PlacementCreateSchema = z.object({
  participant_id: apiId('participant_id'),
  employer_id: apiFields.employer_id,
  title: apiFields.title,
  start_date: apiFields.start_date,
  department_id: apiFields.department_id.optional(),
  site_id: apiFields.site_id.optional(),
  hours_per_week: apiFields.hours_per_week.optional(),
  hourly_pay_pence: apiFields.hourly_pay_pence.optional(),
  contract_type: apiFields.contract_type.optional(),
  line_manager: apiFields.line_manager.optional(),
  open_to_anyone: apiFields.open_to_anyone.default(true),
  set_aside_for_disabled: apiFields.set_aside_for_disabled.default(false),
});

export const PlacementUpdateSchema = z.object({
  version: apiVersion,
  employer_id: apiFields.employer_id.optional(),
  title: apiFields.title.optional(),
  start_date: apiFields.start_date.optional(),
  department_id: apiFields.department_id.optional(),
  site_id: apiFields.site_id.optional(),
  hours_per_week: apiFields.hours_per_week.optional(),
  hourly_pay_pence: apiFields.hourly_pay_pence.optional(),
  contract_type: apiFields.contract_type.optional(),
  line_manager: apiFields.line_manager.optional(),
  open_to_anyone: apiFields.open_to_anyone.optional(),
  set_aside_for_disabled: apiFields.set_aside_for_disabled.optional(),
  end_date: apiDate('end_date').nullable().optional().describe('With `end_reason`, ends the job'),
  end_reason: z
    .enum(END_REASONS, { error: `end_reason must be one of ${END_REASONS.join(', ')}` })
    .nullable()
    .optional()
    .describe('`redundancy` opens a redeployment'),
});

export const PlacementListQuerySchema = ListQuerySchema.extend({
  participant_id: apiId('participant_id').optional().describe('Only this person’s jobs'),
}).strict();

export const PlacementJsonSchema = z.object({
  id: z.string().describe('Record id (a UUID)'),
  participant_id: z.string(),
  employer_id: z.string(),
  vacancy_id: z.string().nullable(),
  match_id: z.string().nullable().describe('The match that started it, if any'),
  title: z.string(),
  department_id: z.string().nullable(),
  site_id: z.string().nullable(),
  start_date: z.string(),
  end_date: z.string().nullable(),
  end_reason: z.enum(END_REASONS).nullable(),
  hours_per_week: z.number().nullable(),
  hourly_pay_pence: z.number().int().nullable(),
  contract_type: z.enum(CONTRACT_TYPES).nullable(),
  line_manager: z.string().nullable(),
  open_to_anyone: z.boolean(),
  set_aside_for_disabled: z.boolean(),
  competitive: z
    .boolean()
    .describe(
      'Pays at least the minimum wage for the person’s age on the start date, open to anyone, not set aside for disabled people',
    ),
  competitive_reasons: z.array(z.string()).describe('The working, in plain English'),
  milestones: z
    .array(z.object({ weeks: z.number().int(), date: z.string(), reached: z.boolean() }))
    .describe('13, 26 and 52 weeks in work'),
  created_at: z.string().describe('ISO-8601 instant'),
  updated_at: z.string().describe('ISO-8601 instant'),
  version: z.number().int().min(1).describe('Send it back in a PATCH'),
});

export const PlacementListJsonSchema = z.object({
  items: z.array(PlacementJsonSchema),
  next_cursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last page'),
});
