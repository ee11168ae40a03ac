import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ValidationError } from '../errors.ts';
import { linkWith, requestViewer } from '../http/route-helpers.ts';
import { parseInput } from '../http/validate.ts';
import { londonDate } from '../referrals/rules.ts';
import { type ReportQuery, ReportQuerySchema, periodOf } from './schema.ts';
import { outcomeTrends } from './trends.ts';

const PAGE = 'reports/views/charts.njk';

/** The report filters as typed, kept for the form and the links whatever their state. */
function typedQuery(request: FastifyRequest): { from: string; to: string; split: string } {
  const q = (request.query ?? {}) as Record<string, unknown>;
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  return { from: text(q.from), to: text(q.to), split: text(q.split) };
}

/** The outcome charts page: trends by quarter, days to employer contact and in-work figures. */
export async function outcomeChartRoutes(app: FastifyInstance): Promise<void> {
  const { db, deps } = app;

  app.get('/reports/outcomes/charts', async (request, reply) => {
    const viewer = requestViewer(request);
    const typed = typedQuery(request);
    let query: ReportQuery = { from: null, to: null, split: 'none' };
    let errors: Record<string, string> | undefined;
    try {
      query = parseInput(ReportQuerySchema, request.query);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      errors = err.fields;
    }
    // With a bad date the charts show the default period, and the form says what to correct.
    const period = periodOf(errors ? { from: null, to: null, split: 'none' } : query, londonDate(deps.clock.now()));
    const trends = await outcomeTrends(db, deps, viewer, period);
    // Plot and linkedom load with the first chart, not at start-up.
    const { outcomeCharts } = await import('./charts.ts');
    const charts = outcomeCharts(trends, period.label);
    const anyHidden = charts.some((c) => c.table.rows.some((r) => r.cells.some((x) => /hidden/i.test(x.text))));
    const backQuery = errors ? typed : { from: query.from, to: query.to, split: query.split === 'none' ? null : query.split };
    return reply.status(errors ? 400 : 200).render(PAGE, {
      title: 'Outcome charts',
      columnWidth: 'full',
      backHref: linkWith('/reports/outcomes', backQuery),
      errors,
      values: typed,
      period,
      scope: trends.scope,
      suppressed: !trends.canSeePeople,
      threshold: trends.threshold,
      charts,
      nothing: charts.every((c) => c.svg === null) && !anyHidden,
      asOf: trends.asOf,
    });
  });
}
