import { z } from 'zod';
import { parseFormDate } from '../contacts/schema.ts';
import { formatDay } from '../pay/minimum-wage.ts';
import { type Period, type Quarter, lastCompleteQuarter, quarterOf } from './outcomes.ts';
import { SPLITS, type Split } from './service.ts';

/** An optional date typed in a filter (`YYYY-MM-DD` or `DD/MM/YYYY`); '' means not given. */
function filterDate(label: string) {
  return z
    .string({ error: `${label} must be a date` })
    .trim()
    .optional()
    .refine((v) => !v || parseFormDate(v) !== null, `${label} must be a real date, like 1/7/2026`)
    .transform((v) => (v ? (parseFormDate(v) ?? v) : null));
}

/**
 * The report filters shared by the page, the exports, the charts and the API: a period (a
 * quarter by default) and a split. Query strings only, so a filtered report can be bookmarked.
 */
export const ReportQuerySchema = z
  .object({
    from: filterDate('Start date').describe('First day, YYYY-MM-DD. Default: the first day of the last complete quarter.'),
    to: filterDate('End date').describe('Last day, YYYY-MM-DD. Default: the last day of the last complete quarter.'),
    split: z
      .enum(SPLITS, { error: 'Choose how to split the figures' })
      .optional()
      .transform((v): Split => v ?? 'none')
      .describe('Split the figures by team, site, programme, practitioner or employer type.'),
  })
  .superRefine((v, ctx) => {
    if ((v.from === null) !== (v.to === null)) {
      ctx.addIssue({
        code: 'custom',
        path: [v.from === null ? 'from' : 'to'],
        message: 'Enter both dates, or neither for the last complete quarter',
      });
    } else if (v.from !== null && v.to !== null && v.from > v.to) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'End date must be on or after the start date' });
    }
  });

export type ReportQuery = z.output<typeof ReportQuerySchema>;

/** The period a query asks for; the last complete quarter when it names none. */
export function periodOf(query: ReportQuery, today: string): Period & { label: string } {
  if (query.from !== null && query.to !== null) {
    const q: Quarter = quarterOf(query.from);
    const whole = q.from === query.from && q.to === query.to;
    return {
      from: query.from,
      to: query.to,
      label: whole ? `${q.label} (${q.months})` : `${formatDay(query.from)} to ${formatDay(query.to)}`,
    };
  }
  const q = lastCompleteQuarter(today);
  return { from: q.from, to: q.to, label: `${q.label} (${q.months})` };
}
