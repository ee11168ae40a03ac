import { z } from 'zod';
import { isRecordId } from '../db/records.ts';
import { ListQuerySchema } from '../http/api.ts';
import { isCalendarDate } from '../referrals/rules.ts';
import { INTERN_STATUSES, OUTCOMES } from './rules.ts';
import { programmeYear } from './schema.ts';

// The `cohorts` JSON API: dates YYYY-MM-DD, snake_case fields.

const NAME_MAX = 200;
const NOTES_MAX = 5000;

const apiDate = (name: string) =>
  z
    .string({ error: `${name} must be a date as YYYY-MM-DD` })
    .refine(isCalendarDate, `${name} must be a real date as YYYY-MM-DD`)
    .describe('YYYY-MM-DD');
const apiId = (name: string) =>
  z.string({ error: `${name} must be a record id` }).refine(isRecordId, `${name} must be a record id`);

function optionalText(name: string, max: number) {
  return z
    .string({ error: `${name} must be text` })
    .max(max, `${name} must be ${max} characters or fewer`)
    .nullish()
    .transform((v) => (v && v.trim() ? v : null));
}

const cohortFields = {
  name: z
    .string({ error: 'name must be text' })
    .trim()
    .min(1, 'Enter a name for the cohort')
    .max(NAME_MAX, `name must be ${NAME_MAX} characters or fewer`),
  programme_year: programmeYear.describe('The academic year, like `2026/27`'),
  host_employer_id: apiId('host_employer_id').describe('The host organisation (an employer)'),
  team_id: apiId('team_id').describe('The interns’ team; your own team'),
  tutor_user_id: apiId('tutor_user_id').nullable().describe('The tutor: an active practitioner or manager'),
  education_provider: optionalText('education_provider', NAME_MAX),
  start_date: apiDate('start_date'),
  end_date: apiDate('end_date').describe('YYYY-MM-DD, after `start_date`'),
  notes: optionalText('notes', NOTES_MAX),
  coach_user_ids: z
    .array(apiId('coach_user_ids'), { error: 'coach_user_ids must be a list of user ids' })
    .max(50, 'coach_user_ids must list 50 or fewer')
    .describe('The job coaches: active practitioners or managers'),
  site_ids: z
    .array(apiId('site_ids'), { error: 'site_ids must be a list of site ids' })
    .max(100, 'site_ids must list 100 or fewer')
    .describe('Sites of the host organisation where the interns work'),
};

export const CohortCreateSchema = z.strictObject({
  name: cohortFields.name,
  programme_year: cohortFields.programme_year,
  host_employer_id: cohortFields.host_employer_id,
  team_id: cohortFields.team_id.optional().describe('The interns’ team; left out means your own'),
  tutor_user_id: cohortFields.tutor_user_id.optional(),
  education_provider: cohortFields.education_provider.optional(),
  start_date: cohortFields.start_date,
  end_date: cohortFields.end_date,
  notes: cohortFields.notes.optional(),
  coach_user_ids: cohortFields.coach_user_ids.optional(),
  site_ids: cohortFields.site_ids.optional(),
});
export type CohortCreateInput = z.infer<typeof CohortCreateSchema>;

export const CohortUpdateSchema = z.strictObject({
  version: z
    .number({ error: 'Send the version you read' })
    .int('Send the version you read')
    .min(1, 'Send the version you read')
    .describe('The version you read; a stale one is a 409 and nothing changes'),
  name: cohortFields.name.optional(),
  programme_year: cohortFields.programme_year.optional(),
  host_employer_id: cohortFields.host_employer_id.optional(),
  team_id: cohortFields.team_id.optional(),
  tutor_user_id: cohortFields.tutor_user_id.optional(),
  education_provider: cohortFields.education_provider.optional(),
  start_date: cohortFields.start_date.optional(),
  end_date: cohortFields.end_date.optional(),
  notes: cohortFields.notes.optional(),
  coach_user_ids: cohortFields.coach_user_ids.optional(),
  site_ids: cohortFields.site_ids.optional(),
});
export type CohortUpdateInput = z.infer<typeof CohortUpdateSchema>;

export const CohortListQuerySchema = ListQuerySchema.strict();

export const CohortJsonSchema = z.object({
  id: z.string().describe('Record id (a UUID)'),
  name: z.string(),
  programme_year: z.string().describe('Like `2026/27`'),
  host_employer_id: z.string(),
  host_name: z.string(),
  team_id: z.string(),
  tutor_user_id: z.string().nullable(),
  education_provider: z.string().nullable(),
  start_date: z.string().describe('YYYY-MM-DD'),
  end_date: z.string().describe('YYYY-MM-DD'),
  notes: z.string().nullable(),
  created_at: z.string().describe('ISO-8601 instant'),
  updated_at: z.string().describe('ISO-8601 instant'),
  version: z.number().int().min(1).describe('Send it back in a PATCH'),
});

export const CohortListJsonSchema = z.object({
  items: z.array(CohortJsonSchema).describe('Cohorts you can see, latest start first'),
  next_cursor: z.string().nullable(),
});

const OutcomeRateJsonSchema = z.object({
  graduates: z.number().int().describe('Interns who graduated'),
  employed: z.number().int().describe('Graduates in any paid job'),
  programme_outcomes: z.number().int().describe('Graduates whose job meets the programme outcome definition'),
  rate_percent: z.number().int().nullable().describe('programme_outcomes ÷ graduates, whole percent; null with no graduates'),
});

const ClashJsonSchema = z.object({
  kind: z.enum(['over_capacity', 'same_department_twice', 'no_placement']),
  text: z.string().describe('The clash in plain words'),
  rotation_ids: z.array(z.string()),
  intern_id: z.string().nullable(),
  employer_department_id: z.string().nullable(),
});

export const CohortDetailJsonSchema = CohortJsonSchema.extend({
  coach_user_ids: z.array(z.string()),
  site_ids: z.array(z.string()),
  rotations: z
    .array(
      z.object({
        id: z.string(),
        number: z.number().int().min(1),
        start_date: z.string().describe('YYYY-MM-DD'),
        end_date: z.string().describe('YYYY-MM-DD'),
        placements: z.array(
          z.object({
            intern_id: z.string(),
            participant_id: z.string(),
            employer_department_id: z.string(),
          }),
        ),
      }),
    )
    .describe('In order; each with the department of each intern placed in it'),
  interns: z.array(
    z.object({
      id: z.string().describe('The intern record (one person in this cohort)'),
      participant_id: z.string(),
      ehc_plan: z.boolean().describe('Whether they hold an education, health and care plan'),
      status: z.enum(INTERN_STATUSES),
      outcome: z.enum(OUTCOMES).nullable(),
      meets_programme_outcome: z
        .boolean()
        .describe('Derived: a job of 16 hours a week or more, not seasonal, integrated, at or above the minimum wage'),
    }),
  ),
  outcome_rate: OutcomeRateJsonSchema,
  clashes: z.array(ClashJsonSchema).describe('What the rotation grid still needs sorting out'),
});
