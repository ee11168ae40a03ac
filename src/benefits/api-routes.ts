import type { FastifyInstance } from 'fastify';
import { parseInput } from '../http/validate.ts';
import { type CalculationResult, calculate } from './calculation.ts';
import { CalculationJsonSchema, CalculationRequestSchema } from './schema.ts';

/** A result as the API gives it: money in whole pence, snake_case. */
export function calculationJson(r: CalculationResult): Record<string, unknown> {
  return {
    tax_year: r.taxYear,
    gross_pay_pence: r.grossPayPence,
    income_tax_pence: r.incomeTaxPence,
    national_insurance_pence: r.nationalInsurancePence,
    pension_pence: r.pensionPence,
    net_pay_pence: r.netPayPence,
    uc_before_pence: r.ucBeforePence,
    uc_after_pence: r.ucAfterPence,
    total_out_of_work_pence: r.totalOutOfWorkPence,
    total_in_work_pence: r.totalInWorkPence,
    difference_pence: r.differencePence,
    steps: r.steps,
    permitted_work: r.permittedWork,
    needs_full_check: r.needsFullCheck,
    needs_full_check_reasons: r.needsFullCheckReasons,
  };
}

/** `POST /api/v1/benefits/calculations`: stateless; nothing is stored or audited (no person is named). */
export async function benefitsApiRoutes(app: FastifyInstance): Promise<void> {
  const doc = {
    summary:
      'A better-off-in-work calculation for one job: monthly pay, tax, National Insurance and Universal Credit before and after, with the working in words. Stateless: nothing is saved. Cases outside the model, or needing a figure not confirmed for the tax year, say so in `needs_full_check_reasons` instead of guessing',
    tag: 'benefits',
    body: CalculationRequestSchema,
    response: CalculationJsonSchema,
  };
  app.post('/api/v1/benefits/calculations', { config: { api: doc } }, async (request) => {
    const input = parseInput(CalculationRequestSchema, request.body);
    return calculationJson(
      calculate({
        date: input.date,
        household: input.household,
        ages: input.ages,
        children: input.children,
        housingCostsPence: input.housing_costs_pence,
        benefit: input.benefit,
        lcwra: input.lcwra,
        savingsPence: input.savings_pence,
        job: {
          hoursPerWeek: input.job.hours_per_week,
          hourlyPayPence: input.job.hourly_pay_pence,
          pensionPercent: input.job.pension_percent,
        },
      }),
    );
  });
}
