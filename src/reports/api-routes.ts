import { requestViewer } from '../http/route-helpers.ts';
import type { FastifyInstance } from 'fastify';
import { auditContext } from '../http/audit-context.ts';
import { parseInput } from '../http/validate.ts';
import { londonDate } from '../referrals/rules.ts';
import { OutcomeReportJsonSchema } from './api-schema.ts';
import { recordReportViewed } from './people.ts';
import { ReportQuerySchema, periodOf } from './schema.ts';
import { MEASURES, type ShownFigure, type ShownGroup, type ShownReport, outcomeReport, present } from './service.ts';

const TAG = 'reports';

/** A presented figure as the API shows it: counts bare, no people. */
function figureJson(f: ShownFigure | null): unknown {
  if (f === null) return null;
  if ('people' in f) return f.value;
  if ('numerator' in f) {
    return { numerator: f.numerator.value, denominator: f.denominator.value, percent: f.percent, hidden: f.hidden };
  }
  if ('buckets' in f) {
    return {
      count: f.count.value,
      median: f.median,
      hidden: f.hidden,
      buckets: f.buckets.map((b) => ({ label: b.label, count: b.count.value })),
      not_yet: f.not_yet.value,
    };
  }
  // A median in pence: whole pence, as all money in the API.
  return f.value === null ? null : Math.round(f.value);
}

function groupJson(g: ShownGroup) {
  return {
    group: { key: g.key, label: g.label },
    figures: Object.fromEntries(MEASURES.map((m) => [m.key, figureJson(g.figures[m.key] ?? null)])),
  };
}

/** The outcome report as the API answers it: aggregate figures only, never the people behind them. */
export function outcomesJson(r: ShownReport, label: string): Record<string, unknown> {
  return {
    period: { from: r.period.from, to: r.period.to, label },
    as_of: r.asOf,
    split: r.split,
    scope: r.scope,
    threshold: r.threshold,
    suppressed: !r.canSeePeople,
    definitions: Object.fromEntries(MEASURES.map((m) => [m.key, m.definition])),
    total: groupJson(r.total),
    groups: r.groups.map(groupJson),
  };
}

/** `GET /api/v1/reports/outcomes`. */
export async function reportApiRoutes(app: FastifyInstance): Promise<void> {
  const { db, deps } = app;

  const outcomesDoc = {
    summary:
      'The IPS outcome figures for a period (the last complete quarter unless `from` and `to` are given), optionally split. Practitioners and managers get their team’s exact figures; commissioners and administrators the whole service’s, with every count from 1 to the disclosure threshold shown as "<5" (the threshold is a setting), and "<5" also standing for a count hidden because, shown, it would let a small one be worked out; rates and medians over hidden counts are null. Aggregate figures only: the people behind them are listed on the report pages. The read is audited',
    tag: TAG,
    query: ReportQuerySchema,
    response: OutcomeReportJsonSchema,
  };
  app.get('/api/v1/reports/outcomes', { config: { api: outcomesDoc } }, async (request) => {
    const query = parseInput(ReportQuerySchema, request.query);
    const period = periodOf(query, londonDate(deps.clock.now()));
    const v = requestViewer(request);
    const report = present(await outcomeReport(db, { clock: deps.clock }, v, { from: period.from, to: period.to }, query.split));
    await recordReportViewed(db, deps, auditContext(request), report.period, report.split, 'api');
    return outcomesJson(report, period.label);
  });
}
