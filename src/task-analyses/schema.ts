import { z } from 'zod';
import { ListQuerySchema } from '../http/api.ts';
import { isRecordId } from '../db/records.ts';
import { isCalendarDate } from '../referrals/rules.ts';
import { parseFormDate } from '../contacts/schema.ts';
import { PROMPT_LEVELS, stepsFromLines } from './rules.ts';

const TITLE_MAX = 200;
const TEXT_MAX = 5000;
const STEP_MAX = 500;
const STEPS_MAX = 100;

function optionalText(label: string, max: number) {
  return z
    .string({ error: `${label} must be text` })
    .max(max, `${label} must be ${max} characters or fewer`)
    .nullish()
    .transform((v) => (v && v.trim() ? v.trim() : null));
}

const title = (label: string) =>
  z
    .string({ error: `Enter the ${label}` })
    .trim()
    .min(1, `Enter the ${label}`)
    .max(TITLE_MAX, `The ${label} must be ${TITLE_MAX} characters or fewer`);

const recordId = (label: string) =>
  z.string({ error: `${label} must be a record id` }).refine(isRecordId, `${label} must be a record id`);

/**
 * Where a task is done, as one select: '' (anywhere), an employer id, or `employerId/departmentId`.
 * One select keeps the form usable without JavaScript.
 */
const place = z
  .string()
  .optional()
  .transform((v, ctx) => {
    const value = v?.trim() ?? '';
    if (!value) return { employerId: null, departmentId: null };
    const [employerId, departmentId] = value.split('/');
    if (!isRecordId(employerId) || (departmentId !== undefined && !isRecordId(departmentId))) {
      ctx.addIssue({ code: 'custom', message: 'Select where the task is done from the list' });
      return z.NEVER;
    }
    return { employerId, departmentId: departmentId ?? null };
  });

/** The value of the place select for an employer and department. */
export const placeValue = (employerId: string | null, departmentId: string | null): string =>
  employerId ? (departmentId ? `${employerId}/${departmentId}` : employerId) : '';

const formVersion = z.coerce.number({ error: 'Send the version you read' }).int().min(1, 'Send the version you read');

// ---- Forms -------------------------------------------------------------------------------------

/** A new task analysis: its steps typed one a line. */
export const TaskAnalysisFormSchema = z.strictObject({
  title: title('name of the task'),
  place,
  description: optionalText('Description', TEXT_MAX),
  steps: z
    .string({ error: 'Enter the steps of the task, one on each line' })
    .transform((v) => stepsFromLines(v))
    .refine((steps) => steps.length > 0, 'Enter the steps of the task, one on each line')
    .refine((steps) => steps.length <= STEPS_MAX, `A task can have at most ${STEPS_MAX} steps`)
    .refine((steps) => steps.every((s) => s.length <= STEP_MAX), `Each step must be ${STEP_MAX} characters or fewer`),
  _csrf: z.string().optional(),
});
export type TaskAnalysisFormInput = z.infer<typeof TaskAnalysisFormSchema>;

/**
 * The edit form's fixed fields. Step texts come as `step_<id>` fields and are read beside this;
 * `action` names the button pressed: `save`, `add`, or `up|down|retire|restore:<step id>`.
 */
export const TaskAnalysisEditFormSchema = z.looseObject({
  title: title('name of the task'),
  place,
  description: optionalText('Description', TEXT_MAX),
  new_step: optionalText('New step', STEP_MAX),
  version: formVersion,
  action: z
    .string()
    .regex(/^(save|add|(up|down|retire|restore):[0-9a-f-]{36})$/i, 'Choose an action')
    .default('save'),
});
export type TaskAnalysisEditFormInput = z.infer<typeof TaskAnalysisEditFormSchema>;

/** Copying a task analysis for a new department or manager. */
export const TaskAnalysisCopyFormSchema = z.strictObject({
  title: title('name of the copy'),
  place,
  _csrf: z.string().optional(),
});

/** The list page's search. */
export const TaskAnalysisSearchSchema = z.object({
  q: z.string().trim().max(200).optional().catch(undefined),
  place: place.catch({ employerId: null, departmentId: null }),
  sort: z.enum(['title', 'updated']).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).optional().catch(undefined),
});

const sessionDateForm = z
  .string({ error: 'Enter the date of the session' })
  .trim()
  .min(1, 'Enter the date of the session')
  .transform((v, ctx) => {
    const date = parseFormDate(v);
    if (!date) {
      ctx.addIssue({ code: 'custom', message: 'Session date must be a real date, like 25/11/2026' });
      return z.NEVER;
    }
    return date;
  });

/** A session recorded on the grid: the date and notes; each step's level comes as `step_<id>`. */
export const SessionFormSchema = z.looseObject({
  session_date: sessionDateForm,
  notes: optionalText('Notes', TEXT_MAX),
});

// ---- API ---------------------------------------------------------------------------------------

const apiVersion = z
  .number({ error: 'Send the version you read' })
  .int('Send the version you read')
  .min(1, 'Send the version you read')
  .describe('The version you read; a stale one is a 409 and nothing changes');
const stepText = z
  .string({ error: 'Each step must be text' })
  .trim()
  .min(1, 'Each step needs its text')
  .max(STEP_MAX, `Each step must be ${STEP_MAX} characters or fewer`);

export const TaskAnalysisCreateSchema = z.strictObject({
  title: title('title'),
  employer_id: recordId('employer_id').nullish().describe('The employer where the task is done'),
  department_id: recordId('department_id').nullish().describe('The department where the task is done; it sets the employer too'),
  description: optionalText('description', TEXT_MAX),
  steps: z
    .array(stepText, { error: 'steps must be a list of texts' })
    .min(1, 'Give at least one step')
    .max(STEPS_MAX, `A task can have at most ${STEPS_MAX} steps`)
    .describe('The steps in order'),
});
export type TaskAnalysisCreateInput = z.infer<typeof TaskAnalysisCreateSchema>;

export const TaskAnalysisUpdateSchema = z.strictObject({
  version: apiVersion,
  title: title('title').optional(),
  employer_id: recordId('employer_id').nullish(),
  department_id: recordId('department_id').nullish(),
  description: optionalText('description', TEXT_MAX).optional(),
  steps: z
    .array(
      z.strictObject({
        id: recordId('id').optional().describe('An existing step; leave out for a new one'),
        text: stepText,
        retired: z.boolean({ error: 'retired must be true or false' }).default(false),
      }),
    )
    .min(1, 'Give at least one step')
    .max(STEPS_MAX, `A task can have at most ${STEPS_MAX} steps`)
    .optional()
    .describe('Every step in its new order. A step left out is retired when sessions used it and removed when none did'),
});
export type TaskAnalysisUpdateInput = z.infer<typeof TaskAnalysisUpdateSchema>;

export const TaskAnalysisListQuerySchema = ListQuerySchema.extend({
  q: z.string().trim().max(200, 'q must be 200 characters or fewer').optional().describe('Words in the title'),
  employer_id: recordId('employer_id').optional(),
  department_id: recordId('department_id').optional(),
}).strict();

export const SessionCreateSchema = z.strictObject({
  participant_id: recordId('participant_id'),
  placement_id: recordId('placement_id').nullish().describe('The job the instruction is for'),
  session_date: z
    .string({ error: 'session_date must be a date like 2026-11-25' })
    .refine(isCalendarDate, 'session_date must be a date like 2026-11-25'),
  notes: optionalText('notes', TEXT_MAX),
  results: z
    .array(
      z.strictObject({
        step_id: recordId('step_id'),
        prompt_level: z.enum(PROMPT_LEVELS, { error: `prompt_level must be one of: ${PROMPT_LEVELS.join(', ')}` }),
      }),
      { error: 'results must be a list' },
    )
    .describe('The prompt level at every current (not retired) step'),
});
export type SessionCreateInput = z.infer<typeof SessionCreateSchema>;

export const SessionListQuerySchema = ListQuerySchema.extend({
  participant_id: recordId('participant_id'),
}).strict();

// ---- API responses -----------------------------------------------------------------------------

const StepJsonSchema = z.object({
  id: z.string(),
  position: z.number().int().describe('1 is the first step'),
  text: z.string(),
  retired: z.boolean().describe('Retired steps are kept for past sessions and left out of new ones'),
});

const analysisFields = {
  id: z.string().describe('Record id (a UUID)'),
  title: z.string(),
  employer_id: z.string().nullable(),
  department_id: z.string().nullable(),
  description: z.string().nullable(),
  copied_from_id: z.string().nullable().describe('The task analysis this one was copied from'),
  created_at: z.string(),
  updated_at: z.string(),
  version: z.number().int().min(1).describe('Send it back in a PATCH'),
};

export const TaskAnalysisJsonSchema = z.object({ ...analysisFields, steps: z.array(StepJsonSchema) });

export const TaskAnalysisListJsonSchema = z.object({
  items: z.array(z.object({ ...analysisFields, step_count: z.number().int().describe('Current (not retired) steps') })),
  next_cursor: z.string().nullable(),
});

export const SessionJsonSchema = z.object({
  id: z.string(),
  task_analysis_id: z.string(),
  participant_id: z.string(),
  placement_id: z.string().nullable(),
  practitioner_id: z.string(),
  session_date: z.string().describe('YYYY-MM-DD'),
  notes: z.string().nullable(),
  results: z.array(z.object({ step_id: z.string(), prompt_level: z.enum(PROMPT_LEVELS) })),
  summary: z.object({
    counts: z.object(Object.fromEntries(PROMPT_LEVELS.map((l) => [l, z.number().int()]))),
    steps_recorded: z.number().int(),
    percent_independent: z.number().int().describe('Whole-number percent of steps done independently'),
  }),
  created_at: z.string(),
  updated_at: z.string(),
  version: z.number().int(),
});

export const SessionListJsonSchema = z.object({
  items: z.array(SessionJsonSchema),
  next_cursor: z.string().nullable(),
});
