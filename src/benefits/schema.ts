import { z } from 'zod';
import { parseFormDate } from '../contacts/schema.ts';

const pence = (label: string, max: number) =>
  z
    .number({ error: `${label} must be a whole number of pence` })
    .int(`${label} must be a whole number of pence`)
    .min(0, `${label} cannot be negative`)
    .max(max, `${label} is too large`);

/** `POST /api/v1/benefits/calculations`: the fields DESIGN.md section 3 fixes. */
export const CalculationRequestSchema = z
  .strictObject({
    date: z
      .string({ error: 'Enter the date of the calculation, as YYYY-MM-DD' })
      .refine((v) => /^\d{4}-\d\d-\d\d$/.test(v) && parseFormDate(v) === v, 'Date must be a real date, as YYYY-MM-DD')
      .describe('The day the calculation is for: it picks the tax year’s rates'),
    household: z.enum(['single', 'couple'], { error: 'Household must be single or couple' }),
    ages: z
      .array(
        z
          .number({ error: 'Each age must be a number' })
          .int('Each age must be a whole number')
          .min(16, 'Each age must be 16 or over')
          .max(120, 'Each age must be 120 or under'),
        {
          error: 'Ages must be a list of numbers',
        },
      )
      .min(1, 'Give the claimant’s age')
      .max(2, 'Give at most two ages: the claimant and a partner'),
    children: z.boolean({ error: 'Children must be true or false' }),
    housing_costs_pence: pence('Housing costs', 1_000_000).describe('Monthly housing costs met by Universal Credit; 0 for none'),
    benefit: z.enum(['uc', 'esa', 'none'], { error: 'Benefit must be uc, esa or none' }),
    lcwra: z.boolean({ error: 'LCWRA must be true or false' }),
    savings_pence: pence('Savings', 10_000_000_000),
    job: z.strictObject({
      hours_per_week: z
        .number({ error: 'Hours a week must be a number' })
        .gt(0, 'Hours a week must be more than 0')
        .max(80, 'Hours a week must be 80 or fewer'),
      hourly_pay_pence: pence('Hourly pay', 100_000),
      pension_percent: z
        .number({ error: 'Pension must be a number' })
        .min(0, 'Pension cannot be negative')
        .max(100, 'Pension must be 100% or less'),
    }),
  })
  .superRefine((v, ctx) => {
    if (v.household === 'single' && v.ages.length !== 1)
      ctx.addIssue({ code: 'custom', path: ['ages'], message: 'Give one age for a single person' });
    if (v.household === 'couple' && v.ages.length !== 2)
      ctx.addIssue({ code: 'custom', path: ['ages'], message: 'Give two ages for a couple' });
  });

const int = z.number().int();

export const CalculationJsonSchema = z.object({
  tax_year: z.string().nullable(),
  gross_pay_pence: int,
  income_tax_pence: int,
  national_insurance_pence: int,
  pension_pence: int,
  net_pay_pence: int,
  uc_before_pence: int,
  uc_after_pence: int,
  total_out_of_work_pence: int,
  total_in_work_pence: int,
  difference_pence: int,
  steps: z.array(z.string()).describe('The working, in words'),
  permitted_work: z.boolean().nullable().describe('ESA only: whether the job fits permitted work'),
  needs_full_check: z.boolean(),
  needs_full_check_reasons: z.array(z.string()),
});
