import { z } from 'zod';
import { DAY_BUCKETS, HOURS_BUCKETS } from './outcomes.ts';
import { MEASURES, type Measure } from './service.ts';

/** The counts a measure holds, by the name a people list asks for. */
export function partsOf(m: Measure): string[] {
  switch (m.kind) {
    case 'count':
      return ['value'];
    case 'rate':
      return ['numerator', 'denominator'];
    case 'days':
    case 'hours':
      return ['count', 'not_yet', ...(m.kind === 'days' ? DAY_BUCKETS : HOURS_BUCKETS).map((_b, i) => `bucket${i}`)];
    default:
      return [];
  }
}

export function measureOf(key: string): Measure | undefined {
  return MEASURES.find((m) => m.key === key);
}

/**
 * Which people behind a figure to list: a measure, one of its counts, and the group of a split
 * (`all` for the whole report). The period and split come with `ReportQuerySchema`.
 */
export const ReportPeopleQuerySchema = z
  .object({
    measure: z
      .string({ error: 'Choose a figure from the outcome report' })
      .refine((k) => measureOf(k) !== undefined, 'Choose a figure from the outcome report'),
    part: z.string({ error: 'Choose a number from the outcome report' }).trim().default('value'),
    group: z.string().trim().max(100, 'Choose a group from the outcome report').default('all'),
    page: z.coerce
      .number({ error: 'Page must be a number' })
      .int('Page must be a whole number')
      .min(1, 'Page must be 1 or more')
      .max(100_000, 'Page is too large')
      .default(1),
  })
  .superRefine((v, ctx) => {
    const m = measureOf(v.measure);
    if (m && !partsOf(m).includes(v.part)) {
      ctx.addIssue({ code: 'custom', path: ['part'], message: `“${m.label}” has no such number to list people for` });
    }
  });

export type ReportPeopleQuery = z.output<typeof ReportPeopleQuerySchema>;
