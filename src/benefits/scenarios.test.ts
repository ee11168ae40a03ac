import { describe, expect, it } from 'vitest';
import { benefitFromProfile, compareScenarios, sharedReasons, startingHours } from './scenarios.ts';

const household = {
  household: 'single' as const,
  ages: [30],
  children: false,
  housingCostsPence: 0,
  benefit: 'uc' as const,
  lcwra: true,
  savingsPence: 0,
};

describe('comparing job scenarios', () => {
  it('works out each job in order, so 8, 16 and 30 hours leave less Universal Credit as pay rises', () => {
    const s = compareScenarios(
      '2025-10-01',
      household,
      [8, 16, 30].map((h) => ({ hoursPerWeek: h, hourlyPayPence: 1221, pensionPercent: 0 })),
    );
    expect(s.map((x) => x.job.hoursPerWeek)).toEqual([8, 16, 30]);
    expect(s[1]!.result.ucAfterPence).toBe(73400);
    expect(s[0]!.result.ucAfterPence).toBeGreaterThan(s[1]!.result.ucAfterPence);
    expect(s[1]!.result.ucAfterPence).toBeGreaterThan(s[2]!.result.ucAfterPence);
    expect(s[2]!.result.totalInWorkPence).toBeGreaterThan(s[0]!.result.totalInWorkPence);
  });

  it('refuses none or more than three jobs', () => {
    expect(() => compareScenarios('2025-10-01', household, [])).toThrow(RangeError);
    const job = { hoursPerWeek: 8, hourlyPayPence: 1221, pensionPercent: 0 };
    expect(() => compareScenarios('2025-10-01', household, [job, job, job, job])).toThrow(RangeError);
  });

  it('names each reason for a full benefits check once across the scenarios', () => {
    const s = compareScenarios('2025-10-01', { ...household, savingsPence: 1_000_000 }, [
      { hoursPerWeek: 8, hourlyPayPence: 1221, pensionPercent: 0 },
      { hoursPerWeek: 16, hourlyPayPence: 1221, pensionPercent: 0 },
    ]);
    expect(sharedReasons(s)).toEqual([expect.stringContaining('lower capital limit')]);
  });
});

describe('starting figures from the profile', () => {
  it('reads the benefit named in the profile, for the practitioner to check', () => {
    expect(benefitFromProfile('Universal Credit with LCWRA')).toEqual({ benefit: 'uc', lcwra: true });
    expect(benefitFromProfile('UC, standard allowance')).toEqual({ benefit: 'uc', lcwra: false });
    expect(benefitFromProfile('Employment and Support Allowance (support group)')).toEqual({ benefit: 'esa', lcwra: false });
    expect(benefitFromProfile('PIP only')).toEqual({ benefit: 'none', lcwra: false });
    expect(benefitFromProfile(null)).toEqual({ benefit: 'none', lcwra: false });
  });

  it('offers the wanted hours range, or 8, 16 and 30 hours when none is recorded', () => {
    expect(startingHours(null, null)).toEqual([8, 16, 30]);
    expect(startingHours(10, 30)).toEqual([10, 20, 30]);
    expect(startingHours(16, 16)).toEqual([16]);
    expect(startingHours(null, 20)).toEqual([20]);
  });
});
