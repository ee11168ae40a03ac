// The figures a better-off calculation needs, by tax year (../shared/domain.md, "Money figures").
// Every amount is whole pence a month unless its name says otherwise. A figure not yet confirmed
// is absent (undefined): a calculation that needs it says "needs a full benefits check" instead
// of guessing. Adding a year is adding an entry.

export interface UniversalCreditRates {
  standardSingleUnder25?: number;
  standardSingle25Plus?: number;
  standardCoupleBothUnder25?: number;
  standardCoupleOneOrBoth25Plus?: number;
  /** Limited capability for work and work-related activity element. */
  lcwra?: number;
  /** Work allowance when the award includes housing costs. */
  workAllowanceWithHousing?: number;
  /** Work allowance when it does not. */
  workAllowanceWithoutHousing?: number;
  /** Share of net earnings above the work allowance taken off the award, in per cent. */
  taperPercent?: number;
  /** Savings above this mean tariff income (pence, not monthly). */
  capitalLowerPence?: number;
  /** Savings above this end entitlement (pence, not monthly). */
  capitalUpperPence?: number;
}

export interface TaxYearRates {
  /** "2025/26". */
  taxYear: string;
  /** First day the year's rates apply, `YYYY-MM-DD` (6 April). */
  from: string;
  /** Last day, `YYYY-MM-DD` (5 April the next year). */
  to: string;
  universalCredit: UniversalCreditRates;
  /** Income tax personal allowance, pence a year. */
  personalAllowancePenceAYear?: number;
  basicRatePercent?: number;
  /** Employee National Insurance primary threshold, pence a year. */
  nationalInsuranceThresholdPenceAYear?: number;
  nationalInsuranceRatePercent?: number;
  /** ESA permitted work: fewer hours a week than this. */
  esaPermittedWorkHoursUnder?: number;
  /** ESA permitted work: weekly earnings up to this (pence a week). */
  esaPermittedWorkWeeklyPence?: number;
}

export const TAX_YEARS: readonly TaxYearRates[] = Object.freeze([
  {
    taxYear: '2025/26',
    from: '2025-04-06',
    to: '2026-04-05',
    universalCredit: {
      standardSingleUnder25: 31698,
      standardSingle25Plus: 40014,
      standardCoupleBothUnder25: 49755,
      standardCoupleOneOrBoth25Plus: 62810,
      lcwra: 42327,
      workAllowanceWithHousing: 41100,
      workAllowanceWithoutHousing: 68400,
      taperPercent: 55,
      capitalLowerPence: 600000,
      capitalUpperPence: 1600000,
    },
    personalAllowancePenceAYear: 1257000,
    basicRatePercent: 20,
    nationalInsuranceThresholdPenceAYear: 1257000,
    nationalInsuranceRatePercent: 8,
    esaPermittedWorkHoursUnder: 16,
    esaPermittedWorkWeeklyPence: 19550,
  },
  {
    // DWP's proposed rates. The couple 25+ allowance, the protected LCWRA amount, the work
    // allowances, the capital limits and the ESA permitted-work limit are not confirmed in our
    // sources, so they are absent.
    taxYear: '2026/27',
    from: '2026-04-06',
    to: '2027-04-05',
    universalCredit: {
      standardSingleUnder25: 33858,
      standardSingle25Plus: 42490,
      standardCoupleBothUnder25: 52834,
      lcwra: 21726,
      taperPercent: 55,
    },
    personalAllowancePenceAYear: 1257000,
    basicRatePercent: 20,
    nationalInsuranceThresholdPenceAYear: 1257000,
    nationalInsuranceRatePercent: 8,
  },
]);

/** The tax year whose rates apply on a day, or null when Stepwise has none for it. */
export function ratesOn(day: string): TaxYearRates | null {
  return TAX_YEARS.find((y) => day >= y.from && day <= y.to) ?? null;
}
