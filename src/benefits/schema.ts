import { z } from 'zod';
import { parsePounds } from '../access-to-work/schema.ts';
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

// ---- The page's form -----------------------------------------------------------------------------
// Everything is typed as text; money in pounds, turned into whole pence from the digits.

const formAge = (label: string) =>
  z
    .string()
    .trim()
    .refine((v) => /^\d{1,3}$/.test(v) && Number(v) >= 16 && Number(v) <= 120, `${label} must be a whole number from 16 to 120`)
    .transform(Number);

/** Optional pounds: empty is £0. */
const formPoundsOrZero = (label: string) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (!v || !v.trim()) return 0;
      const pence = parsePounds(v);
      if (pence === null || pence < 0) {
        ctx.addIssue({ code: 'custom', message: `${label} must be an amount in pounds, like 450 or 450.00` });
        return z.NEVER;
      }
      return pence;
    });

const SCENARIO_NUMBERS = [1, 2, 3] as const;
const scenarioFields = Object.fromEntries(
  SCENARIO_NUMBERS.flatMap((n) => [
    [`hours_${n}`, z.string().optional()],
    [`pay_${n}`, z.string().optional()],
    [`pension_${n}`, z.string().optional()],
  ]),
) as Record<`${'hours' | 'pay' | 'pension'}_${1 | 2 | 3}`, z.ZodOptional<z.ZodString>>;

/** "Work it out" / "Save to the record": the household once, then up to three jobs. */
export const CalculationFormSchema = z
  .strictObject({
    date: z
      .string({ error: 'Enter the date of the calculation' })
      .trim()
      .min(1, 'Enter the date of the calculation')
      .refine((v) => parseFormDate(v) !== null, 'Date must be a real date, like 1/10/2025')
      .transform((v) => parseFormDate(v) ?? v),
    household: z.enum(['single', 'couple'], { error: 'Select single or couple' }),
    age: formAge('Age'),
    partner_age: z.string().trim().optional(),
    children: z.enum(['yes', 'no'], { error: 'Select whether they have children' }),
    housing_costs: formPoundsOrZero('Housing costs'),
    benefit: z.enum(['uc', 'esa', 'none'], { error: 'Select the benefit they get now' }),
    lcwra: z.enum(['yes', 'no']).optional(),
    savings: formPoundsOrZero('Savings'),
    ...scenarioFields,
    notes: z
      .string()
      .max(5000, 'Notes must be 5000 characters or fewer')
      .optional()
      .transform((v) => (v && v.trim() ? v.trim() : null)),
    action: z.enum(['calculate', 'save']).optional(),
    _csrf: z.string().optional(),
    _idempotency_key: z.string().optional(),
  })
  .transform((f, ctx) => {
    let partnerAge: number | null = null;
    if (f.household === 'couple') {
      const p = f.partner_age ?? '';
      if (!/^\d{1,3}$/.test(p) || Number(p) < 16 || Number(p) > 120)
        ctx.addIssue({ code: 'custom', path: ['partner_age'], message: 'Partner’s age must be a whole number from 16 to 120' });
      else partnerAge = Number(p);
    }
    const jobs: { hoursPerWeek: number; hourlyPayPence: number; pensionPercent: number }[] = [];
    for (const n of SCENARIO_NUMBERS) {
      const hours = (f[`hours_${n}`] ?? '').trim();
      const pay = (f[`pay_${n}`] ?? '').trim();
      const pension = (f[`pension_${n}`] ?? '').trim();
      if (!hours && !pay && n > 1) continue;
      const h = Number(hours);
      if (!/^\d{1,2}(\.\d{1,2})?$/.test(hours) || h <= 0 || h > 80)
        ctx.addIssue({
          code: 'custom',
          path: [`hours_${n}`],
          message: `Job ${n}: hours a week must be a number more than 0 and up to 80, like 16`,
        });
      const p = parsePounds(pay);
      if (p === null || p <= 0 || p > 100_000)
        ctx.addIssue({
          code: 'custom',
          path: [`pay_${n}`],
          message: `Job ${n}: hourly pay must be an amount in pounds, like 12.21`,
        });
      const pc = pension === '' ? 0 : Number(pension);
      if (!/^\d{1,3}(\.\d{1,2})?$/.test(pension || '0') || pc > 100)
        ctx.addIssue({
          code: 'custom',
          path: [`pension_${n}`],
          message: `Job ${n}: pension must be a percentage from 0 to 100, like 5`,
        });
      jobs.push({ hoursPerWeek: h, hourlyPayPence: p ?? 0, pensionPercent: pc });
    }
    return {
      date: f.date,
      household: {
        household: f.household,
        ages: partnerAge === null ? [f.age] : [f.age, partnerAge],
        children: f.children === 'yes',
        housingCostsPence: f.housing_costs,
        benefit: f.benefit,
        lcwra: f.benefit === 'uc' && f.lcwra === 'yes',
        savingsPence: f.savings,
      },
      jobs,
      notes: f.notes,
      action: f.action ?? 'calculate',
    };
  });
export type CalculationForm = z.output<typeof CalculationFormSchema>;
