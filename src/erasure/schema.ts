import { z } from 'zod';
import { isCalendarDate } from '../referrals/rules.ts';
import { REQUESTED_BY } from './rules.ts';

const csrf = z.string().optional();
const idempotencyKey = z.string().optional();

const PARTS = ['day', 'month', 'year'] as const;

/** "Record an erasure request": the day it arrived (an NHS.UK date input) and who made it. */
export const ErasureRequestFormSchema = z.preprocess(
  (body) => {
    if (!body || typeof body !== 'object') return body;
    const out: Record<string, unknown> = { ...(body as Record<string, unknown>) };
    const parts = PARTS.map((p) => {
      const v = out[`received_on[${p}]`];
      delete out[`received_on[${p}]`];
      return typeof v === 'string' ? v.trim() : '';
    });
    out.received_on = { day: parts[0], month: parts[1], year: parts[2] };
    return out;
  },
  z.strictObject({
    received_on: z.object({ day: z.string(), month: z.string(), year: z.string() }).transform((v, ctx): string => {
      if (!v.day && !v.month && !v.year) {
        ctx.issues.push({ code: 'custom', message: 'Enter the date the request was received', input: v });
        return z.NEVER;
      }
      const iso = `${v.year}-${v.month.padStart(2, '0')}-${v.day.padStart(2, '0')}`;
      if (!/^\d{1,2}$/.test(v.day) || !/^\d{1,2}$/.test(v.month) || !/^\d{4}$/.test(v.year) || !isCalendarDate(iso)) {
        ctx.issues.push({ code: 'custom', message: 'Date received must be a real date, like 27 11 2026', input: v });
        return z.NEVER;
      }
      return iso;
    }),
    requested_by: z.enum(REQUESTED_BY, { error: 'Select who made the request' }),
    _csrf: csrf,
    _idempotency_key: idempotencyKey,
  }),
);
export type ErasureRequestFormInput = z.infer<typeof ErasureRequestFormSchema>;

/** "Refuse the request": the reason is required, as the person must be told it. */
export const ErasureRefuseFormSchema = z.strictObject({
  refusal_reason: z
    .string({ error: 'Enter the reason for refusing the request' })
    .trim()
    .min(1, 'Enter the reason for refusing the request')
    .max(2000, 'Reason must be 2000 characters or fewer'),
  _csrf: csrf,
  _idempotency_key: idempotencyKey,
});
export type ErasureRefuseFormInput = z.infer<typeof ErasureRefuseFormSchema>;

/** "Erase the record": only an explicit tick goes ahead. */
export const ErasureCarryOutFormSchema = z.strictObject({
  confirm: z.literal('yes', { error: 'Confirm that you want to erase this person’s record' }),
  _csrf: csrf,
  _idempotency_key: idempotencyKey,
});
export type ErasureCarryOutFormInput = z.infer<typeof ErasureCarryOutFormSchema>;
