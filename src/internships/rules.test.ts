import { describe, expect, it } from 'vitest';
import {
  type GraduateJob,
  type GridPlacement,
  attendancePercent,
  defaultRotations,
  gridClashes,
  outcomeRate,
  programmeOutcome,
  rotationPlanProblems,
} from './rules.ts';

describe('rotation plan', () => {
  it('splits the year into three back-to-back rotations by default', () => {
    expect(defaultRotations('2026-09-07', '2027-07-16')).toEqual([
      // 313 days: 104, 104 and 105.
      { number: 1, startDate: '2026-09-07', endDate: '2026-12-19' },
      { number: 2, startDate: '2026-12-20', endDate: '2027-04-02' },
      { number: 3, startDate: '2027-04-03', endDate: '2027-07-16' },
    ]);
  });

  it('says when rotations overlap or fall outside the cohort', () => {
    const cohort = { startDate: '2026-09-07', endDate: '2027-07-16' };
    expect(rotationPlanProblems(cohort, defaultRotations(cohort.startDate, cohort.endDate))).toEqual({});
    expect(
      rotationPlanProblems(cohort, [
        { number: 1, startDate: '2026-09-07', endDate: '2026-12-20' },
        { number: 2, startDate: '2026-12-18', endDate: '2027-04-06' },
        { number: 3, startDate: '2027-04-07', endDate: '2027-07-31' },
      ]),
    ).toEqual({
      rotation_2: 'Rotation 2 must start after rotation 1 ends',
      rotation_3: 'Rotation 3 must fall within the cohort’s dates',
    });
  });
});

describe('the planning grid', () => {
  // 12 interns, 3 rotations, 9 departments (over 5 sites), each taking 2 interns at once.
  const rotations = [1, 2, 3].map((n) => ({ id: `r${n}`, number: n }));
  const interns = Array.from({ length: 12 }, (_, i) => ({ id: `i${i + 1}` }));
  const departments = Array.from({ length: 9 }, (_, d) => ({ id: `d${d + 1}`, name: `Department ${d + 1}`, capacity: 2 }));
  // A clean plan: intern k goes to department (k + 3r) mod 9 in rotation r.
  const clean: GridPlacement[] = rotations.flatMap((r) =>
    interns.map((intern, k) => ({
      rotationId: r.id,
      internId: intern.id,
      departmentId: `d${((k + 3 * (r.number - 1)) % 9) + 1}`,
    })),
  );

  it('finds nothing wrong with a plan that fits', () => {
    expect(gridClashes(rotations, interns, departments, clean)).toEqual([]);
  });

  it('shows a department over capacity, a department given twice and an intern with no department', () => {
    const plan = clean
      // i2 joins d1 in rotation 1 (d1 already has i1 and i10); i1 goes back to d1 in rotation 2.
      .map((p) => (p.internId === 'i2' && p.rotationId === 'r1' ? { ...p, departmentId: 'd1' } : p))
      .map((p) => (p.internId === 'i1' && p.rotationId === 'r2' ? { ...p, departmentId: 'd1' } : p))
      .filter((p) => !(p.internId === 'i12' && p.rotationId === 'r3'));
    const clashes = gridClashes(rotations, interns, departments, plan);
    expect(clashes).toContainEqual({ kind: 'over_capacity', rotationId: 'r1', departmentId: 'd1', placed: 3, capacity: 2 });
    expect(clashes).toContainEqual({
      kind: 'same_department_twice',
      internId: 'i1',
      departmentId: 'd1',
      rotationIds: ['r1', 'r2'],
    });
    expect(clashes).toContainEqual({ kind: 'no_placement', rotationId: 'r3', internId: 'i12' });
    expect(clashes).toHaveLength(3);
  });

  it('does not limit a department whose capacity is not set', () => {
    const open = departments.map((d) => ({ ...d, capacity: null }));
    const crowded = interns.map((i) => ({ rotationId: 'r1', internId: i.id, departmentId: 'd1' }));
    expect(gridClashes([rotations[0]!], interns, open, crowded)).toEqual([]);
  });
});

describe('programme outcome (derived, never typed)', () => {
  const job = (over: Partial<GraduateJob> = {}): GraduateJob => ({
    hoursPerWeek: 16,
    hourlyPayPence: 1271,
    seasonal: false,
    integrated: true,
    startDate: '2026-09-01',
    dateOfBirth: '2005-03-01',
    ...over,
  });

  it('counts 16 hours a week and not 15', () => {
    expect(programmeOutcome(job()).meets).toBe(true);
    const fifteen = programmeOutcome(job({ hoursPerWeek: 15 }));
    expect(fifteen.meets).toBe(false);
    expect(fifteen.reasons).toContainEqual({ fits: false, text: '15 hours a week: fewer than 16' });
  });

  it('does not count a seasonal contract, a segregated setting or pay below the minimum wage', () => {
    expect(programmeOutcome(job({ seasonal: true })).meets).toBe(false);
    expect(programmeOutcome(job({ integrated: false })).meets).toBe(false);
    // £10.00 an hour for someone aged 21 on 1 September 2026 is below the minimum wage.
    const low = programmeOutcome(job({ hourlyPayPence: 1000 }));
    expect(low.meets).toBe(false);
    expect(low.reasons.at(-1)?.fits).toBe(false);
  });

  it('does not count what was not recorded, and says what is missing', () => {
    const unknown = programmeOutcome(job({ seasonal: null, hourlyPayPence: null }));
    expect(unknown.meets).toBe(false);
    expect(unknown.reasons.filter((r) => !r.fits).map((r) => r.text)).toEqual([
      'Not recorded whether the job is seasonal',
      'Hourly pay not recorded',
    ]);
  });
});

describe('outcome rate', () => {
  it('is graduates into a job meeting the definition, over all graduates', () => {
    expect(
      outcomeRate([
        { status: 'graduated', outcome: 'employed_host', meets: true },
        { status: 'graduated', outcome: 'employed_supplier', meets: true },
        { status: 'graduated', outcome: 'employed_elsewhere', meets: false },
        { status: 'graduated', outcome: 'further_education', meets: false },
        { status: 'withdrawn', outcome: null, meets: false },
        { status: 'active', outcome: null, meets: false },
      ]),
    ).toEqual({ graduates: 4, employed: 3, programmeOutcomes: 2, ratePercent: 50 });
    expect(outcomeRate([]).ratePercent).toBeNull();
  });

  it('gives attendance as a share of recorded days', () => {
    expect(attendancePercent([{ present: true }, { present: true }, { present: false }])).toBe(67);
    expect(attendancePercent([])).toBeNull();
  });
});
