import { z } from 'zod';
import { ListQuerySchema } from '../http/api.ts';
import { isRecordId } from '../db/records.ts';
import { parseFormDate } from '../contacts/schema.ts';
import { MATCH_STAGES } from './stages.ts';

// ---- Pages --------------------------------------------------------------------------------------

const page = z.coerce
  .number({ error: 'Page must be a number' })
  .int('Page must be a whole number')
  .min(1, 'Page must be 1 or more');
const search = z.string().trim().max(200, 'Search must be 200 characters or fewer').optional();

/** Where a form returns to: a page of this service, never another site. */
const returnTo = z
  .string()
  .optional()
  .transform((v) => (v && /^\/(?![/\\])[^\s]*$/.test(v) ? v : undefined));

export const RankedVacanciesQuerySchema = z.object({
  page: page.default(1),
  q: search,
  sort: z.enum(['best', 'closing'], { error: 'Choose how to sort' }).default('best'),
  done: z.string().optional(),
});
export type RankedVacanciesQuery = z.infer<typeof RankedVacanciesQuerySchema>;

export const RankedPeopleQuerySchema = z.object({
  page: page.default(1),
  q: search,
  sort: z.enum(['best', 'name'], { error: 'Choose how to sort' }).default('best'),
  done: z.string().optional(),
});
export type RankedPeopleQuery = z.infer<typeof RankedPeopleQuerySchema>;

export const BoardQuerySchema = z.object({
  practitioner_id: z
    .string()
    .optional()
    .refine((v) => !v || isRecordId(v), 'Choose a practitioner from the list'),
  q: search,
  done: z.string().optional(),
});
export type BoardQuery = z.infer<typeof BoardQuerySchema>;

/** "Add to their matches". */
export const MatchAddFormSchema = z.object({
  vacancy_id: z.string({ error: 'Choose a vacancy' }).refine(isRecordId, 'Choose a vacancy'),
  return_to: returnTo,
  _csrf: z.string().optional(),
});
export type MatchAddFormInput = z.infer<typeof MatchAddFormSchema>;

/** "Move to": the stage, the version read, and (for "started") the start date once confirmed. */
export const MatchStageFormSchema = z.object({
  stage: z.enum(MATCH_STAGES, { error: 'Choose the stage to move the match to' }),
  version: z.coerce
    .number({ error: 'Send the version you read' })
    .int('Send the version you read')
    .min(1, 'Send the version you read'),
  start_date: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined) return undefined;
      if (v.trim() === '') {
        ctx.addIssue({ code: 'custom', message: 'Enter the date they start' });
        return z.NEVER;
      }
      const day = parseFormDate(v);
      if (day === null) {
        ctx.addIssue({ code: 'custom', message: 'Start date must be a real date, like 01/12/2026' });
        return z.NEVER;
      }
      return day;
    }),
  return_to: returnTo,
  _csrf: z.string().optional(),
});
export type MatchStageFormInput = z.infer<typeof MatchStageFormSchema>;

// ---- API ----------------------------------------------------------------------------------------

export const MatchListQuerySchema = ListQuerySchema.extend({
  ranked: z
    .enum(['true', 'false'], { error: 'ranked must be true or false' })
    .optional()
    .describe('`true`: instead of the saved matches, the open vacancies not yet in their matches, best match first'),
}).strict();
export type MatchListQuery = z.infer<typeof MatchListQuerySchema>;

export const MatchCreateSchema = z.strictObject({
  vacancy_id: z
    .string({ error: 'vacancy_id must be a vacancy id' })
    .refine(isRecordId, 'vacancy_id must be a vacancy id')
    .describe('An open vacancy; the match starts at `suggested`'),
});
export type MatchCreateInput = z.infer<typeof MatchCreateSchema>;

export const MatchUpdateSchema = z.strictObject({
  version: z
    .number({ error: 'Send the version you read' })
    .int('Send the version you read')
    .min(1, 'Send the version you read')
    .describe('The version you read; a stale one is a 409 and nothing changes'),
  stage: z
    .enum(MATCH_STAGES, { error: `stage must be one of: ${MATCH_STAGES.join(', ')}` })
    .describe('The stage to move to; a move the stage rules refuse is a 422 saying why'),
  start_date: z.iso
    .date({ error: 'start_date must be a date, like 2026-12-01' })
    .optional()
    .describe('Only with `started`: the first day of the job (today if left out)'),
});
export type MatchUpdateInput = z.infer<typeof MatchUpdateSchema>;

const ReasonJsonSchema = z.object({
  fits: z.boolean().describe('False when the reason takes points off (or is the minimum-wage check)'),
  text: z.string().describe('In plain words, for the person and their practitioner'),
});

const score = z.number().int().min(0).max(100).describe('0 to 100; 100 only when every stated preference fits');
const talkThrough = z
  .boolean()
  .describe(
    'The role needs a criminal-record check and the person has convictions: talk it through. Always false for a caller who may not see the person’s convictions',
  );
const payCompetitive = z
  .boolean()
  .nullable()
  .describe('Pay at least the legal minimum wage for the person’s age; null when it cannot be told');

export const MatchJsonSchema = z.object({
  id: z.string().describe('Record id (a UUID)'),
  participant_id: z.string(),
  vacancy_id: z.string(),
  vacancy_title: z.string(),
  employer_id: z.string(),
  employer_name: z.string(),
  practitioner_id: z.string().describe('Whose board it is on: the person’s practitioner when the match was made'),
  stage: z.enum(MATCH_STAGES),
  stage_changed_at: z.string().describe('ISO-8601 instant'),
  score: score.describe('Live: worked out now from the current profile and vacancy'),
  talk_through: talkThrough,
  reasons: z.array(ReasonJsonSchema),
  pay_competitive: payCompetitive,
  next_stages: z.array(z.enum(MATCH_STAGES)).describe('Where the match may move next'),
  placement_id: z.string().nullable().describe('The placement made when the match reached `started`'),
  created_at: z.string().describe('ISO-8601 instant'),
  updated_at: z.string().describe('ISO-8601 instant'),
  version: z.number().int().min(1).describe('Send it back in a PATCH'),
});

export const RankedVacancyJsonSchema = z.object({
  vacancy_id: z.string(),
  title: z.string(),
  employer_id: z.string(),
  employer_name: z.string(),
  closing_date: z.string().nullable().describe('YYYY-MM-DD'),
  score,
  talk_through: talkThrough,
  reasons: z.array(ReasonJsonSchema),
  pay_competitive: payCompetitive,
});

export const MatchListJsonSchema = z.object({
  items: z
    .array(z.union([MatchJsonSchema, RankedVacancyJsonSchema]))
    .describe('Saved matches, or with `ranked=true` ranked vacancies'),
  next_cursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last page'),
});
