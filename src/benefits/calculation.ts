import { type TaxYearRates, ratesOn } from './rates.ts';

// A better-off-in-work calculation for the common cases (issue 10): what a job of N hours at £X
// an hour does to a person's monthly income. Whole pence throughout; every step is said in words;
// a case outside the model, or a figure not confirmed for the year, says "needs a full benefits
// check" rather than guessing.

export interface CalculationInput {
  /** The day the calculation is for, `YYYY-MM-DD`: it picks the tax year's rates. */
  date: string;
  household: 'single' | 'couple';
  /** Ages of the claimant (and partner). */
  ages: readonly number[];
  children: boolean;
  /** Monthly housing costs met by Universal Credit (the housing element), 0 for none. */
  housingCostsPence: number;
  benefit: 'uc' | 'esa' | 'none';
  /** Universal Credit includes the limited capability for work and work-related activity element. */
  lcwra: boolean;
  savingsPence: number;
  job: { hoursPerWeek: number; hourlyPayPence: number; pensionPercent: number };
}

export interface CalculationResult {
  taxYear: string | null;
  grossPayPence: number;
  incomeTaxPence: number;
  nationalInsurancePence: number;
  pensionPence: number;
  netPayPence: number;
  ucBeforePence: number;
  ucAfterPence: number;
  totalOutOfWorkPence: number;
  totalInWorkPence: number;
  differencePence: number;
  /** The working, in words. */
  steps: string[];
  /** ESA only: whether the job fits permitted work; null otherwise or when the limits are not known. */
  permittedWork: boolean | null;
  needsFullCheck: boolean;
  needsFullCheckReasons: string[];
}

/** "£1,234.56" from pence. */
export function pounds(pence: number): string {
  const sign = pence < 0 ? '−' : '';
  const abs = Math.abs(pence);
  return `${sign}£${Math.floor(abs / 100).toLocaleString('en-GB')}.${String(abs % 100).padStart(2, '0')}`;
}

/** Half a penny or more goes up: the Universal Credit rounding rule for fractions of a penny. */
function roundPence(x: number): number {
  return Math.floor(x + 0.5 + 1e-9);
}

function standardAllowance(
  uc: TaxYearRates['universalCredit'],
  household: CalculationInput['household'],
  ages: readonly number[],
): { pence: number | undefined; label: string; mixedAges: boolean } {
  if (household === 'single') {
    const over25 = (ages[0] ?? 25) >= 25;
    return over25
      ? { pence: uc.standardSingle25Plus, label: 'standard allowance, single, 25 or over', mixedAges: false }
      : { pence: uc.standardSingleUnder25, label: 'standard allowance, single, under 25', mixedAges: false };
  }
  const over = ages.filter((a) => a >= 25).length;
  if (over === 0)
    return { pence: uc.standardCoupleBothUnder25, label: 'standard allowance, couple, both under 25', mixedAges: false };
  return {
    pence: uc.standardCoupleOneOrBoth25Plus,
    label: 'standard allowance, couple, one or both 25 or over',
    mixedAges: over < ages.length,
  };
}

/**
 * Works out monthly income out of work and with the job. Monthly pay is weekly pay × 52 ÷ 12;
 * income tax and National Insurance use a twelfth of the yearly allowance and threshold (the
 * usual monthly PAYE basis); the pension is taken before tax (a net pay arrangement).
 */
export function calculate(input: CalculationInput): CalculationResult {
  const steps: string[] = [];
  const reasons: string[] = [];
  const rates = ratesOn(input.date);
  const need = (reason: string) => {
    if (!reasons.includes(reason)) reasons.push(reason);
  };
  if (rates === null) need(`Stepwise has no benefit rates for ${input.date}`);

  // Pay.
  const weeklyPence = input.job.hoursPerWeek * input.job.hourlyPayPence;
  const gross = roundPence((weeklyPence * 52) / 12);
  steps.push(
    `Pay: ${input.job.hoursPerWeek} hours a week at ${pounds(input.job.hourlyPayPence)} an hour is ${pounds(roundPence(weeklyPence))} a week, ${pounds(gross)} a month (weekly × 52 ÷ 12).`,
  );
  const pension = roundPence((gross * input.job.pensionPercent) / 100);
  if (pension > 0) steps.push(`Pension: ${input.job.pensionPercent}% of pay is ${pounds(pension)} a month, taken before tax.`);
  const taxable = gross - pension;

  let tax = 0;
  if (rates?.personalAllowancePenceAYear !== undefined && rates.basicRatePercent !== undefined) {
    const allowance = rates.personalAllowancePenceAYear / 12;
    tax = Math.floor(Math.max(0, taxable - allowance) * (rates.basicRatePercent / 100));
    steps.push(
      tax === 0
        ? `Income tax: none, as ${pounds(taxable)} is under the monthly personal allowance of ${pounds(roundPence(allowance))}.`
        : `Income tax: ${rates.basicRatePercent}% of the ${pounds(roundPence(taxable - allowance))} above the monthly personal allowance is ${pounds(tax)}.`,
    );
  } else if (rates) need(`Income tax rates for ${rates.taxYear} are not confirmed`);

  let ni = 0;
  if (rates?.nationalInsuranceThresholdPenceAYear !== undefined && rates.nationalInsuranceRatePercent !== undefined) {
    const threshold = rates.nationalInsuranceThresholdPenceAYear / 12;
    ni = Math.floor(Math.max(0, gross - threshold) * (rates.nationalInsuranceRatePercent / 100));
    steps.push(
      ni === 0
        ? `National Insurance: none, as ${pounds(gross)} is under the monthly threshold of ${pounds(roundPence(threshold))}.`
        : `National Insurance: ${rates.nationalInsuranceRatePercent}% of the ${pounds(roundPence(gross - threshold))} above the monthly threshold is ${pounds(ni)}.`,
    );
  } else if (rates) need(`National Insurance rates for ${rates.taxYear} are not confirmed`);

  const net = gross - pension - tax - ni;
  steps.push(`Take-home pay: ${pounds(net)} a month.`);

  // Cases outside the model.
  if (input.household === 'couple' && input.ages.length >= 2) {
    const over = input.ages.filter((a) => a >= 25).length;
    if (over > 0 && over < input.ages.length) need('A couple with one partner under 25 and one 25 or over');
  }
  const uc = rates?.universalCredit;
  if (input.savingsPence > 0) {
    if (uc?.capitalLowerPence === undefined)
      need(`Savings of ${pounds(input.savingsPence)}: the capital limits for this year are not confirmed`);
    else if (uc.capitalUpperPence !== undefined && input.savingsPence > uc.capitalUpperPence)
      need(
        `Savings of ${pounds(input.savingsPence)}, over the ${pounds(uc.capitalUpperPence)} upper capital limit: Universal Credit is not normally paid at all`,
      );
    else if (input.savingsPence > uc.capitalLowerPence)
      need(`Savings of ${pounds(input.savingsPence)}, over the ${pounds(uc.capitalLowerPence)} lower capital limit`);
  }

  let ucBefore = 0;
  let ucAfter = 0;
  let permittedWork: boolean | null = null;
  if (input.benefit === 'uc' && uc) {
    const standard = standardAllowance(uc, input.household, input.ages);
    let max = 0;
    if (standard.pence === undefined) need(`The Universal Credit ${standard.label} for ${rates.taxYear} is not confirmed`);
    else {
      max += standard.pence;
      steps.push(`Universal Credit out of work: ${standard.label}, ${pounds(standard.pence)}.`);
    }
    if (input.lcwra) {
      if (uc.lcwra === undefined) need(`The limited-capability element for ${rates.taxYear} is not confirmed`);
      else {
        max += uc.lcwra;
        steps.push(`Plus the limited capability for work and work-related activity element, ${pounds(uc.lcwra)}.`);
      }
    }
    if (input.housingCostsPence > 0) {
      max += input.housingCostsPence;
      steps.push(`Plus housing costs of ${pounds(input.housingCostsPence)}.`);
    }
    if (input.children) need('Children: the child elements are not in this calculation');
    ucBefore = max;
    steps.push(`Universal Credit before the job: ${pounds(ucBefore)} a month.`);

    // Work allowance: only with children or limited capability for work.
    const allowanceDue = input.children || input.lcwra;
    let allowance = 0;
    if (allowanceDue) {
      const wa = input.housingCostsPence > 0 ? uc.workAllowanceWithHousing : uc.workAllowanceWithoutHousing;
      if (wa === undefined) need(`The work allowance for ${rates.taxYear} is not confirmed`);
      else {
        allowance = wa;
        steps.push(
          `Work allowance: the first ${pounds(wa)} of take-home pay is ignored (${input.housingCostsPence > 0 ? 'with' : 'no'} housing costs in the award).`,
        );
      }
    } else steps.push('No work allowance: it is only for people with children or limited capability for work.');
    const taper = uc.taperPercent ?? 55;
    const above = Math.max(0, net - allowance);
    const reduction = roundPence((above * taper) / 100);
    ucAfter = Math.max(0, ucBefore - reduction);
    steps.push(
      `Taper: ${taper}% of the ${pounds(above)} of take-home pay above that is ${pounds(reduction)}, so Universal Credit with the job is ${pounds(ucAfter)} a month.`,
    );
  } else if (input.benefit === 'esa' && rates) {
    const hoursUnder = rates.esaPermittedWorkHoursUnder;
    const weeklyLimit = rates.esaPermittedWorkWeeklyPence;
    if (hoursUnder === undefined || weeklyLimit === undefined)
      need(`The ESA permitted-work limits for ${rates.taxYear} are not confirmed`);
    else {
      const weekly = roundPence(weeklyPence);
      permittedWork = input.job.hoursPerWeek < hoursUnder && weekly <= weeklyLimit;
      steps.push(
        permittedWork
          ? `ESA: ${input.job.hoursPerWeek} hours and ${pounds(weekly)} a week is permitted work (under ${hoursUnder} hours and up to ${pounds(weeklyLimit)} a week): ESA carries on.`
          : `ESA: ${input.job.hoursPerWeek} hours and ${pounds(weekly)} a week is more than permitted work allows (under ${hoursUnder} hours and up to ${pounds(weeklyLimit)} a week): it would end the ESA entitlement.`,
      );
    }
    need('ESA amounts are not in this calculation: the totals leave ESA out');
  }

  const totalOut = ucBefore;
  const totalIn = net + ucAfter;
  const diff = totalIn - totalOut;
  steps.push(
    `Income out of work ${pounds(totalOut)}; with the job ${pounds(totalIn)}: ${pounds(Math.abs(diff))} a month ${diff >= 0 ? 'better' : 'worse'} off.`,
  );
  return {
    taxYear: rates?.taxYear ?? null,
    grossPayPence: gross,
    incomeTaxPence: tax,
    nationalInsurancePence: ni,
    pensionPence: pension,
    netPayPence: net,
    ucBeforePence: ucBefore,
    ucAfterPence: ucAfter,
    totalOutOfWorkPence: totalOut,
    totalInWorkPence: totalIn,
    differencePence: diff,
    steps,
    permittedWork,
    needsFullCheck: reasons.length > 0,
    needsFullCheckReasons: reasons,
  };
}
