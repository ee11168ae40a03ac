import { describe, expect, it } from 'vitest';
import {
  absenceText,
  addDays,
  competitiveVerdict,
  currentAbsence,
  endDateProblem,
  milestones,
  nextMilestone,
  redeploymentFigures,
  redeploymentOutcomeFor,
} from './rules.ts';

describe('time-in-work milestones', () => {
  it('falls 13, 26 and 52 weeks after the start, across a year end', () => {
    const m = milestones('2026-11-25', null, '2026-11-25');
    expect(m.map((x) => x.date)).toEqual(['2027-02-24', '2027-05-26', '2027-11-24']);
    expect(m.every((x) => !x.reached)).toBe(true);
    expect(m[0]!.text).toBe('13 weeks in work on 24 February 2027');
  });

  it('is reached on its day, not the day before', () => {
    expect(milestones('2026-11-25', null, '2027-02-23')[0]!.reached).toBe(false);
    expect(milestones('2026-11-25', null, '2027-02-24')[0]!.reached).toBe(true);
  });

  it('is not reached when the job ended before it', () => {
    const m = milestones('2026-01-01', '2026-05-01', '2027-06-01');
    expect(m.map((x) => x.reached)).toEqual([true, false, false]);
  });

  it('says which milestone is due next, and none once the job has ended', () => {
    expect(nextMilestone('2026-11-25', null, '2027-03-01')?.weeks).toBe(26);
    expect(nextMilestone('2025-01-01', null, '2026-11-25')).toBeNull();
    expect(nextMilestone('2026-11-01', '2026-11-20', '2026-11-25')).toBeNull();
  });

  it('adds days across a leap day', () => {
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
  });
});

describe('competitive verdict', () => {
  const base = {
    hourlyPayPence: 1300,
    dateOfBirth: '1990-05-01',
    startDate: '2026-11-25',
    openToAnyone: true,
    setAsideForDisabled: false,
  };

  it('is competitive when the pay meets the minimum, the job is open to anyone and not set aside', () => {
    const v = competitiveVerdict(base);
    expect(v.competitive).toBe(true);
    expect(v.reasons).toContain('The job was open to anyone');
    expect(v.reasons.join(' ')).toContain('£13.00 an hour is at or above the £12.71 minimum');
  });

  it('is not competitive below the minimum for the person’s age on the start date', () => {
    const v = competitiveVerdict({ ...base, hourlyPayPence: 1270 });
    expect(v.competitive).toBe(false);
    expect(v.reasons.join(' ')).toContain('below the £12.71 minimum');
  });

  it('uses the younger rate for someone aged 19 on the start date', () => {
    expect(competitiveVerdict({ ...base, dateOfBirth: '2007-01-01', hourlyPayPence: 1100 }).competitive).toBe(true);
  });

  it('is not competitive when set aside for disabled people or not open to anyone, and says so', () => {
    const aside = competitiveVerdict({ ...base, setAsideForDisabled: true });
    expect(aside.competitive).toBe(false);
    expect(aside.reasons).toContain('The job was set aside for disabled people');
    const closed = competitiveVerdict({ ...base, openToAnyone: false });
    expect(closed.competitive).toBe(false);
    expect(closed.reasons).toContain('The job was not open to anyone');
  });

  it('is not counted as competitive when the pay is not recorded', () => {
    const v = competitiveVerdict({ ...base, hourlyPayPence: null });
    expect(v.competitive).toBe(false);
    expect(v.reasons[0]).toContain('No hourly pay recorded');
  });
});

describe('absences', () => {
  const sick = { kind: 'sick_leave' as const, fromDate: '2026-11-03', toDate: null };
  it('finds the open absence covering the day and words it', () => {
    expect(currentAbsence([sick], '2026-11-25')).toBe(sick);
    expect(absenceText(sick)).toBe('Off sick since 3 November 2026');
  });
  it('counts the back-to-work day as a day at work', () => {
    expect(currentAbsence([{ ...sick, toDate: '2026-11-25' }], '2026-11-24')).not.toBeNull();
    expect(currentAbsence([{ ...sick, toDate: '2026-11-25' }], '2026-11-25')).toBeNull();
  });
  it('ignores absences that ended or have not started', () => {
    expect(currentAbsence([{ ...sick, toDate: '2026-11-10' }], '2026-11-25')).toBeNull();
    expect(currentAbsence([{ ...sick, fromDate: '2026-12-01' }], '2026-11-25')).toBeNull();
  });
});

describe('ending and redeployment', () => {
  it('refuses an end date before the start', () => {
    expect(endDateProblem('2026-11-25', '2026-11-24')).toContain('on or after the start date');
    expect(endDateProblem('2026-11-25', '2026-11-25')).toBeNull();
  });

  it('counts a new job at the host as redeployment within the host, anywhere else as a new employer', () => {
    expect(redeploymentOutcomeFor('host')).toBe('redeployed_host');
    expect(redeploymentOutcomeFor('supplier')).toBe('new_employer');
    expect(redeploymentOutcomeFor('external')).toBe('new_employer');
  });

  it('splits redundancies by host, supplier and other employers with their outcomes', () => {
    const f = redeploymentFigures([
      { employerType: 'supplier', outcome: null },
      { employerType: 'supplier', outcome: 'redeployed_host' },
      { employerType: 'host', outcome: 'not_yet' },
      { employerType: 'external', outcome: 'new_employer' },
    ]);
    expect(f.supplier).toEqual({ redundancies: 2, redeployed_host: 1, new_employer: 0, not_yet: 0, open: 1 });
    expect(f.host.redundancies).toBe(1);
    expect(f.host.not_yet).toBe(1);
    expect(f.other.new_employer).toBe(1);
  });
});
