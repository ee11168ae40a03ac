import { z } from 'zod';
import { isRecordId } from '../db/records.ts';
import { ListQuerySchema } from '../http/api.ts';
import { isCalendarDate } from '../referrals/rules.ts';
import { APPLICATION_STATUSES, APPLIED_BY, CLAIM_STATUSES, SUPPORT_KINDS } from './rules.ts';

// The `access-to-work` JSON API: money in whole pence, hours as decimal numbers, dates YYYY-MM-DD.

const NOTES_MAX = 5000;
const REFERENCE_MAX = 100;
/** £1,000,000: far beyond any award, low enough to catch a pounds-for-pence slip. */
const PENCE_MAX = 100_000_000;

const apiDate = (name: string) =>
  z
    .string({ error: `${name} must be a date as YYYY-MM-DD` })
    .refine(isCalendarDate, `${name} must be a real date as YYYY-MM-DD`)
    .describe('YYYY-MM-DD');
const apiId = (name: string) =>
  z.string({ error: `${name} must be a record id` }).refine(isRecordId, `${name} must be a record id`);
const apiEnum = <T extends readonly [string, ...string[]]>(name: string, values: T) =>
  z.enum(values, { error: `${name} must be one of: ${values.join(', ')}` });

/** Optional free text: '' and whitespace become null. */
function optionalText(name: string, max: number) {
  return z
    .string({ error: `${name} must be text` })
    .max(max, `${name} must be ${max} characters or fewer`)
    .nullish()
    .transform((v) => (v && v.trim() ? v : null));
}

const pence = (name: string) =>
  z
    .number({ error: `${name} must be a whole number of pence` })
    .int(`${name} must be a whole number of pence`)
    .max(PENCE_MAX, `${name} must be ${PENCE_MAX} or less`);
const hours = (name: string) => z.number({ error: `${name} must be a number of hours` }).max(100_000, `${name} is too large`);

const apiVersion = z
  .number({ error: 'Send the version you read' })
  .int('Send the version you read')
  .min(1, 'Send the version you read')
  .describe('The version you read; a stale one is a 409 and nothing changes');

// ---- Awards --------------------------------------------------------------------------------------

const awardFields = {
  application_id: apiId('application_id').nullable().describe('The application this award answers'),
  placement_id: apiId('placement_id').nullable().describe('The job it is for (one of the person’s placements)'),
  coach_user_id: apiId('coach_user_id')
    .nullable()
    .describe('The coach who delivers it; null or left out means the person’s practitioner'),
  reference: optionalText('reference', REFERENCE_MAX).describe('The Access to Work reference on the award letter'),
  support_kind: apiEnum('support_kind', SUPPORT_KINDS).describe(
    '`job_coach` and `support_worker` are hourly: they need hours and `hourly_rate_pence`, and contacts are charged to them',
  ),
  start_date: apiDate('start_date'),
  end_date: apiDate('end_date').describe('YYYY-MM-DD, after `start_date` and less than 3 years after it'),
  hours_per_week: hours('hours_per_week').nullable().describe('Hours a week awarded (or give `hours_total`)'),
  hours_total: hours('hours_total').nullable().describe('Hours awarded over the whole award (or give `hours_per_week`)'),
  hourly_rate_pence: pence('hourly_rate_pence').nullable(),
  total_amount_pence: pence('total_amount_pence').nullable().describe('Needed for support that is not hourly'),
  employer_contribution_pence: pence('employer_contribution_pence').nullable(),
  notes: optionalText('notes', NOTES_MAX),
  renews_award_id: apiId('renews_award_id').nullable().describe('The earlier award of the person’s that this one renews'),
};

export const AwardCreateSchema = z.strictObject({
  participant_id: apiId('participant_id'),
  application_id: awardFields.application_id.optional(),
  placement_id: awardFields.placement_id.optional(),
  coach_user_id: awardFields.coach_user_id.optional(),
  reference: awardFields.reference.optional(),
  support_kind: awardFields.support_kind,
  start_date: awardFields.start_date,
  end_date: awardFields.end_date,
  hours_per_week: awardFields.hours_per_week.optional(),
  hours_total: awardFields.hours_total.optional(),
  hourly_rate_pence: awardFields.hourly_rate_pence.optional(),
  total_amount_pence: awardFields.total_amount_pence.optional(),
  employer_contribution_pence: awardFields.employer_contribution_pence.optional(),
  notes: awardFields.notes.optional(),
  renews_award_id: awardFields.renews_award_id.optional(),
});
export type AwardCreateInput = z.infer<typeof AwardCreateSchema>;

export const AwardUpdateSchema = z.strictObject({
  version: apiVersion,
  application_id: awardFields.application_id.optional(),
  placement_id: awardFields.placement_id.optional(),
  coach_user_id: awardFields.coach_user_id.optional(),
  reference: awardFields.reference.optional(),
  support_kind: awardFields.support_kind.optional(),
  start_date: awardFields.start_date.optional(),
  end_date: awardFields.end_date.optional(),
  hours_per_week: awardFields.hours_per_week.optional(),
  hours_total: awardFields.hours_total.optional(),
  hourly_rate_pence: awardFields.hourly_rate_pence.optional(),
  total_amount_pence: awardFields.total_amount_pence.optional(),
  employer_contribution_pence: awardFields.employer_contribution_pence.optional(),
  notes: awardFields.notes.optional(),
  renews_award_id: awardFields.renews_award_id.optional(),
  not_renewing_reason: optionalText('not_renewing_reason', 1000)
    .optional()
    .describe('Why the award will not be renewed (stops the renewal alert); null when a renewal is expected again'),
});
export type AwardUpdateInput = z.infer<typeof AwardUpdateSchema>;

export const AwardListQuerySchema = ListQuerySchema.extend({
  participant_id: apiId('participant_id').optional().describe('Only this person’s awards'),
}).strict();

export const AwardJsonSchema = z.object({
  id: z.string().describe('Record id (a UUID)'),
  participant_id: z.string(),
  application_id: z.string().nullable(),
  placement_id: z.string().nullable(),
  coach_user_id: z.string().nullable(),
  coach_name: z.string().nullable(),
  reference: z.string().nullable(),
  support_kind: z.enum(SUPPORT_KINDS),
  start_date: z.string(),
  end_date: z.string(),
  hours_per_week: z.number().nullable(),
  hours_total: z.number().nullable(),
  hourly_rate_pence: z.number().int().nullable(),
  total_amount_pence: z.number().int().nullable(),
  employer_contribution_pence: z.number().int().nullable(),
  notes: z.string().nullable(),
  not_renewing_reason: z.string().nullable(),
  renews_award_id: z.string().nullable().describe('The earlier award this one renews'),
  renewed_by_award_id: z.string().nullable().describe('The later award that renews this one, once there is one'),
  active: z.boolean().describe('True when the award covers today'),
  awarded_hours: z.number().describe('Hours awarded from the start up to today (or the end)'),
  delivered_hours: z.number().describe('Hours of support charged to the award'),
  claimed_hours: z.number().describe('Hours in submitted or paid claims'),
  claimed_pence: z.number().int().describe('Amount of submitted or paid claims'),
  left_hours: z.number().describe('Hours awarded not yet delivered (negative when over-delivered)'),
  renewal_due: z
    .boolean()
    .describe('The renewal alert is showing: from `renewal_alert_from`, until renewed or marked not renewing'),
  renewal_alert_from: z.string().describe('YYYY-MM-DD: the day the renewal alert starts'),
  created_at: z.string().describe('ISO-8601 instant'),
  updated_at: z.string().describe('ISO-8601 instant'),
  version: z.number().int().min(1).describe('Send it back in a PATCH'),
});

export const AwardListJsonSchema = z.object({
  items: z.array(AwardJsonSchema),
  next_cursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last page'),
});

// ---- Applications --------------------------------------------------------------------------------

const applicationFields = {
  applied_by: apiEnum('applied_by', APPLIED_BY).describe('Who applied'),
  applicant_name: optionalText('applicant_name', 200).describe('Who applied on the person’s behalf, when someone did'),
  sent_date: apiDate('sent_date').nullable().describe('Needed once the application is no longer `preparing`'),
  reference: optionalText('reference', REFERENCE_MAX),
  status: apiEnum('status', APPLICATION_STATUSES),
  decision_date: apiDate('decision_date').nullable().describe('Needed for `awarded` and `refused`'),
  support_kind: apiEnum('support_kind', SUPPORT_KINDS),
  hours_per_week: hours('hours_per_week').nullable().describe('Hours a week asked for'),
  expected_start_date: apiDate('expected_start_date')
    .nullable()
    .describe('When support should start; counted in the coach-capacity forecast while the application is pending'),
  renews_award_id: apiId('renews_award_id').nullable().describe('The award this application is to renew'),
  notes: optionalText('notes', NOTES_MAX),
};

export const ApplicationCreateSchema = z.strictObject({
  participant_id: apiId('participant_id'),
  applied_by: applicationFields.applied_by,
  applicant_name: applicationFields.applicant_name.optional(),
  sent_date: applicationFields.sent_date.optional(),
  reference: applicationFields.reference.optional(),
  status: applicationFields.status,
  decision_date: applicationFields.decision_date.optional(),
  support_kind: applicationFields.support_kind.default('job_coach'),
  hours_per_week: applicationFields.hours_per_week.optional(),
  expected_start_date: applicationFields.expected_start_date.optional(),
  renews_award_id: applicationFields.renews_award_id.optional(),
  notes: applicationFields.notes.optional(),
});
export type ApplicationCreateInput = z.infer<typeof ApplicationCreateSchema>;

export const ApplicationUpdateSchema = z.strictObject({
  version: apiVersion,
  applied_by: applicationFields.applied_by.optional(),
  applicant_name: applicationFields.applicant_name.optional(),
  sent_date: applicationFields.sent_date.optional(),
  reference: applicationFields.reference.optional(),
  status: applicationFields.status.optional(),
  decision_date: applicationFields.decision_date.optional(),
  support_kind: applicationFields.support_kind.optional(),
  hours_per_week: applicationFields.hours_per_week.optional(),
  expected_start_date: applicationFields.expected_start_date.optional(),
  renews_award_id: applicationFields.renews_award_id.optional(),
  notes: applicationFields.notes.optional(),
});
export type ApplicationUpdateInput = z.infer<typeof ApplicationUpdateSchema>;

export const ApplicationListQuerySchema = ListQuerySchema.extend({
  participant_id: apiId('participant_id').describe('Whose applications'),
}).strict();

export const ApplicationJsonSchema = z.object({
  id: z.string().describe('Record id (a UUID)'),
  participant_id: z.string(),
  applied_by: z.enum(APPLIED_BY),
  applicant_name: z.string().nullable(),
  sent_date: z.string().nullable(),
  reference: z.string().nullable(),
  status: z.enum(APPLICATION_STATUSES),
  decision_date: z.string().nullable(),
  support_kind: z.enum(SUPPORT_KINDS),
  hours_per_week: z.number().nullable(),
  expected_start_date: z.string().nullable(),
  renews_award_id: z.string().nullable(),
  notes: z.string().nullable(),
  created_at: z.string().describe('ISO-8601 instant'),
  updated_at: z.string().describe('ISO-8601 instant'),
  version: z.number().int().min(1).describe('Send it back in a PATCH'),
});

export const ApplicationListJsonSchema = z.object({
  items: z.array(ApplicationJsonSchema),
  next_cursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last page'),
});

// ---- Claims --------------------------------------------------------------------------------------

export const ClaimCreateSchema = z
  .strictObject({
    award_id: apiId('award_id').describe('An hourly award (`job_coach` or `support_worker`)'),
    period_start: apiDate('period_start').optional().describe('Left out with `period_end`: the last whole calendar month'),
    period_end: apiDate('period_end').optional(),
  })
  .superRefine((v, ctx) => {
    if ((v.period_start === undefined) !== (v.period_end === undefined)) {
      const missing = v.period_start === undefined ? 'period_start' : 'period_end';
      ctx.addIssue({ code: 'custom', path: [missing], message: 'Send both period_start and period_end, or neither' });
    }
  });
export type ClaimCreateInput = z.infer<typeof ClaimCreateSchema>;

export const ClaimUpdateSchema = z.discriminatedUnion(
  'status',
  [
    z.strictObject({
      version: apiVersion,
      status: z.literal('submitted').describe('Submit a draft: its totals are fixed and its contacts locked'),
    }),
    z.strictObject({
      version: apiVersion,
      status: z.literal('paid').describe('Record that Access to Work paid a submitted claim'),
      paid_date: apiDate('paid_date'),
      paid_pence: pence('paid_pence')
        .min(0, 'paid_pence must be 0 or more')
        .nullable()
        .optional()
        .describe('What was paid; left out, the claim’s total'),
    }),
  ],
  { error: 'status must be submitted or paid' },
);
export type ClaimUpdateInput = z.infer<typeof ClaimUpdateSchema>;

export const ClaimDeleteSchema = z.strictObject({ version: apiVersion });

export const ClaimListQuerySchema = ListQuerySchema.extend({
  award_id: apiId('award_id').optional().describe('Only this award’s claims'),
  participant_id: apiId('participant_id').optional().describe('All of this person’s claims'),
})
  .strict()
  .superRefine((v, ctx) => {
    if (!v.award_id && !v.participant_id)
      ctx.addIssue({ code: 'custom', path: ['award_id'], message: 'Send award_id or participant_id' });
  });

const ClaimLineJsonSchema = z.object({
  date: z.string().describe('YYYY-MM-DD, a day of support (Europe/London)'),
  hours: z.number().describe('Decimal hours, two places'),
  minutes: z.number().int(),
  amount_pence: z.number().int().describe('The day’s minutes at the claim’s rate, to the nearest penny'),
  contacts: z.number().int().describe('How many contacts started on the day (one past midnight counts on its first day)'),
});

export const ClaimJsonSchema = z.object({
  id: z.string().describe('Record id (a UUID)'),
  participant_id: z.string(),
  award_id: z.string(),
  award_reference: z.string().nullable(),
  period_start: z.string(),
  period_end: z.string(),
  status: z.enum(CLAIM_STATUSES).describe('A `draft` follows the contacts until it is submitted; then it never changes'),
  hourly_rate_pence: z.number().int(),
  lines: z.array(ClaimLineJsonSchema),
  total_minutes: z.number().int(),
  total_hours: z.number(),
  total_pence: z.number().int().describe('The sum of the lines’ `amount_pence`'),
  submitted_at: z.string().nullable().describe('ISO-8601 instant'),
  paid_date: z.string().nullable(),
  paid_pence: z.number().int().nullable(),
  created_at: z.string().describe('ISO-8601 instant'),
  updated_at: z.string().describe('ISO-8601 instant'),
  version: z.number().int().min(1).describe('Send it back in a PATCH or DELETE'),
});

export const ClaimListJsonSchema = z.object({
  items: z.array(ClaimJsonSchema),
  next_cursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last page'),
});
