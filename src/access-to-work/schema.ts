import { z } from 'zod';
import { parseFormDate } from '../contacts/schema.ts';
import { APPLICATION_STATUSES, APPLIED_BY, SUPPORT_KINDS } from './rules.ts';

// The person's Access to Work forms: applications, awards and "not renewing". Money is typed in
// pounds and turned into whole pence from the digits, never through a floating-point number.

const TEXT_MAX = 5000;

/** Optional free text: '' and whitespace become null. */
function optionalText(label: string, max = TEXT_MAX) {
  return z
    .string({ error: `${label} must be text` })
    .max(max, `${label} must be ${max} characters or fewer`)
    .nullish()
    .transform((v) => (v && v.trim() ? v.trim() : null));
}

/** A typed date (`YYYY-MM-DD` or `DD/MM/YYYY`) as `YYYY-MM-DD`, or null when left empty. */
function optionalFormDate(label: string) {
  return z
    .string({ error: `${label} must be a date` })
    .trim()
    .optional()
    .refine((v) => !v || parseFormDate(v) !== null, `${label} must be a real date, like 25/11/2026`)
    .transform((v) => (v ? parseFormDate(v) : null));
}

/** A typed date that must be given, as `YYYY-MM-DD`. */
function requiredFormDate(label: string) {
  return z
    .string({ error: `Enter the ${label.toLowerCase()}` })
    .trim()
    .min(1, `Enter the ${label.toLowerCase()}`)
    .refine((v) => parseFormDate(v) !== null, `${label} must be a real date, like 25/11/2026`)
    .transform((v) => parseFormDate(v) ?? v);
}

/**
 * "£1,234.50", "12.5" or "-3" as whole pence, from the digits; null when it is not an amount.
 * A minus sign is read, so the award rules can say plainly that an amount must be more than £0.
 */
export function parsePounds(text: string): number | null {
  const s = text
    .trim()
    .replace(/^(-?)\s*£\s*/, '$1')
    .replace(/,/g, '');
  const m = /^(-?)(\d{1,7})(?:\.(\d{1,2}))?$/.exec(s);
  if (!m) return null;
  const pence = Number(m[2]) * 100 + Number((m[3] ?? '').padEnd(2, '0'));
  return m[1] === '-' ? -pence : pence;
}

/** An optional amount in pounds as pence, or null when left empty. */
function formPounds(label: string) {
  return z
    .string({ error: `${label} must be an amount in pounds` })
    .optional()
    .transform((v, ctx) => {
      if (!v || !v.trim()) return null;
      const pence = parsePounds(v);
      if (pence === null) {
        ctx.addIssue({ code: 'custom', message: `${label} must be an amount in pounds, like 12.71` });
        return z.NEVER;
      }
      return pence;
    });
}

/** An optional number of hours (decimals allowed), or null when left empty. The award rules check the range. */
function formHours(label: string) {
  return z
    .string({ error: `${label} must be a number` })
    .optional()
    .transform((v, ctx) => {
      if (!v || !v.trim()) return null;
      const s = v.trim();
      if (!/^-?\d{1,5}(\.\d{1,2})?$/.test(s)) {
        ctx.addIssue({ code: 'custom', message: `${label} must be a number of hours, like 7.5` });
        return z.NEVER;
      }
      return Number(s);
    });
}

/** A select of records with a "none" choice: '' or `none` is null. */
function formChoice(message: string) {
  return z
    .union([z.literal(''), z.literal('none'), z.uuid()], { error: message })
    .optional()
    .transform((v) => (v && v !== 'none' ? v : null));
}

const formVersion = z.coerce
  .number({ error: 'Send the version you read' })
  .int('Send the version you read')
  .min(1, 'Send the version you read');

// ---- Forms -------------------------------------------------------------------------------------

/** "Add an application" / "Change the application". */
export const ApplicationFormSchema = z.strictObject({
  applied_by: z.enum(APPLIED_BY, { error: 'Select who applied' }),
  applicant_name: optionalText('Name of the person who applied', 200),
  sent_date: optionalFormDate('Date sent'),
  reference: optionalText('Reference', 100),
  status: z.enum(APPLICATION_STATUSES, { error: 'Select where the application is up to' }),
  decision_date: optionalFormDate('Decision date'),
  support_kind: z.enum(SUPPORT_KINDS, { error: 'Select the kind of support asked for' }),
  hours_per_week: formHours('Hours a week'),
  expected_start_date: optionalFormDate('Expected start date'),
  renews_award_id: formChoice('Select one of this person’s awards, or none'),
  notes: optionalText('Notes'),
  version: formVersion.optional(),
  _csrf: z.string().optional(),
});
export type ApplicationFormInput = z.infer<typeof ApplicationFormSchema>;

/** "Add an award" / "Renew award" / "Change the award": the terms in the award letter. */
export const AwardFormSchema = z.strictObject({
  reference: optionalText('Reference', 100),
  application_id: formChoice('Select one of this person’s applications, or none'),
  placement_id: formChoice('Select one of this person’s jobs, or none'),
  coach_user_id: formChoice('Select a coach from the list'),
  support_kind: z.enum(SUPPORT_KINDS, { error: 'Select the kind of support awarded' }),
  start_date: requiredFormDate('Start date'),
  end_date: requiredFormDate('End date'),
  hours_per_week: formHours('Hours a week'),
  hours_total: formHours('Hours in total'),
  hourly_rate: formPounds('Hourly rate'),
  total_amount: formPounds('Total amount'),
  employer_contribution: formPounds('Employer contribution'),
  renews_award_id: formChoice('Select one of this person’s other awards, or none'),
  notes: optionalText('Notes'),
  version: formVersion.optional(),
  _csrf: z.string().optional(),
});
export type AwardFormInput = z.infer<typeof AwardFormSchema>;

/** "Mark as not renewing" (with the reason), or `undo=yes` to expect a renewal again. */
export const NotRenewingFormSchema = z
  .strictObject({
    reason: optionalText('Reason', 1000),
    undo: z.literal('yes', { error: 'Send undo=yes to undo' }).optional(),
    version: formVersion,
    _csrf: z.string().optional(),
  })
  .superRefine((v, ctx) => {
    if (!v.undo && !v.reason)
      ctx.addIssue({ code: 'custom', path: ['reason'], message: 'Enter why the award will not be renewed' });
  });
export type NotRenewingFormInput = z.infer<typeof NotRenewingFormSchema>;
