import type { Clock } from '../clock.ts';
import type { DbOrTrx } from '../db/types.ts';
import type { Viewer } from '../participants/rules.ts';
import { londonDate } from '../referrals/rules.ts';
import * as settings from '../settings/service.ts';
import { type Period, type PersonFact, type Quarter, outcomeFigures, quartersTo } from './outcomes.ts';
import { type ShownGroup, loadFacts, present, seesPeople } from './service.ts';

// The outcome figures quarter by quarter, for the trend charts. Every quarter is worked out from
// one load of the facts and passed through `present`, so a role that may not see people gets the
// same small-number suppression on a chart as on the report page.

/** How many quarters a trend chart shows, the selected period's quarter last. */
export const TREND_QUARTERS = 8;

export interface QuarterFigures {
  quarter: Quarter;
  /** The quarter has not ended yet on the day the figures were worked out. */
  partial: boolean;
  figures: ShownGroup['figures'];
}

export interface Trends {
  period: Period;
  asOf: string;
  scope: string;
  canSeePeople: boolean;
  threshold: number;
  /** Oldest first, ending with the quarter that holds the last day of the period. */
  quarters: QuarterFigures[];
  /** The selected period itself (which need not be a whole quarter). */
  selected: ShownGroup['figures'];
}

interface Presentation {
  asOf: string;
  canSeePeople: boolean;
  threshold: number;
  scope: string;
}

/** The presented (suppressed where the role needs it) figures of one period over the loaded facts. */
function shownFigures(people: readonly PersonFact[], period: Period, p: Presentation): ShownGroup['figures'] {
  return present({
    period,
    asOf: p.asOf,
    split: 'none',
    total: { key: 'all', label: 'All', figures: outcomeFigures(people, period, p.asOf) },
    groups: [],
    canSeePeople: p.canSeePeople,
    threshold: p.threshold,
    scope: p.scope,
  }).total.figures;
}

/** The trend figures from facts already loaded (pure: no database, no clock). */
export function trendsFrom(people: readonly PersonFact[], period: Period, p: Presentation): Trends {
  const quarters = quartersTo(period.to, TREND_QUARTERS).map((quarter) => ({
    quarter,
    partial: quarter.to > p.asOf,
    figures: shownFigures(people, quarter, p),
  }));
  return {
    period,
    asOf: p.asOf,
    scope: p.scope,
    canSeePeople: p.canSeePeople,
    threshold: p.threshold,
    quarters,
    selected: shownFigures(people, period, p),
  };
}

/** The figures for the charts of a period: the eight quarters up to it, and the period itself. */
export async function outcomeTrends(db: DbOrTrx, deps: { clock: Clock }, viewer: Viewer, period: Period): Promise<Trends> {
  const asOf = londonDate(deps.clock.now());
  // Referrals accepted over the charted quarters and the period itself.
  const first = quartersTo(period.to, TREND_QUARTERS)[0]!.from;
  const accepted = { from: first < period.from ? first : period.from, to: period.to };
  const [people, { disclosureThreshold }] = await Promise.all([loadFacts(db, viewer, accepted), settings.getSettings(db)]);
  const canSeePeople = seesPeople(viewer.role);
  return trendsFrom(people, period, {
    asOf,
    canSeePeople,
    threshold: disclosureThreshold,
    scope: canSeePeople ? 'Your team' : 'The whole service',
  });
}
