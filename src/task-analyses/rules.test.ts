import { describe, expect, it } from 'vitest';
import {
  PROMPT_LEVELS,
  PROMPT_LEVEL_INFO,
  type PromptLevel,
  type SessionResults,
  applyStepOperation,
  isValidMasterySessions,
  masteryVerdict,
  stepsFromLines,
  summariseSession,
} from './rules.ts';

const session = (sessionDate: string, levels: Record<string, PromptLevel>): SessionResults => ({
  sessionDate,
  levels: new Map(Object.entries(levels)),
});
const allIndependent = (date: string) => session(date, { a: 'independent', b: 'independent' });

describe('prompt levels', () => {
  it('run from least to most help, each with a label and an explanation', () => {
    expect(PROMPT_LEVELS).toEqual(['independent', 'verbal', 'gesture', 'model', 'physical']);
    for (const level of PROMPT_LEVELS) {
      expect(PROMPT_LEVEL_INFO[level].label).not.toBe('');
      expect(PROMPT_LEVEL_INFO[level].explanation).toMatch(/\.$/);
    }
  });
});

describe('summariseSession', () => {
  it('counts each level and the whole-number percent done independently', () => {
    const s = summariseSession(['independent', 'independent', 'verbal', 'physical', 'independent', 'gesture']);
    expect(s.counts).toEqual({ independent: 3, verbal: 1, gesture: 1, model: 0, physical: 1 });
    expect(s.total).toBe(6);
    expect(s.percentIndependent).toBe(50);
    expect(summariseSession(['independent', 'verbal', 'verbal']).percentIndependent).toBe(33);
  });

  it('is 0 percent when nothing was recorded', () => {
    expect(summariseSession([]).percentIndependent).toBe(0);
  });
});

describe('masteryVerdict', () => {
  it('is mastered on the date of the third session in a row with every step independent', () => {
    const v = masteryVerdict(
      [
        session('2027-02-20', { a: 'verbal', b: 'independent' }),
        allIndependent('2027-03-03'),
        allIndependent('2027-02-24'),
        allIndependent('2027-02-27'),
      ],
      ['a', 'b'],
      3,
    );
    expect(v).toEqual({ mastered: true, masteredOn: '2027-03-03', run: 3, needed: 3, suggestFading: true });
  });

  it('keeps the date the rule was first met when later sessions continue the run', () => {
    const dates = ['2027-03-01', '2027-03-02', '2027-03-03', '2027-03-04', '2027-03-05'];
    const v = masteryVerdict(dates.map(allIndependent), ['a', 'b'], 3);
    expect(v.masteredOn).toBe('2027-03-03');
    expect(v.run).toBe(5);
  });

  it('is not mastered when the latest session needed a prompt, even after an earlier run', () => {
    const v = masteryVerdict(
      [
        allIndependent('2027-03-01'),
        allIndependent('2027-03-02'),
        allIndependent('2027-03-03'),
        session('2027-03-04', { a: 'model', b: 'independent' }),
      ],
      ['a', 'b'],
      3,
    );
    expect(v).toMatchObject({ mastered: false, masteredOn: null, run: 0, suggestFading: false });
  });

  it('ignores retired steps but needs every current step, including one added since', () => {
    const withRetired = [1, 2, 3].map((d) => session(`2027-03-0${d}`, { a: 'independent', b: 'independent', old: 'physical' }));
    expect(masteryVerdict(withRetired, ['a', 'b'], 3).mastered).toBe(true);
    expect(masteryVerdict(withRetired, ['a', 'b', 'new'], 3).mastered).toBe(false);
  });

  it('follows the configured number of sessions', () => {
    const two = [allIndependent('2027-03-01'), allIndependent('2027-03-02')];
    expect(masteryVerdict(two, ['a', 'b'], 3).mastered).toBe(false);
    expect(masteryVerdict(two, ['a', 'b'], 2)).toMatchObject({ mastered: true, masteredOn: '2027-03-02' });
    expect(masteryVerdict(two, ['a', 'b'], 1).masteredOn).toBe('2027-03-01');
  });

  it('is never mastered with no sessions or no steps', () => {
    expect(masteryVerdict([], ['a'], 1).mastered).toBe(false);
    expect(masteryVerdict([allIndependent('2027-03-01')], [], 1).mastered).toBe(false);
  });
});

describe('isValidMasterySessions', () => {
  it('accepts whole numbers from 1 to 10', () => {
    expect([1, 3, 10].every(isValidMasterySessions)).toBe(true);
    expect([0, 11, 2.5].some(isValidMasterySessions)).toBe(false);
  });
});

describe('applyStepOperation', () => {
  const steps = [
    { id: 'a', text: 'Wash hands', retired: false },
    { id: 'b', text: 'Old step', retired: true },
    { id: 'c', text: 'Put on gloves', retired: false },
  ];
  const order = (xs: { id?: string | undefined }[]) => xs.map((s) => s.id ?? 'new');

  it('moves a step past retired ones to swap with the nearest current step', () => {
    expect(order(applyStepOperation(steps, { kind: 'down', stepId: 'a' }))).toEqual(['c', 'b', 'a']);
    expect(order(applyStepOperation(steps, { kind: 'up', stepId: 'c' }))).toEqual(['c', 'b', 'a']);
  });

  it('leaves the first step where it is when moved up', () => {
    expect(order(applyStepOperation(steps, { kind: 'up', stepId: 'a' }))).toEqual(['a', 'b', 'c']);
  });

  it('retires and brings back a step without removing it', () => {
    const retired = applyStepOperation(steps, { kind: 'retire', stepId: 'a' });
    expect(retired.find((s) => s.id === 'a')?.retired).toBe(true);
    expect(applyStepOperation(retired, { kind: 'restore', stepId: 'a' }).find((s) => s.id === 'a')?.retired).toBe(false);
    expect(retired).toHaveLength(3);
  });

  it('adds a new step at the end, ignoring a blank one', () => {
    expect(applyStepOperation(steps, { kind: 'add', text: '  Bin the gloves ' }).at(-1)).toEqual({
      text: 'Bin the gloves',
      retired: false,
    });
    expect(applyStepOperation(steps, { kind: 'add', text: '  ' })).toHaveLength(3);
  });
});

describe('stepsFromLines', () => {
  it('takes one step a line, dropping blank lines and typed numbering or bullets', () => {
    expect(stepsFromLines('1. Wash hands\r\n\r\n2) Put on gloves\n- Open the door\n  Switch on the light  ')).toEqual([
      'Wash hands',
      'Put on gloves',
      'Open the door',
      'Switch on the light',
    ]);
  });
});
