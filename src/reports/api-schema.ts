import { z } from 'zod';
import { SPLITS } from './service.ts';
import { MEASURES, type Measure } from './service.ts';

// The `reports/outcomes` answer (DESIGN.md section 3): every count an integer, or the string
// "<5" (the threshold is a setting) where it is suppressed for the caller; money in pence.

const count = z
  .union([z.number().int(), z.string()])
  .describe('A whole number, or "<5" (less than the disclosure threshold) where it is hidden from you');

const rate = z.object({
  numerator: count,
  denominator: count,
  percent: z.number().nullable().describe('One decimal place; null with nobody to count, or when hidden'),
  hidden: z.boolean().describe('True when the rate is hidden because it rests on small numbers'),
});

const distribution = z.object({
  count: count.describe('How many have a figure'),
  median: z.number().nullable().describe('Null with none, or when hidden'),
  hidden: z.boolean(),
  buckets: z.array(z.object({ label: z.string(), count })),
  not_yet: count.describe('Accepted in the period but not yet reached'),
});

function figureSchema(m: Measure): z.ZodType {
  switch (m.kind) {
    case 'count':
      return count;
    case 'rate':
      return rate;
    case 'days':
    case 'hours':
      return distribution;
    default:
      return z.number().int().nullable().describe('Whole pence; null with no jobs, or when hidden');
  }
}

const figures = z
  .object(Object.fromEntries(MEASURES.map((m) => [m.key, figureSchema(m).nullable().describe(`${m.label}. ${m.definition}`)])))
  .describe('Every measure; null for one that is not split this way (people figures under the employer type split)');

const group = z.object({
  group: z.object({ key: z.string(), label: z.string() }),
  figures,
});

export const OutcomeReportJsonSchema = z.object({
  period: z.object({ from: z.string(), to: z.string(), label: z.string() }),
  as_of: z.string().describe('The day the figures were worked out (a job start needs four paid hours done by then)'),
  split: z.enum(SPLITS),
  scope: z.string().describe('"Your team" or "The whole service"'),
  threshold: z.number().int().describe('The disclosure threshold: counts below it are shown as "<threshold"'),
  suppressed: z.boolean().describe('True when small numbers are hidden from you (roles that may not see people)'),
  definitions: z.record(z.string(), z.string()).describe('What each measure counts, by key'),
  total: group,
  groups: z.array(group).describe('One per group of the split, empty without one'),
});
