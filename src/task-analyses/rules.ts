// Systematic instruction: the prompt level needed at each step of a task, session by session,
// and when the person can be said to have mastered the task (so the coach can fade support).

export const PROMPT_LEVELS = ['independent', 'verbal', 'gesture', 'model', 'physical'] as const;
export type PromptLevel = (typeof PROMPT_LEVELS)[number];

/** Each prompt level, least help first, with its label and what it means. */
export const PROMPT_LEVEL_INFO: Record<PromptLevel, { label: string; short: string; explanation: string }> = {
  independent: { label: 'Independent', short: 'I', explanation: 'Did the step without any help.' },
  verbal: { label: 'Verbal prompt', short: 'V', explanation: 'Needed a spoken reminder or instruction.' },
  gesture: { label: 'Gesture', short: 'G', explanation: 'Needed a point, nod or other gesture.' },
  model: { label: 'Model', short: 'M', explanation: 'Needed to see the step done first.' },
  physical: { label: 'Physical help', short: 'P', explanation: 'Needed hands-on guidance.' },
};

export function isPromptLevel(value: unknown): value is PromptLevel {
  return typeof value === 'string' && (PROMPT_LEVELS as readonly string[]).includes(value);
}

export const DEFAULT_MASTERY_SESSIONS = 3;

/** One session's result: the prompt level recorded at each step, by step id. */
export interface SessionResults {
  sessionDate: string;
  levels: ReadonlyMap<string, PromptLevel>;
}

export interface SessionSummary {
  /** Steps recorded at each level. */
  counts: Record<PromptLevel, number>;
  /** Steps recorded in this session. */
  total: number;
  /** Whole-number percent of the recorded steps done independently (0 when none recorded). */
  percentIndependent: number;
}

/** Counts per prompt level and the share done independently, over the steps given (all when omitted). */
export function summariseSession(levels: Iterable<PromptLevel>): SessionSummary {
  const counts = Object.fromEntries(PROMPT_LEVELS.map((l) => [l, 0])) as Record<PromptLevel, number>;
  let total = 0;
  for (const level of levels) {
    counts[level] += 1;
    total += 1;
  }
  return { counts, total, percentIndependent: total === 0 ? 0 : Math.round((counts.independent / total) * 100) };
}

/** True when every current step was recorded, and recorded independent, in this session. */
export function allIndependent(session: SessionResults, currentStepIds: readonly string[]): boolean {
  return currentStepIds.length > 0 && currentStepIds.every((id) => session.levels.get(id) === 'independent');
}

export interface MasteryVerdict {
  mastered: boolean;
  /** The date of the session that completed the run, `YYYY-MM-DD`, when mastered. */
  masteredOn: string | null;
  /** Sessions in a row, counting back from the latest, with every current step independent. */
  run: number;
  /** How many such sessions in a row mastery needs. */
  needed: number;
  suggestFading: boolean;
}

/**
 * Mastered when the last `needed` sessions in a row had every current (not retired) step done
 * independently. The date is when the first run of that length, in the unbroken run that reaches
 * the latest session, was completed: the day the person met the rule.
 */
export function masteryVerdict(
  sessions: readonly SessionResults[],
  currentStepIds: readonly string[],
  needed: number = DEFAULT_MASTERY_SESSIONS,
): MasteryVerdict {
  const ordered = [...sessions].sort((a, b) => (a.sessionDate < b.sessionDate ? -1 : a.sessionDate > b.sessionDate ? 1 : 0));
  let run = 0;
  for (let i = ordered.length - 1; i >= 0; i -= 1) {
    const session = ordered[i];
    if (!session || !allIndependent(session, currentStepIds)) break;
    run += 1;
  }
  const mastered = needed > 0 && run >= needed;
  const completing = mastered ? ordered[ordered.length - run + needed - 1] : undefined;
  const masteredOn = completing?.sessionDate ?? null;
  return { mastered, masteredOn, run, needed, suggestFading: mastered };
}

/** Whether a number of sessions is a valid mastery setting (a whole number from 1 to 10). */
export function isValidMasterySessions(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && n <= 10;
}

/** A step as edited: an existing one has an id; retired steps keep their place. */
export interface StepDraft {
  id?: string | undefined;
  text: string;
  retired: boolean;
}

export type StepOperation = { kind: 'up' | 'down' | 'retire' | 'restore'; stepId: string } | { kind: 'add'; text: string };

/**
 * Applies one edit button to the steps: move a step past the nearest current step above or
 * below it, retire or bring back a step, or add a new one at the end. Unknown ids change nothing.
 */
export function applyStepOperation(steps: readonly StepDraft[], op: StepOperation): StepDraft[] {
  const next = steps.map((s) => ({ ...s }));
  if (op.kind === 'add') {
    const text = op.text.trim();
    return text ? [...next, { text, retired: false }] : next;
  }
  const i = next.findIndex((s) => s.id === op.stepId);
  const step = next[i];
  if (!step) return next;
  if (op.kind === 'retire' || op.kind === 'restore') {
    step.retired = op.kind === 'retire';
    return next;
  }
  const direction = op.kind === 'up' ? -1 : 1;
  let j = i + direction;
  while (j >= 0 && j < next.length && next[j]?.retired) j += direction;
  const other = next[j];
  if (!other) return next;
  next[i] = other;
  next[j] = step;
  return next;
}

/** Splits a textarea of steps, one a line, dropping blank lines and list numbering typed in. */
export function stepsFromLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.replace(/^\s*(\d+[.)]|[-*•])\s+/, '').trim())
    .filter((line) => line.length > 0);
}
