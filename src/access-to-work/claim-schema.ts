import { z } from 'zod';
import { parseFormDate } from '../contacts/schema.ts';
import { monthOf } from './rules.ts';

// The claim pages' forms. The API's claim schemas live in schema.ts.

const formVersion = z.coerce
  .number({ error: 'Send the version you read' })
  .int('Send the version you read')
  .min(1, 'Send the version you read');

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** "171.59" or "£1,171.59" to whole pence, from the digits (never through a float); null when it is not an amount. */
export function poundsToPence(text: string): number | null {
  const s = text.trim().replace(/^£\s*/, '').replace(/,/g, '');
  if (!/^\d{1,7}(\.\d{1,2})?$/.test(s)) return null;
  const [whole = '0', part = ''] = s.split('.');
  return Number(whole) * 100 + Number(part.padEnd(2, '0'));
}

/**
 * "Start a claim": a calendar month of the award (`YYYY-MM`) or `other` with the first and last
 * day typed. Gives the period as `{ start, end }`.
 */
export const ClaimNewFormSchema = z
  .strictObject({
    period: z
      .string({ error: 'Select the period to claim for' })
      .trim()
      .refine((v) => v === 'other' || MONTH.test(v), 'Select the period to claim for'),
    period_start: z.string().trim().optional(),
    period_end: z.string().trim().optional(),
    _csrf: z.string().optional(),
  })
  .transform((v, ctx) => {
    if (v.period !== 'other') return monthOf(`${v.period}-01`);
    const start = v.period_start ? parseFormDate(v.period_start) : null;
    const end = v.period_end ? parseFormDate(v.period_end) : null;
    if (!v.period_start) ctx.addIssue({ code: 'custom', path: ['period_start'], message: 'Enter the first day of the period' });
    else if (!start)
      ctx.addIssue({ code: 'custom', path: ['period_start'], message: 'First day must be a real date, like 1/10/2026' });
    if (!v.period_end) ctx.addIssue({ code: 'custom', path: ['period_end'], message: 'Enter the last day of the period' });
    else if (!end)
      ctx.addIssue({ code: 'custom', path: ['period_end'], message: 'Last day must be a real date, like 31/10/2026' });
    if (start && end && end < start)
      ctx.addIssue({ code: 'custom', path: ['period_end'], message: 'The last day must be on or after the first day' });
    if (!start || !end || end < start) return z.NEVER;
    return { start, end };
  });
export type ClaimNewFormInput = z.infer<typeof ClaimNewFormSchema>;

/** Submitting or deleting a draft claim: the version it was read at. */
export const ClaimConfirmFormSchema = z.strictObject({
  version: formVersion,
  _csrf: z.string().optional(),
});
export type ClaimConfirmFormInput = z.infer<typeof ClaimConfirmFormSchema>;

/** "Mark as paid": the day the money arrived and how much (the claim's total when left empty). */
export const ClaimPaidFormSchema = z.strictObject({
  paid_date: z
    .string({ error: 'Enter the date Access to Work paid' })
    .trim()
    .min(1, 'Enter the date Access to Work paid')
    .refine((v) => parseFormDate(v) !== null, 'Payment date must be a real date, like 25/11/2026')
    .transform((v) => parseFormDate(v) ?? v),
  paid_amount: z
    .string({ error: 'Amount paid must be an amount in pounds, like 171.59' })
    .optional()
    .transform((v, ctx) => {
      if (!v || v.trim() === '') return null;
      const pence = poundsToPence(v);
      if (pence === null || pence <= 0) {
        ctx.addIssue({ code: 'custom', message: 'Amount paid must be an amount in pounds more than £0, like 171.59' });
        return z.NEVER;
      }
      return pence;
    }),
  version: formVersion,
  _csrf: z.string().optional(),
});
export type ClaimPaidFormInput = z.infer<typeof ClaimPaidFormSchema>;
