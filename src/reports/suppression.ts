// Small-number suppression for people who may not see records (commissioners): a count from 1
// to threshold − 1 is shown as "<threshold", and a figure that would let a hidden count be worked
// out is hidden too (the complementary cell of a row that adds up, a rate or median over few people).

export type Shown = number | `<${number}`;

/** Counts hidden by the small-number rule alone. */
export function isSmall(n: number, threshold: number): boolean {
  return n > 0 && n < threshold;
}

/**
 * Which of a set of counts that add up to a shown total must be hidden: every small count, and,
 * when exactly one is hidden, the next smallest non-zero count too, so the hidden one cannot be
 * found by subtracting the others from the total. With the total hidden too nothing is left to
 * subtract from, and the small-number rule alone applies.
 */
export function hiddenCells(cells: readonly number[], threshold: number, totalShown = true): boolean[] {
  return complement(
    cells,
    cells.map((n) => isSmall(n, threshold)),
    totalShown,
  );
}

/**
 * Complementary suppression over cells already marked hidden on their own account (`primary`):
 * with exactly one hidden and the total shown, the next smallest non-zero cell is hidden too.
 */
export function complement(cells: readonly number[], primary: readonly boolean[], totalShown: boolean): boolean[] {
  const hidden = [...primary];
  if (!totalShown || hidden.filter(Boolean).length !== 1) return hidden;
  let pick = -1;
  cells.forEach((n, i) => {
    if (!hidden[i] && n > 0 && (pick === -1 || n < cells[pick]!)) pick = i;
  });
  if (pick !== -1) hidden[pick] = true;
  return hidden;
}

export function shown(n: number, hidden: boolean, threshold: number): Shown {
  return hidden ? `<${threshold}` : n;
}

/**
 * Whether a rate must be hidden: either count hidden, or the people left out of it (denominator −
 * numerator) are few enough to single someone out.
 */
export function rateHidden(
  numerator: number,
  denominator: number,
  threshold: number,
  numeratorHidden: boolean,
  denominatorHidden: boolean,
): boolean {
  return numeratorHidden || denominatorHidden || isSmall(denominator - numerator, threshold) || isSmall(denominator, threshold);
}
