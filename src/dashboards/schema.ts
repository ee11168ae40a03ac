import { z } from 'zod';
import { daysBetween, isCalendarDate } from '../referrals/rules.ts';
import { CONTACT_KINDS } from './repo.ts';
import { ALERT_KINDS } from './rules.ts';

/** The longest date range the team dashboard answers for. */
export const MAX_RANGE_DAYS = 731;

const practitionerId = z.union([z.uuid({ error: 'Select a practitioner from the list' }), z.literal('')]).optional();

/** A date from a date input (`YYYY-MM-DD`), or blank for the default. */
function dateField(label: string) {
  return z
    .string()
    .trim()
    .refine((v) => v === '' || isCalendarDate(v), `${label} must be a real date, like 2026-11-25`)
    .optional();
}

/** `GET /caseload`: a manager may narrow it to one practitioner; anyone to the people with an alert. */
export const CaseloadQuerySchema = z.strictObject({
  practitioner_id: practitionerId,
  alert: z.union([z.enum([...ALERT_KINDS, 'any'], { error: 'Select an alert from the list' }), z.literal('')]).optional(),
});
export type CaseloadQuery = z.infer<typeof CaseloadQuerySchema>;

const rangeFields = {
  from: dateField('Start date'),
  to: dateField('End date'),
};

/** The start must not be after the end, and the range is bounded. */
function checkRange(q: { from?: string | undefined; to?: string | undefined }, ctx: z.RefinementCtx) {
  if (!q.from || !q.to || !isCalendarDate(q.from) || !isCalendarDate(q.to)) return;
  const days = daysBetween(q.from, q.to);
  if (days < 0) ctx.addIssue({ code: 'custom', path: ['to'], message: 'End date must be the same as or after the start date' });
  else if (days >= MAX_RANGE_DAYS) ctx.addIssue({ code: 'custom', path: ['from'], message: 'Choose a range of 2 years or less' });
}

/** `GET /team-dashboard`: the date range (blank means the last four weeks). */
export const TeamDashboardQuerySchema = z.strictObject(rangeFields).superRefine(checkRange);
export type TeamDashboardQuery = z.infer<typeof TeamDashboardQuerySchema>;

/** `GET /team-dashboard/not-seen`: optionally one practitioner's people. */
export const NotSeenQuerySchema = z.strictObject({ practitioner_id: practitionerId });

/** `GET /team-dashboard/contacts`: the contacts behind a figure. */
export const TeamContactsQuerySchema = z
  .strictObject({
    ...rangeFields,
    practitioner_id: practitionerId,
    kind: z.union([z.enum(CONTACT_KINDS, { error: 'Select a kind of contact from the list' }), z.literal('')]).optional(),
  })
  .superRefine(checkRange);
export type TeamContactsQuery = z.infer<typeof TeamContactsQuerySchema>;
