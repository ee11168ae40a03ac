import { describe, expect, it } from 'vitest';
import {
  CATEGORIES,
  type IssueFacts,
  closeProblem,
  employerHandledShare,
  monthsBefore,
  orderIssues,
  shareInWords,
  suggestedOwner,
  summariseIssues,
} from './rules.ts';

describe('suggestedOwner', () => {
  it('gives attendance, performance and conduct to the employer as normal line management', () => {
    for (const c of ['attendance', 'performance', 'conduct'] as const) {
      expect(suggestedOwner(c)).toEqual({
        owner: 'employer',
        reason: 'Normal line management: the line manager leads, the coach stays on call',
      });
    }
  });

  it('gives skills, health, personal and relationship issues to the coach, with a reason for each', () => {
    for (const c of ['skills', 'health', 'personal', 'relationships'] as const) {
      expect(suggestedOwner(c).owner).toBe('coach');
      expect(suggestedOwner(c).reason).toMatch(/coach/);
    }
    expect(suggestedOwner('health').reason).toContain('adjustments');
  });

  it('has a suggestion for every category', () => {
    for (const c of CATEGORIES) expect(suggestedOwner(c).reason.length).toBeGreaterThan(10);
  });
});

describe('employerHandledShare', () => {
  it('counts only issues the employer owned and closed', () => {
    const share = employerHandledShare([
      { owner: 'employer', status: 'closed' },
      { owner: 'employer', status: 'open' },
      { owner: 'coach', status: 'closed' },
      { owner: 'employer', status: 'closed' },
    ]);
    expect(share).toEqual({ handled: 2, total: 4, percent: 50 });
    expect(shareInWords(share)).toBe('2 of 4 issues (50%)');
  });

  it('has no percentage when there are no issues', () => {
    const share = employerHandledShare([]);
    expect(share).toEqual({ handled: 0, total: 0, percent: null });
    expect(shareInWords(share)).toBe('No issues were raised');
  });

  it('rounds to a whole per cent and says "issue" for one', () => {
    expect(
      employerHandledShare([
        { owner: 'employer', status: 'closed' },
        { owner: 'coach', status: 'open' },
        { owner: 'coach', status: 'open' },
      ]).percent,
    ).toBe(33);
    expect(shareInWords({ handled: 1, total: 1, percent: 100 })).toBe('1 of 1 issue (100%)');
  });
});

describe('summariseIssues', () => {
  it('counts by category and owner, every category listed even when empty', () => {
    const issues: IssueFacts[] = [
      { category: 'attendance', owner: 'employer', status: 'closed' },
      { category: 'attendance', owner: 'coach', status: 'open' },
      { category: 'skills', owner: 'coach', status: 'closed' },
    ];
    const s = summariseIssues(issues);
    expect(s.total).toBe(3);
    expect(s.open).toBe(1);
    expect(s.employerOwned).toBe(1);
    expect(s.coachOwned).toBe(2);
    expect(s.share).toEqual({ handled: 1, total: 3, percent: 33 });
    expect(s.byCategory).toHaveLength(CATEGORIES.length);
    expect(s.byCategory[0]).toEqual({
      category: 'attendance',
      label: 'Attendance or timekeeping',
      total: 2,
      employerOwned: 1,
      coachOwned: 1,
      employerHandled: 1,
    });
    expect(s.byCategory.find((c) => c.category === 'health')?.total).toBe(0);
  });
});

describe('orderIssues', () => {
  it('puts open issues first, newest raised first within open and closed', () => {
    const ordered = orderIssues([
      { id: 'a', status: 'closed', raisedOn: '2026-10-01' },
      { id: 'b', status: 'open', raisedOn: '2026-09-01' },
      { id: 'c', status: 'closed', raisedOn: '2026-11-01' },
      { id: 'd', status: 'open', raisedOn: '2026-11-20' },
    ] as const);
    expect(ordered.map((i) => i.id)).toEqual(['d', 'b', 'c', 'a']);
  });
});

describe('closeProblem', () => {
  const ok = { outcome: 'Rota changed', closedOn: '2026-11-25', raisedOn: '2026-11-01', today: '2026-11-25' };
  it('lets an issue with an outcome close between its raising and today', () => {
    expect(closeProblem(ok)).toBeNull();
    expect(closeProblem({ ...ok, closedOn: '2026-11-01' })).toBeNull();
  });
  it('needs an outcome', () => {
    expect(closeProblem({ ...ok, outcome: '  ' })).toEqual({
      field: 'outcome',
      message: 'Enter the outcome before closing the issue',
    });
    expect(closeProblem({ ...ok, outcome: null })?.field).toBe('outcome');
  });
  it('refuses a date before the issue was raised or in the future', () => {
    expect(closeProblem({ ...ok, closedOn: '2026-10-31' })?.message).toMatch(/on or after the date the issue was raised/);
    expect(closeProblem({ ...ok, closedOn: '2026-11-26' })).toEqual({
      field: 'closed_on',
      message: 'Date closed must be today or in the past',
    });
  });
});

describe('monthsBefore', () => {
  it('goes back whole months, keeping the day', () => {
    expect(monthsBefore('2026-11-25', 12)).toBe('2025-11-25');
    expect(monthsBefore('2026-03-15', 3)).toBe('2025-12-15');
  });
  it('uses the last day of a shorter month', () => {
    expect(monthsBefore('2026-03-31', 1)).toBe('2026-02-28');
    expect(monthsBefore('2025-02-28', 12)).toBe('2024-02-28');
    expect(monthsBefore('2024-02-29', 12)).toBe('2023-02-28');
  });
});
