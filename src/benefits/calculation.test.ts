import { describe, expect, it } from 'vitest';
import { type CalculationInput, calculate, pounds } from './calculation.ts';
import { ratesOn } from './rates.ts';

const base: CalculationInput = {
  date: '2025-11-01',
  household: 'single',
  ages: [30],
  children: false,
  housingCostsPence: 0,
  benefit: 'uc',
  lcwra: false,
  savingsPence: 0,
  job: { hoursPerWeek: 16, hourlyPayPence: 1221, pensionPercent: 0 },
};

describe('rates by tax year', () => {
  it('picks the year by the day, from 6 April', () => {
    expect(ratesOn('2026-04-05')?.taxYear).toBe('2025/26');
    expect(ratesOn('2026-04-06')?.taxYear).toBe('2026/27');
    expect(ratesOn('2024-12-01')).toBeNull();
  });
});

describe('a better-off calculation', () => {
  it('single, 25 or over, no housing costs, with LCWRA, 2025/26, 16 hours at £12.21: the £684 work allowance and the 55% taper, to the penny', () => {
    const r = calculate({ ...base, lcwra: true });
    // 16 × £12.21 = £195.36 a week; × 52 ÷ 12 = £846.56 a month; under the tax and NI thresholds.
    expect(r.grossPayPence).toBe(84656);
    expect(r.incomeTaxPence).toBe(0);
    expect(r.nationalInsurancePence).toBe(0);
    expect(r.netPayPence).toBe(84656);
    // £400.14 + £423.27 = £823.41 out of work.
    expect(r.ucBeforePence).toBe(82341);
    // (£846.56 − £684) × 55% = £89.408, a fraction of a penny over half: £89.41.
    expect(r.ucAfterPence).toBe(82341 - 8941);
    expect(r.totalOutOfWorkPence).toBe(82341);
    expect(r.totalInWorkPence).toBe(84656 + 73400);
    expect(r.differencePence).toBe(75715);
    const working = r.steps.join(' ');
    expect(working).toContain('£684.00');
    expect(working).toContain('55% of the £162.56');
    expect(working).toContain('£757.15 a month better off');
    expect(r.needsFullCheck).toBe(false);
  });

  it('gives no work allowance without children or limited capability for work', () => {
    const r = calculate(base);
    expect(r.ucBeforePence).toBe(40014);
    // 55% of the whole £846.56 (£465.61) is more than the award: no Universal Credit left.
    expect(r.ucAfterPence).toBe(0);
    expect(r.steps.join(' ')).toContain('No work allowance');
  });

  it('takes income tax and National Insurance above a twelfth of £12,570, and a pension before tax', () => {
    const full = calculate({ ...base, benefit: 'none', job: { hoursPerWeek: 37.5, hourlyPayPence: 1500, pensionPercent: 0 } });
    expect(full.grossPayPence).toBe(243750);
    expect(full.incomeTaxPence).toBe(27800); // 20% of £2,437.50 − £1,047.50
    expect(full.nationalInsurancePence).toBe(11120); // 8% of the same
    expect(full.netPayPence).toBe(204830);
    const pension = calculate({ ...base, benefit: 'none', job: { hoursPerWeek: 37.5, hourlyPayPence: 1500, pensionPercent: 5 } });
    expect(pension.pensionPence).toBe(12188);
    expect(pension.incomeTaxPence).toBe(25362);
    expect(pension.netPayPence).toBe(243750 - 12188 - 25362 - 11120);
  });

  it('says ESA at 15 hours and £190 a week is permitted work in 2025/26, and 16 hours is not', () => {
    const at15 = calculate({ ...base, benefit: 'esa', job: { hoursPerWeek: 15, hourlyPayPence: 19000 / 15, pensionPercent: 0 } });
    expect(at15.permittedWork).toBe(true);
    const at16 = calculate({ ...base, benefit: 'esa', job: { hoursPerWeek: 16, hourlyPayPence: 19000 / 16, pensionPercent: 0 } });
    expect(at16.permittedWork).toBe(false);
    expect(at16.steps.join(' ')).toContain('end the ESA entitlement');
  });

  it('says savings of £10,000 need a full benefits check', () => {
    const r = calculate({ ...base, savingsPence: 1_000_000 });
    expect(r.needsFullCheck).toBe(true);
    expect(r.needsFullCheckReasons.join(' ')).toContain('over the £6,000.00 lower capital limit');
  });

  it('says savings over £16,000 are over the upper limit, where Universal Credit is not normally paid', () => {
    const r = calculate({ ...base, savingsPence: 1_600_001 });
    expect(r.needsFullCheckReasons).toEqual([expect.stringContaining('over the £16,000.00 upper capital limit')]);
    expect(calculate({ ...base, savingsPence: 1_600_000 }).needsFullCheckReasons.join(' ')).toContain('lower capital limit');
  });

  it('never guesses a figure not confirmed for the year', () => {
    const couple = calculate({ ...base, date: '2026-06-01', household: 'couple', ages: [30, 31] });
    expect(couple.needsFullCheck).toBe(true);
    expect(couple.needsFullCheckReasons.join(' ')).toContain('not confirmed');
    const workAllowance = calculate({ ...base, date: '2026-06-01', lcwra: true });
    expect(workAllowance.needsFullCheckReasons.join(' ')).toContain('work allowance for 2026/27 is not confirmed');
  });

  it('names a couple of mixed ages as outside the model', () => {
    expect(calculate({ ...base, household: 'couple', ages: [22, 30] }).needsFullCheckReasons).toContain(
      'A couple with one partner under 25 and one 25 or over',
    );
  });

  it('writes pounds with a thousands separator and a true minus', () => {
    expect(pounds(123456)).toBe('£1,234.56');
    expect(pounds(-5)).toBe('−£0.05');
  });
});
