// The stages a match between a person and a vacancy moves through (DESIGN.md section 1). Pure.

export const MATCH_STAGES = [
  'suggested',
  'discussed',
  'applied',
  'interview',
  'offer',
  'started',
  'declined',
  'unsuccessful',
] as const;
export type MatchStage = (typeof MATCH_STAGES)[number];

export const MATCH_STAGE_LABELS: Record<MatchStage, string> = {
  suggested: 'Suggested',
  discussed: 'Discussed with them',
  applied: 'Applied',
  interview: 'Interview',
  offer: 'Offer',
  started: 'Started',
  declined: 'Declined (their choice)',
  unsuccessful: 'Unsuccessful',
};

/** The NHS.UK tag colour each stage is shown in. */
export const MATCH_STAGE_COLOURS: Record<MatchStage, string> = {
  suggested: 'grey',
  discussed: 'blue',
  applied: 'purple',
  interview: 'aqua-green',
  offer: 'yellow',
  started: 'green',
  declined: 'orange',
  unsuccessful: 'red',
};

/** The board's columns, in order: the live stages, then the ones that ended. */
export const BOARD_STAGES: readonly MatchStage[] = MATCH_STAGES;

/**
 * Where a match may go next. The person can decline at any point before starting; an employer
 * can turn them down from an application on. A declined or unsuccessful match can be reopened
 * (back to "discussed") when things change. "Started" is final: the job is then a placement.
 */
const NEXT: Record<MatchStage, readonly MatchStage[]> = {
  suggested: ['discussed', 'applied', 'declined'],
  discussed: ['applied', 'declined'],
  applied: ['interview', 'offer', 'unsuccessful', 'declined'],
  interview: ['offer', 'unsuccessful', 'declined'],
  offer: ['started', 'declined'],
  started: [],
  declined: ['discussed'],
  unsuccessful: ['discussed'],
};

export function nextStages(from: MatchStage): readonly MatchStage[] {
  return NEXT[from];
}

/** Why a move is refused, in words for the practitioner; null when it is allowed. */
export function stageChangeProblem(from: MatchStage, to: MatchStage): string | null {
  if (from === to) return `The match is already at “${MATCH_STAGE_LABELS[from]}”`;
  if (NEXT[from].includes(to)) return null;
  if (from === 'started') return 'They have started this job: it is now a placement, so the match cannot move';
  const options = NEXT[from].map((s) => `“${MATCH_STAGE_LABELS[s]}”`).join(', ');
  return `A match at “${MATCH_STAGE_LABELS[from]}” cannot move to “${MATCH_STAGE_LABELS[to]}”. It can move to: ${options}`;
}
