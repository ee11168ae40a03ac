import { z } from 'zod';
import { parseFormDate } from '../contacts/schema.ts';
import { isRecordId } from '../db/records.ts';
import { CONTRACT_TYPES } from '../placements/rules.ts';
import { parsePounds } from '../access-to-work/schema.ts';
import { EMPLOYED_OUTCOMES, OUTCOMES, type Outcome } from './rules.ts';

// Forms for the end of an internship (graduation or leaving early, the outcome and the job) and
// the hand-over to follow-on support. Each field here checks only its own format; an empty field
// becomes null, and which fields must be filled in (they depend on each other) is said by
// `missingGraduationFields`, so every problem is shown at once.

const TITLE_MAX = 200;
const TEXT_MAX = 200;
const NOTE_MAX = 2_000;

/** What a form field holds: '' for nothing typed. */
const formString = z.string({ error: 'Enter text' }).optional().default('');

function optionalText(label: string, max: number) {
  return formString.transform((v, ctx) => {
    const s = v.replace(/\r\n/g, '\n').trim();
    if (s.length > max) {
      ctx.addIssue({ code: 'custom', message: `${label} must be ${max.toLocaleString('en-GB')} characters or fewer` });
      return z.NEVER;
    }
    return s || null;
  });
}

function formDate(label: string) {
  return formString.transform((v, ctx) => {
    if (v.trim() === '') return null;
    const d = parseFormDate(v);
    if (d === null) {
      ctx.addIssue({ code: 'custom', message: `${label} must be a real date, like 25/07/2027` });
      return z.NEVER;
    }
    return d;
  });
}

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

function formYesNo(message: string) {
  return z
    .enum(['', 'yes', 'no'], { error: message })
    .optional()
    .transform((v) => (v === 'yes' ? true : v === 'no' ? false : null));
}

const formVersion = z.coerce
  .number({ error: 'Send the version you read' })
  .int('Send the version you read')
  .min(1, 'Send the version you read');

export const ENDINGS = ['graduated', 'withdrawn'] as const;
export type Ending = (typeof ENDINGS)[number];

/** "Record graduation": how the internship ended, what came next, and the job when employed. */
export const GraduationFormSchema = z.object({
  _csrf: z.string().optional(),
  status: z
    .enum(['', ...ENDINGS], { error: 'Select whether they finished the internship or left early' })
    .optional()
    .transform((v) => (v ? v : null)),
  outcome: z
    .enum(['', ...OUTCOMES], { error: 'Select what they went on to' })
    .optional()
    .transform((v) => (v ? v : null)),
  outcome_date: formDate('Date'),
  outcome_note: optionalText('Note', NOTE_MAX),
  /** The employer as typed, matched by name (see employers.employerTypedInForm). */
  employer: formString,
  job_title: optionalText('Job title', TITLE_MAX),
  department_id: formRecordId('Choose a department from the list'),
  site_id: formRecordId('Choose a site from the list'),
  job_start_date: formDate('Job start date'),
  hours_per_week: formString.transform((v, ctx) => {
    const s = v.trim();
    if (s === '') return null;
    const n = /^\d+(\.\d+)?$/.test(s) ? Number(s) : NaN;
    if (Number.isNaN(n) || n <= 0 || n > 100) {
      ctx.addIssue({ code: 'custom', message: 'Hours a week must be a number more than 0 and up to 100, like 16 or 37.5' });
      return z.NEVER;
    }
    return n;
  }),
  hourly_pay: formString.transform((v, ctx) => {
    if (v.trim() === '') return null;
    const pence = parsePounds(v);
    if (pence === null || pence <= 0) {
      ctx.addIssue({ code: 'custom', message: 'Hourly pay must be an amount in pounds, like 12.71' });
      return z.NEVER;
    }
    return pence;
  }),
  seasonal: formYesNo('Select whether the job is seasonal'),
  integrated: formYesNo('Select whether they work alongside colleagues who are not disabled'),
  contract_type: z
    .enum(['', ...CONTRACT_TYPES], { error: 'Select the contract type' })
    .optional()
    .transform((v) => (v ? v : null)),
  line_manager: optionalText('Line manager', TEXT_MAX),
  version: formVersion,
});
export type GraduationFormInput = z.infer<typeof GraduationFormSchema>;

/** "Start follow-on support": the follow-on job coach, and the version of the intern read. */
export const HandOverFormSchema = z.object({
  _csrf: z.string().optional(),
  coach_id: formString.transform((v, ctx) => {
    if (!isRecordId(v)) {
      ctx.addIssue({ code: 'custom', message: 'Select the follow-on job coach' });
      return z.NEVER;
    }
    return v;
  }),
  version: formVersion,
});
export type HandOverFormInput = z.infer<typeof HandOverFormSchema>;

const blank = (v: unknown): boolean => v === null || v === undefined || (typeof v === 'string' && v.trim() === '');

/** Whether an outcome is a paid job. */
export function isEmployedOutcome(outcome: unknown): outcome is Outcome {
  return typeof outcome === 'string' && (EMPLOYED_OUTCOMES as readonly string[]).includes(outcome);
}

/**
 * The fields that must be filled in, given how the internship ended and the outcome: the ending
 * and its date always; the outcome for a graduate; the job (employer, title, start date, hours,
 * pay, seasonal, integrated: what the programme outcome is decided from) for a paid job. Works on
 * the form as posted or on parsed values (null for empty), keyed by the form's field names.
 */
export function missingGraduationFields(values: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  if (blank(values.status)) out.status = 'Select whether they finished the internship or left early';
  if (values.status === 'graduated' && blank(values.outcome)) out.outcome = 'Select what they went on to';
  if (blank(values.outcome_date))
    out.outcome_date = values.status === 'withdrawn' ? 'Enter the date they left' : 'Enter the date they finished';
  if (isEmployedOutcome(values.outcome)) {
    if (blank(values.employer)) out.employer = 'Enter the employer’s name';
    if (blank(values.job_title)) out.job_title = 'Enter the job title';
    if (blank(values.job_start_date)) out.job_start_date = 'Enter the date the job starts';
    if (blank(values.hours_per_week)) out.hours_per_week = 'Enter the hours a week';
    if (blank(values.hourly_pay)) out.hourly_pay = 'Enter the hourly pay';
    if (blank(values.seasonal)) out.seasonal = 'Select whether the job is seasonal';
    if (blank(values.integrated)) out.integrated = 'Select whether they work alongside colleagues who are not disabled';
  }
  return out;
}
