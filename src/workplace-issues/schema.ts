import { z } from 'zod';
import { parseFormDate } from '../contacts/schema.ts';
import { ListQuerySchema } from '../http/api.ts';
import { isCalendarDate } from '../referrals/rules.ts';
import { CATEGORIES, ISSUE_STATUSES, OWNERS, RAISED_BY } from './rules.ts';

const TEXT_MAX = 5000;

/** Optional free text: '' and whitespace become null. */
function optionalText(label: string) {
  return z
    .string({ error: `${label} must be text` })
    .max(TEXT_MAX, `${label} must be ${TEXT_MAX} characters or fewer`)
    .nullish()
    .transform((v) => (v && v.trim() ? v.replace(/\r\n/g, '\n').trim() : null));
}

function requiredText(message: string, label: string) {
  return z
    .string({ error: message })
    .trim()
    .min(1, message)
    .max(TEXT_MAX, `${label} must be ${TEXT_MAX} characters or fewer`)
    .transform((v) => v.replace(/\r\n/g, '\n'));
}

/** A typed date (`YYYY-MM-DD` or `DD/MM/YYYY`), given back as `YYYY-MM-DD`. */
function formDate(missing: string, label: string) {
  return z
    .string({ error: missing })
    .trim()
    .min(1, missing)
    .refine((v) => parseFormDate(v) !== null, `${label} must be a real date, like 25/11/2026`)
    .transform((v) => parseFormDate(v) ?? v);
}

const formVersion = z.coerce
  .number({ error: 'Send the version you read' })
  .int('Send the version you read')
  .min(1, 'Send the version you read');

const csrf = { _csrf: z.string().optional() };

// ---- Forms -------------------------------------------------------------------------------------

/** "Raise a workplace issue". */
export const IssueCreateFormSchema = z.strictObject({
  raised_by: z.enum(RAISED_BY, { error: 'Select who raised the issue' }),
  raised_on: formDate('Enter the date the issue was raised', 'Date raised'),
  category: z.enum(CATEGORIES, { error: 'Select what the issue is about' }),
  // `suggested`: the usual owner for the category, preselected so the form works without JavaScript.
  owner: z.enum([...OWNERS, 'suggested'], { error: 'Select who owns the issue' }),
  description: requiredText('Enter what happened', 'What happened'),
  actions: optionalText('First actions'),
  ...csrf,
});
export type IssueCreateFormInput = z.infer<typeof IssueCreateFormSchema>;

/** Updating an open or closed issue as things move: owner, what happened, actions, outcome. */
export const IssueEditFormSchema = z.strictObject({
  owner: z.enum(OWNERS, { error: 'Select who owns the issue' }),
  description: requiredText('Enter what happened', 'What happened'),
  actions: optionalText('Actions'),
  outcome: optionalText('Outcome'),
  version: formVersion,
  ...csrf,
});
export type IssueEditFormInput = z.infer<typeof IssueEditFormSchema>;

/** Closing an issue: the outcome and the date. */
export const IssueCloseFormSchema = z.strictObject({
  outcome: requiredText('Enter the outcome before closing the issue', 'Outcome'),
  closed_on: formDate('Enter the date the issue closed', 'Date closed'),
  version: formVersion,
  ...csrf,
});
export type IssueCloseFormInput = z.infer<typeof IssueCloseFormSchema>;

// ---- API ---------------------------------------------------------------------------------------

const apiEnum = <T extends readonly [string, ...string[]]>(name: string, values: T) =>
  z.enum(values, { error: `${name} must be one of: ${values.join(', ')}` });

const apiDate = (name: string) =>
  z
    .string({ error: `${name} must be a date like 2026-11-25` })
    .refine(isCalendarDate, `${name} must be a real date like 2026-11-25`);

export const IssueCreateSchema = z.strictObject({
  raised_by: apiEnum('raised_by', RAISED_BY).describe('Who raised it'),
  raised_on: apiDate('raised_on').describe('YYYY-MM-DD, today or earlier'),
  category: apiEnum('category', CATEGORIES),
  owner: apiEnum('owner', OWNERS)
    .optional()
    .describe('Who leads on it. Left out: the usual owner for the category (employer for attendance, performance, conduct)'),
  description: requiredText('description is required', 'description').describe('What happened'),
  actions: optionalText('actions').describe('What is being done, by whom'),
});
export type IssueCreateInput = z.infer<typeof IssueCreateSchema>;

export const IssueUpdateSchema = z.strictObject({
  version: z
    .number({ error: 'Send the version you read' })
    .int('Send the version you read')
    .min(1, 'Send the version you read')
    .describe('The version you read; a stale one is a 409 and nothing changes'),
  raised_by: apiEnum('raised_by', RAISED_BY).optional(),
  raised_on: apiDate('raised_on').optional(),
  category: apiEnum('category', CATEGORIES).optional(),
  owner: apiEnum('owner', OWNERS).optional(),
  description: requiredText('description cannot be empty', 'description').optional(),
  actions: optionalText('actions').optional(),
  outcome: optionalText('outcome').optional(),
  status: apiEnum('status', ISSUE_STATUSES)
    .optional()
    .describe('`closed` needs an outcome (sent or saved) and sets `closed_on` (today unless sent); `open` reopens it'),
  closed_on: apiDate('closed_on').optional().describe('YYYY-MM-DD; only when closing'),
});
export type IssueUpdateInput = z.infer<typeof IssueUpdateSchema>;

export const IssueListQuerySchema = ListQuerySchema.strict();

export const IssueJsonSchema = z.object({
  id: z.string().describe('Record id (a UUID)'),
  placement_id: z.string(),
  participant_id: z.string(),
  raised_by: z.enum(RAISED_BY),
  raised_on: z.string().describe('YYYY-MM-DD'),
  category: z.enum(CATEGORIES),
  owner: z.enum(OWNERS),
  description: z.string(),
  actions: z.string().nullable(),
  outcome: z.string().nullable(),
  status: z.enum(ISSUE_STATUSES),
  closed_on: z.string().nullable().describe('YYYY-MM-DD when closed'),
  handled_by_employer: z.boolean().describe('Derived: owned by the employer and closed'),
  created_at: z.string().describe('ISO-8601 instant'),
  updated_at: z.string().describe('ISO-8601 instant'),
  version: z.number().int().min(1).describe('Send it back in a PATCH'),
});

export const IssueListJsonSchema = z.object({
  items: z.array(IssueJsonSchema).describe('Open issues first, then closed; newest raised first'),
  next_cursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last page'),
});

/** An optional date in a query string; a bad one is a message, not a silent default. */
const queryDate = (label: string, example: string) =>
  z
    .string()
    .optional()
    .transform((v) => (v && v.trim() ? (parseFormDate(v) ?? 'invalid') : undefined))
    .refine((v) => v !== 'invalid', `${label} must be a real date, like ${example}`);

/** The report's period; both ends optional (the last 12 months). */
export const ReportQuerySchema = z.object({ from: queryDate('From', '25/11/2025'), to: queryDate('To', '25/11/2026') });
