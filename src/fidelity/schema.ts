import { z } from 'zod';
import { parseFormDate } from '../contacts/schema.ts';
import { isRecordId } from '../db/records.ts';
import { ListQuerySchema } from '../http/api.ts';
import { isCalendarDate } from '../referrals/rules.ts';
import { BANDS, ITEM_COUNT, type Section, SECTIONS, itemsOf } from './rules.ts';

const REVIEWERS_MAX = 500;
const NOTES_MAX = 5000;
const EVIDENCE_MAX = 2000;
const ACTION_MAX = 1000;
const OWNER_MAX = 200;
/** A review period longer than this is almost certainly a typing mistake. */
const PERIOD_MAX_DAYS = 3 * 366;

function optionalText(label: string, max: number) {
  return z
    .string({ error: `${label} must be text` })
    .max(max, `${label} must be ${max} characters or fewer`)
    .nullish()
    .transform((v) => (v && v.trim() ? v.replace(/\r\n/g, '\n').trim() : null));
}

const formDate = (missing: string, label: string) =>
  z
    .string({ error: missing })
    .trim()
    .min(1, missing)
    .transform((v, ctx) => {
      const date = parseFormDate(v);
      if (!date) {
        ctx.addIssue({ code: 'custom', message: `${label} must be a real date, like 25/11/2026` });
        return z.NEVER;
      }
      return date;
    });

const optionalFormDate = (label: string) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (!v || !v.trim()) return null;
      const date = parseFormDate(v);
      if (!date) {
        ctx.addIssue({ code: 'custom', message: `${label} must be a real date, like 25/11/2026` });
        return z.NEVER;
      }
      return date;
    });

const formVersion = z.coerce.number({ error: 'Send the version you read' }).int().min(1, 'Send the version you read');

const spanDays = (from: string, to: string) => (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;

/** The period's end must not come before its start, and must be a sensible length. */
function checkPeriod(
  v: { period_from?: string | null | undefined; period_to?: string | null | undefined },
  ctx: z.RefinementCtx,
) {
  if (!v.period_from || !v.period_to) return;
  if (v.period_to < v.period_from) {
    ctx.addIssue({ code: 'custom', path: ['period_to'], message: 'The end of the period must be on or after its start' });
  } else if (spanDays(v.period_from, v.period_to) > PERIOD_MAX_DAYS) {
    ctx.addIssue({ code: 'custom', path: ['period_to'], message: 'The period must be 3 years or shorter' });
  }
}

// ---- Forms -------------------------------------------------------------------------------------

const reviewFormFields = {
  review_date: formDate('Enter the date of the review', 'Review date'),
  period_from: formDate('Enter the first day of the period reviewed', 'Start of the period'),
  period_to: formDate('Enter the last day of the period reviewed', 'End of the period'),
  reviewers: optionalText('Reviewers', REVIEWERS_MAX),
  notes: optionalText('Notes', NOTES_MAX),
  _csrf: z.string().optional(),
};

/** A new review: when, the period the records are read over, who reviewed. */
export const ReviewFormSchema = z.strictObject(reviewFormFields).superRefine(checkPeriod);
export type ReviewFormInput = z.infer<typeof ReviewFormSchema>;

/** Changing a review's details. */
export const ReviewDetailsFormSchema = z.strictObject({ ...reviewFormFields, version: formVersion }).superRefine(checkPeriod);

const formScore = (n: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (!v) return null;
      const score = Number(v);
      if (!Number.isInteger(score) || score < 1 || score > 5) {
        ctx.addIssue({ code: 'custom', message: `Select a score from 1 to 5 for item ${n}` });
        return z.NEVER;
      }
      return score;
    });

/** One section's scores: `score_<n>` (1 to 5, or empty while undecided) and `evidence_<n>` per item. */
export function sectionFormSchema(section: Section) {
  const fields: Record<string, z.ZodType> = { version: formVersion, _csrf: z.string().optional() };
  for (const i of itemsOf(section)) {
    fields[`score_${i.item}`] = formScore(i.item);
    fields[`evidence_${i.item}`] = optionalText(`Evidence for item ${i.item}`, EVIDENCE_MAX);
  }
  return z.strictObject(fields);
}

/** An action on the plan. */
export const ActionFormSchema = z.strictObject({
  item: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (!v) return null;
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1 || n > ITEM_COUNT) {
        ctx.addIssue({ code: 'custom', message: 'Select the item from the list' });
        return z.NEVER;
      }
      return n;
    }),
  action: z
    .string({ error: 'Enter what will be done' })
    .trim()
    .min(1, 'Enter what will be done')
    .max(ACTION_MAX, `What will be done must be ${ACTION_MAX} characters or fewer`),
  owner: optionalText('Who will do it', OWNER_MAX),
  due_date: optionalFormDate('Due date'),
  _csrf: z.string().optional(),
});
export type ActionFormInput = z.infer<typeof ActionFormSchema>;

/** The compare page: chosen reviews (`ids=a,b`) or a team's reviews over time. */
export const CompareQuerySchema = z.object({
  ids: z
    .string()
    .optional()
    .transform((v) => (v ? [...new Set(v.split(',').map((x) => x.trim()))].filter(isRecordId).slice(0, 6) : []))
    .catch([]),
  team: z
    .string()
    .optional()
    .transform((v) => (isRecordId(v) ? v : undefined))
    .catch(undefined),
});

export const SECTION_PARAM = z.enum(SECTIONS);

// ---- API ---------------------------------------------------------------------------------------

const apiDate = (name: string) =>
  z.string({ error: `${name} must be a date like 2026-11-25` }).refine(isCalendarDate, `${name} must be a date like 2026-11-25`);

const apiItem = z.strictObject({
  item: z
    .number({ error: 'item must be a number from 1 to 25' })
    .int('item must be a number from 1 to 25')
    .min(1, 'item must be a number from 1 to 25')
    .max(ITEM_COUNT, 'item must be a number from 1 to 25'),
  score: z
    .number({ error: 'score must be a whole number from 1 to 5, or null' })
    .int('score must be a whole number from 1 to 5, or null')
    .min(1, 'score must be a whole number from 1 to 5, or null')
    .max(5, 'score must be a whole number from 1 to 5, or null')
    .nullable()
    .optional()
    .describe('The reviewer’s score; null clears it. Left out, it is not changed'),
  evidence: optionalText('evidence', EVIDENCE_MAX).optional().describe('What the score is based on. Left out, it is not changed'),
});

const apiItems = z
  .array(apiItem, { error: 'items must be a list' })
  .max(ITEM_COUNT, 'Send each item at most once')
  .refine((items) => new Set(items.map((i) => i.item)).size === items.length, 'Send each item at most once')
  .describe('Scores and evidence for some or all of the 25 items');

export const ReviewCreateSchema = z
  .strictObject({
    review_date: apiDate('review_date'),
    period_from: apiDate('period_from').describe('First day of the period the records are read over'),
    period_to: apiDate('period_to').describe('Last day of the period'),
    reviewers: optionalText('reviewers', REVIEWERS_MAX),
    notes: optionalText('notes', NOTES_MAX),
    items: apiItems.optional(),
  })
  .superRefine(checkPeriod);
export type ReviewCreateInput = z.infer<typeof ReviewCreateSchema>;

export const ReviewUpdateSchema = z
  .strictObject({
    version: z
      .number({ error: 'Send the version you read' })
      .int('Send the version you read')
      .min(1, 'Send the version you read')
      .describe('The version you read; a stale one is a 409 and nothing changes'),
    review_date: apiDate('review_date').optional(),
    period_from: apiDate('period_from').optional(),
    period_to: apiDate('period_to').optional(),
    reviewers: optionalText('reviewers', REVIEWERS_MAX).optional(),
    notes: optionalText('notes', NOTES_MAX).optional(),
    items: apiItems.optional(),
    refresh_proposals: z
      .boolean({ error: 'refresh_proposals must be true or false' })
      .optional()
      .describe('Work the proposed scores out again from the records; the reviewer’s scores are never changed'),
  })
  .superRefine(checkPeriod);
export type ReviewUpdateInput = z.infer<typeof ReviewUpdateSchema>;

export const ReviewListQuerySchema = ListQuerySchema.strict();

// ---- API responses -----------------------------------------------------------------------------

const bandJson = z
  .enum(BANDS)
  .nullable()
  .describe('exemplary 115–125, good 100–114, fair 74–99, not_ips 73 or below; null until all 25 are scored');

const summaryFields = {
  id: z.string().describe('Record id (a UUID)'),
  team_id: z.string(),
  team_name: z.string().nullable(),
  review_date: z.string().describe('YYYY-MM-DD'),
  period_from: z.string().describe('YYYY-MM-DD'),
  period_to: z.string().describe('YYYY-MM-DD'),
  reviewers: z.string().nullable(),
  notes: z.string().nullable(),
  scored: z.number().int().describe('Items scored so far, of 25'),
  total: z.number().int().nullable().describe('Sum of the 25 scores; null until all 25 are scored'),
  band: bandJson,
  created_at: z.string(),
  updated_at: z.string(),
  version: z.number().int().min(1).describe('Send it back in a PATCH'),
};

export const ReviewJsonSchema = z.object({
  ...summaryFields,
  proposed_at: z.string().nullable().describe('When the proposed scores were last worked out from the records'),
  items: z.array(
    z.object({
      item: z.number().int(),
      section: z.enum(SECTIONS),
      name: z.string(),
      score: z.number().int().nullable(),
      evidence: z.string().nullable(),
      proposed: z
        .object({ score: z.number().int().nullable(), evidence: z.string().nullable(), confirmed_anchors: z.boolean() })
        .nullable()
        .describe('The score the records suggest (a few items only); the reviewer decides'),
    }),
  ),
  actions: z.array(
    z.object({
      id: z.string(),
      item: z.number().int().nullable(),
      action: z.string(),
      owner: z.string().nullable(),
      due_date: z.string().nullable(),
      done_on: z.string().nullable(),
    }),
  ),
});

export const ReviewListJsonSchema = z.object({
  items: z.array(z.object(summaryFields)),
  next_cursor: z.string().nullable(),
});
