import { type CalculationInput, type CalculationResult, calculate } from './calculation.ts';

// One household compared across up to three jobs (issue 10): the page's side-by-side view and
// what is saved to the record. Pure: the service adds the person, the audit and the storage.

export const MAX_SCENARIOS = 3;

/** The household and benefit figures a calculation shares across its scenarios. */
export type Household = Omit<CalculationInput, 'date' | 'job'>;
export type Job = CalculationInput['job'];

export interface Scenario {
  job: Job;
  result: CalculationResult;
}

/** Each job worked out for the household on `date`, in the order given. */
export function compareScenarios(date: string, household: Household, jobs: readonly Job[]): Scenario[] {
  if (jobs.length === 0 || jobs.length > MAX_SCENARIOS)
    throw new RangeError(`Give between 1 and ${MAX_SCENARIOS} jobs, got ${jobs.length}`);
  return jobs.map((job) => ({ job, result: calculate({ ...household, date, job }) }));
}

/** Every "needs a full benefits check" reason across the scenarios, once each, in first-seen order. */
export function sharedReasons(scenarios: readonly Scenario[]): string[] {
  const out: string[] = [];
  for (const s of scenarios) for (const r of s.result.needsFullCheckReasons) if (!out.includes(r)) out.push(r);
  return out;
}

/**
 * A first guess at the current benefit from the profile's free-text "current benefits", for the
 * practitioner to check with the person: ESA if it is named, else Universal Credit, else none.
 */
export function benefitFromProfile(text: string | null): Pick<Household, 'benefit' | 'lcwra'> {
  const t = text ?? '';
  const lcwra = /\bLCWRA\b|limited capability for work and work[- ]related/i.test(t);
  if (/\bESA\b|employment and support allowance/i.test(t)) return { benefit: 'esa', lcwra: false };
  if (/\bUC\b|universal credit/i.test(t) || lcwra) return { benefit: 'uc', lcwra };
  return { benefit: 'none', lcwra: false };
}

/**
 * Hours for the starting scenarios: the person's wanted range from the profile (lowest, middle,
 * highest, without repeats), or 8, 16 and 30 hours (a small job, the permitted-work edge, near full time).
 */
export function startingHours(min: number | null, max: number | null): number[] {
  if (min === null && max === null) return [8, 16, 30];
  const lo = min ?? max!;
  const hi = max ?? min!;
  const mid = Math.round((lo + hi) / 2);
  return [...new Set([lo, mid, hi])].filter((h) => h > 0).slice(0, MAX_SCENARIOS);
}

const BENEFIT_TEXT: Record<Household['benefit'], string> = {
  uc: 'Universal Credit',
  esa: 'Employment and Support Allowance',
  none: 'No benefits',
};

/** "Universal Credit with the limited-capability element", as the person's benefit is said back. */
export function benefitText(h: Household): string {
  return h.benefit === 'uc' && h.lcwra
    ? 'Universal Credit with the limited capability for work and work-related activity element'
    : BENEFIT_TEXT[h.benefit];
}
