import { z } from 'zod';
import { parseFormDate } from '../contacts/schema.ts';
import { MAX_YEARS, MIN_YEARS, RECORD_CLASSES, RECORD_CLASS_INFO, type RecordClass } from './rules.ts';

const REASON_MAX = 2000;

/** A whole number of years typed in a form, 1 to 30, with a message naming the record class. */
function years(label: string) {
  return z
    .string({ error: `Enter the retention period for ${label.toLowerCase()}` })
    .trim()
    .min(1, `Enter the retention period for ${label.toLowerCase()}`)
    .regex(/^\d{1,3}$/, `The period for ${label.toLowerCase()} must be a whole number of years, like 8`)
    .transform(Number)
    .refine(
      (n) => n >= MIN_YEARS && n <= MAX_YEARS,
      `The period for ${label.toLowerCase()} must be between ${MIN_YEARS} and ${MAX_YEARS} years`,
    );
}

/** The administrator's form: one period per record class, in years. */
export const RetentionPeriodsUpdateSchema = z.strictObject({
  ...(Object.fromEntries(RECORD_CLASSES.map((c) => [c, years(RECORD_CLASS_INFO[c].label)])) as Record<
    RecordClass,
    ReturnType<typeof years>
  >),
  _csrf: z.string().optional(),
});
export type RetentionPeriodsUpdateInput = z.infer<typeof RetentionPeriodsUpdateSchema>;

/** A reviewer's "keep for now": why, and when to look at the record again. */
export const RetentionReviewCreateSchema = z.strictObject({
  reason: z
    .string({ error: 'Enter why the record should be kept for now' })
    .trim()
    .min(1, 'Enter why the record should be kept for now')
    .max(REASON_MAX, `The reason must be ${REASON_MAX} characters or fewer`),
  next_review_on: z
    .string({ error: 'Enter the date to review the record again' })
    .trim()
    .min(1, 'Enter the date to review the record again')
    .transform((v, ctx) => {
      const date = parseFormDate(v);
      if (!date) {
        ctx.addIssue({ code: 'custom', message: 'The next review date must be a real date, like 25/11/2027' });
        return z.NEVER;
      }
      return date;
    }),
  _csrf: z.string().optional(),
});
export type RetentionReviewCreateInput = z.infer<typeof RetentionReviewCreateSchema>;
