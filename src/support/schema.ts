import { z } from 'zod';
import { parseFormDate } from '../contacts/schema.ts';
import { isCalendarDate } from '../referrals/rules.ts';
import { CONTACT_FREQUENCIES, REVIEW_DECISIONS, SUPPORT_STATUSES } from './rules.ts';

const TEXT_MAX = 5000;

/** Optional free text: '' and whitespace become null. */
function optionalText(label: string) {
  return z
    .string({ error: `${label} must be text` })
    .max(TEXT_MAX, `${label} must be ${TEXT_MAX} characters or fewer`)
    .nullish()
    .transform((v) => (v && v.trim() ? v : null));
}

/** An optional typed date (`YYYY-MM-DD` or `DD/MM/YYYY`) as `YYYY-MM-DD`, or null when left empty. */
function optionalFormDate(label: string) {
  return z
    .string({ error: `${label} must be a date` })
    .trim()
    .optional()
    .refine((v) => !v || parseFormDate(v) !== null, `${label} must be a real date, like 25/02/2027`)
    .transform((v) => (v ? parseFormDate(v) : null));
}

/** Coach hours a week the plan commits to: 0.25 to 60, decimals allowed. */
export const PLAN_HOURS_MIN = 0.25;
export const PLAN_HOURS_MAX = 60;
const PLAN_HOURS_RANGE = `Coach hours a week must be between ${PLAN_HOURS_MIN} and ${PLAN_HOURS_MAX}`;

/** Optional typed hours a week, like 5 or 1.5; empty means not said. */
const formHours = z
  .string({ error: 'Coach hours a week must be a number' })
  .trim()
  .optional()
  .refine((v) => !v || /^\d+(\.\d+)?$|^\.\d+$/.test(v), 'Coach hours a week must be a number, like 5 or 2.5')
  .transform((v) => (v ? Number(v) : null))
  .refine((v) => v === null || (v >= PLAN_HOURS_MIN && v <= PLAN_HOURS_MAX), PLAN_HOURS_RANGE);

const formVersion = z.coerce
  .number({ error: 'Send the version you read' })
  .int('Send the version you read')
  .min(1, 'Send the version you read');

// ---- Forms -------------------------------------------------------------------------------------

/** "Write the support plan" / "Change the support plan". `version` is sent when the plan exists. */
export const SupportPlanFormSchema = z.strictObject({
  coach_support: optionalText('What the job coach does'),
  employer_owns: optionalText('What the line manager and HR own'),
  contact_frequency: z.enum(CONTACT_FREQUENCIES, { error: 'Select how often the coach and the person agreed to be in touch' }),
  adjustments: optionalText('Adjustments agreed with the employer'),
  next_review_date: optionalFormDate('Next review date'),
  fading_plan: optionalText('Fading plan'),
  hours_per_week: formHours,
  version: formVersion.optional(),
  _csrf: z.string().optional(),
});
export type SupportPlanFormInput = z.infer<typeof SupportPlanFormSchema>;

/** "Record a review": when, what the person decided, notes, and the next review when support goes on. */
export const SupportReviewFormSchema = z.strictObject({
  review_date: z
    .string({ error: 'Enter the date of the review' })
    .trim()
    .min(1, 'Enter the date of the review')
    .refine((v) => parseFormDate(v) !== null, 'Review date must be a real date, like 25/11/2026')
    .transform((v) => parseFormDate(v) ?? v),
  decision: z.enum(REVIEW_DECISIONS, { error: 'Select what the person decided' }),
  notes: optionalText('Notes'),
  next_review_date: optionalFormDate('Next review date'),
  _csrf: z.string().optional(),
});
export type SupportReviewFormInput = z.infer<typeof SupportReviewFormSchema>;

// ---- API ---------------------------------------------------------------------------------------

const apiDate = (name: string) =>
  z
    .string({ error: `${name} must be a date written YYYY-MM-DD` })
    .refine(isCalendarDate, `${name} must be a real date written YYYY-MM-DD`);

/** Create or replace the support plan of one of the person's jobs. */
export const SupportPlanPutSchema = z.strictObject({
  placement_id: z.uuid({ error: 'placement_id must be the id of one of the person’s jobs' }),
  version: z
    .number({ error: 'version must be a whole number' })
    .int('version must be a whole number')
    .min(1, 'version must be at least 1')
    .optional()
    .describe('Required when the job already has a plan: the version you read (a stale one is a 409 and nothing changes)'),
  coach_support: optionalText('coach_support').describe('What the job coach does'),
  employer_owns: optionalText('employer_owns').describe('What the line manager and HR own, as for any employee'),
  contact_every_days: z
    .number({ error: 'contact_every_days must be a whole number of days, or null for as needed' })
    .int('contact_every_days must be a whole number of days')
    .min(1, 'contact_every_days must be at least 1')
    .max(365, 'contact_every_days must be 365 or fewer')
    .nullish()
    .transform((v) => v ?? null)
    .describe('Agreed contact frequency in days (7 weekly, 14 fortnightly, 28 every four weeks); null for as needed'),
  adjustments: optionalText('adjustments').describe('Adjustments agreed with the employer'),
  next_review_date: apiDate('next_review_date')
    .nullish()
    .transform((v) => v ?? null)
    .describe('YYYY-MM-DD. Null: the first review falls at the service’s usual point after the job started'),
  fading_plan: optionalText('fading_plan').describe('How support will fade as the person settles in'),
  hours_per_week: z
    .number({ error: 'hours_per_week must be a number of hours, or null' })
    .min(PLAN_HOURS_MIN, `hours_per_week must be at least ${PLAN_HOURS_MIN}`)
    .max(PLAN_HOURS_MAX, `hours_per_week must be ${PLAN_HOURS_MAX} or fewer`)
    .nullish()
    .transform((v) => v ?? null)
    .describe('Coach hours a week the plan commits to, for the team’s capacity forecast (decimal hours); null when not said'),
});
export type SupportPlanPutInput = z.infer<typeof SupportPlanPutSchema>;

export const SupportReviewCreateSchema = z.strictObject({
  placement_id: z.uuid({ error: 'placement_id must be the id of one of the person’s jobs' }),
  review_date: apiDate('review_date').describe('YYYY-MM-DD, today or earlier'),
  decision: z
    .enum(REVIEW_DECISIONS, { error: `decision must be one of: ${REVIEW_DECISIONS.join(', ')}` })
    .describe('The person’s choice: `continue` keeps the level of support, `reduce` means fewer contacts, `end` stops it'),
  notes: optionalText('notes'),
  next_review_date: apiDate('next_review_date')
    .nullish()
    .transform((v) => v ?? null)
    .describe('Required for `continue` and `reduce`, after review_date; ignored for `end`'),
});
export type SupportReviewCreateInput = z.infer<typeof SupportReviewCreateSchema>;

const ReviewJsonSchema = z.object({
  id: z.string(),
  review_date: z.string().describe('YYYY-MM-DD'),
  decision: z.enum(REVIEW_DECISIONS),
  notes: z.string().nullable(),
  created_at: z.string().describe('ISO-8601 instant'),
});

export const SupportPlanJsonSchema = z.object({
  id: z.string().describe('Record id (a UUID)'),
  placement_id: z.string(),
  participant_id: z.string(),
  coach_support: z.string().nullable(),
  employer_owns: z.string().nullable(),
  contact_every_days: z.number().int().nullable().describe('Agreed contact frequency in days; null for as needed'),
  adjustments: z.string().nullable(),
  next_review_date: z.string().nullable().describe('YYYY-MM-DD, as the plan or its last review set it'),
  review_due_date: z
    .string()
    .nullable()
    .describe('Derived: when the next review is due (the first at the service’s usual point after the start); null once ended'),
  fading_plan: z.string().nullable(),
  hours_per_week: z.number().nullable().describe('Coach hours a week the plan commits to (decimal hours); null when not said'),
  status: z.enum(SUPPORT_STATUSES).describe('Support ends only when the person chooses, at a review'),
  reviews: z.array(ReviewJsonSchema).describe('Newest first'),
  created_at: z.string().describe('ISO-8601 instant'),
  updated_at: z.string().describe('ISO-8601 instant'),
  version: z.number().int().min(1).describe('Send it back in a PUT'),
});

export const SupportPlanListJsonSchema = z.object({
  items: z.array(SupportPlanJsonSchema).describe('The plans of the person’s current jobs, oldest job first'),
});
