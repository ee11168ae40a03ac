import { requestViewer } from '../http/route-helpers.ts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import * as audit from '../audit/service.ts';
import { parseFormDate } from '../contacts/schema.ts';
import { ValidationError } from '../errors.ts';
import { auditContext } from '../http/audit-context.ts';
import { parseInput } from '../http/validate.ts';
import { londonDate } from '../referrals/rules.ts';
import {
  outcomesCsv,
  outcomesFileName,
  outcomesWorkbook,
  quarterlyReturnCsv,
  quarterlyReturnFileName,
  quarterlyReturnWorkbook,
} from './export.ts';
import { lastCompleteQuarter, quarterOf } from './outcomes.ts';
import { ReportQuerySchema, periodOf } from './schema.ts';
import { outcomeReport, present } from './service.ts';

/** An optional day in a query (`YYYY-MM-DD` or `DD/MM/YYYY`); null when not given. */
function dayParam(message: string) {
  return z
    .string({ error: message })
    .trim()
    .optional()
    .refine((v) => !v || parseFormDate(v) !== null, message)
    .transform((v) => (v ? (parseFormDate(v) ?? v) : null));
}

/**
 * The quarterly return's filter: any day in the quarter; none means the last complete quarter.
 * The report page links here with its own period, so without `quarter` its start date is used.
 */
export const QuarterlyReturnQuerySchema = z.object({
  quarter: dayParam('Quarter must be a real date in the quarter, like 2026-08-01').describe(
    'Any day in the quarter, YYYY-MM-DD. Default: the quarter of `from`, else the last complete quarter.',
  ),
  from: dayParam('Start date must be a real date, like 1/7/2026').describe(
    'The report period’s first day, used when no quarter is given.',
  ),
});

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Parses a download's query; a bad one is a 400 page that says what is wrong in words. */
function parseQuery<S extends z.ZodType>(schema: S, request: FastifyRequest): z.output<S> {
  try {
    return parseInput(schema, request.query);
  } catch (err) {
    if (err instanceof ValidationError) throw new ValidationError(err.fields, `${Object.values(err.fields).join('. ')}.`);
    throw err;
  }
}

function download(reply: FastifyReply, type: string, fileName: string, body: string | Buffer) {
  return reply
    .header('content-type', type)
    .header('content-disposition', `attachment; filename="${fileName}"`)
    .header('cache-control', 'no-store')
    .send(body);
}

/** Downloads of the outcome report and the quarterly return, with the same suppression as the page. */
export async function outcomeExportRoutes(app: FastifyInstance): Promise<void> {
  const { db, deps } = app;

  const exportOutcomes = async (request: FastifyRequest, reply: FastifyReply, format: 'csv' | 'xlsx') => {
    const viewer = requestViewer(request);
    const query = parseQuery(ReportQuerySchema, request);
    const now = deps.clock.now();
    const period = periodOf(query, londonDate(now));
    const report = present(await outcomeReport(db, deps, viewer, { from: period.from, to: period.to }, query.split));
    await audit.record(db, deps, auditContext(request), {
      action: 'report.outcomes_exported',
      details: { format, from: period.from, to: period.to, split: query.split },
    });
    const fileName = outcomesFileName(period, query.split, format);
    if (format === 'csv') return download(reply, 'text/csv; charset=utf-8', fileName, outcomesCsv(report));
    return download(
      reply,
      XLSX,
      fileName,
      await outcomesWorkbook(report, { periodLabel: period.label, generatedAt: now.toISOString() }),
    );
  };

  app.get('/reports/outcomes.csv', (request, reply) => exportOutcomes(request, reply, 'csv'));
  app.get('/reports/outcomes.xlsx', (request, reply) => exportOutcomes(request, reply, 'xlsx'));

  const exportReturn = async (request: FastifyRequest, reply: FastifyReply, format: 'csv' | 'xlsx') => {
    const viewer = requestViewer(request);
    const query = parseQuery(QuarterlyReturnQuerySchema, request);
    const now = deps.clock.now();
    const day = query.quarter ?? query.from;
    const quarter = day ? quarterOf(day) : lastCompleteQuarter(londonDate(now));
    const report = present(await outcomeReport(db, deps, viewer, { from: quarter.from, to: quarter.to }, 'team'));
    await audit.record(db, deps, auditContext(request), {
      action: 'report.quarterly_return_exported',
      details: { format, quarter: quarter.label, from: quarter.from, to: quarter.to },
    });
    const fileName = quarterlyReturnFileName(quarter, format);
    if (format === 'csv') return download(reply, 'text/csv; charset=utf-8', fileName, quarterlyReturnCsv(report, quarter));
    return download(
      reply,
      XLSX,
      fileName,
      await quarterlyReturnWorkbook(report, quarter, { periodLabel: quarter.label, generatedAt: now.toISOString() }),
    );
  };

  app.get('/reports/outcomes/quarterly-return.csv', (request, reply) => exportReturn(request, reply, 'csv'));
  app.get('/reports/outcomes/quarterly-return.xlsx', (request, reply) => exportReturn(request, reply, 'xlsx'));
}
