import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ValidationError } from '../errors.ts';
import { auditContext } from '../http/audit-context.ts';
import { pagePathId, paginationOf, requestViewer, typedValues } from '../http/route-helpers.ts';
import { parseInput } from '../http/validate.ts';
import { formatDate } from '../http/views.ts';
import type { ParticipantView } from '../participants/service.ts';
import { displayName } from '../profiles/service.ts';
import { londonDate } from '../referrals/rules.ts';
import { penceToPounds } from '../vacancies/rules.ts';
import { pounds } from './calculation.ts';
import { renderCalculationPdf } from './pdf.ts';
import { type Household, type Job, type Scenario, MAX_SCENARIOS, benefitText, sharedReasons } from './scenarios.ts';
import { CalculationFormSchema } from './schema.ts';
import * as benefits from './service.ts';

const LIST = 'benefits/views/list.njk';
const FORM = 'benefits/views/form.njk';
const SHOW = 'benefits/views/show.njk';
const PAGE_SIZE = 20;

const personId = (request: FastifyRequest) => pagePathId(request, 'id', 'Participant');
const base = (id: string) => `/participants/${id}/benefits`;

/** "16 hours at £12.21": a scenario's heading. */
export function jobHeading(job: Job): string {
  return `${job.hoursPerWeek} hours at ${pounds(job.hourlyPayPence)}`;
}

/** The household in words, for the summary list. */
function householdRows(h: Household) {
  return [
    { key: { text: 'Household' }, value: { text: h.household === 'single' ? 'Single' : 'Couple' } },
    { key: { text: h.ages.length > 1 ? 'Ages' : 'Age' }, value: { text: h.ages.join(' and ') } },
    { key: { text: 'Children' }, value: { text: h.children ? 'Yes' : 'No' } },
    {
      key: { text: 'Housing costs' },
      value: { text: h.housingCostsPence > 0 ? `${pounds(h.housingCostsPence)} a month` : 'None' },
    },
    { key: { text: 'Benefit now' }, value: { text: benefitText(h) } },
    { key: { text: 'Savings' }, value: { text: h.savingsPence > 0 ? pounds(h.savingsPence) : 'None' } },
  ];
}

/**
 * The side-by-side table: one column per job, one row per monthly figure. Kept to short money
 * figures so three jobs fit a 360 px phone without scrolling sideways.
 */
function comparison(scenarios: readonly Scenario[]) {
  const row = (label: string, pick: (s: Scenario) => string) => ({ label, cells: scenarios.map(pick) });
  const money = (f: (s: Scenario) => number) => (s: Scenario) => pounds(f(s));
  const rows = [
    row(
      'Pay before deductions',
      money((s) => s.result.grossPayPence),
    ),
    row(
      'Pension',
      money((s) => s.result.pensionPence),
    ),
    row(
      'Income tax',
      money((s) => s.result.incomeTaxPence),
    ),
    row(
      'National Insurance',
      money((s) => s.result.nationalInsurancePence),
    ),
    row(
      'Take-home pay',
      money((s) => s.result.netPayPence),
    ),
    row(
      'Universal Credit now',
      money((s) => s.result.ucBeforePence),
    ),
    row(
      'Universal Credit with the job',
      money((s) => s.result.ucAfterPence),
    ),
    row(
      'Income out of work',
      money((s) => s.result.totalOutOfWorkPence),
    ),
    row(
      'Income in work',
      money((s) => s.result.totalInWorkPence),
    ),
  ];
  if (scenarios.some((s) => s.result.permittedWork !== null))
    rows.push(row('ESA permitted work?', (s) => (s.result.permittedWork === null ? '—' : s.result.permittedWork ? 'Yes' : 'No')));
  return {
    headings: scenarios.map((s) => jobHeading(s.job)),
    rows,
    differences: scenarios.map((s) => ({
      better: s.result.differencePence >= 0,
      text: `${s.result.differencePence >= 0 ? 'Better off by' : 'Worse off by'} ${pounds(Math.abs(s.result.differencePence))}`,
    })),
    working: scenarios.map((s) => ({ heading: jobHeading(s.job), steps: s.result.steps })),
    reasons: sharedReasons(scenarios),
  };
}

/** The form's fields from a draft: money back in pounds, empty rows for unused jobs. */
function formValues(d: benefits.CalculationDraft): Record<string, string> {
  const h = d.household;
  const values: Record<string, string> = {
    date: d.date,
    household: h.household,
    age: h.ages[0] === undefined ? '' : String(h.ages[0]),
    partner_age: h.ages[1] === undefined ? '' : String(h.ages[1]),
    children: h.children ? 'yes' : 'no',
    housing_costs: h.housingCostsPence > 0 ? penceToPounds(h.housingCostsPence) : '',
    benefit: h.benefit,
    lcwra: h.lcwra ? 'yes' : 'no',
    savings: h.savingsPence > 0 ? penceToPounds(h.savingsPence) : '',
    notes: d.notes ?? '',
  };
  d.jobs.slice(0, MAX_SCENARIOS).forEach((j, i) => {
    values[`hours_${i + 1}`] = String(j.hoursPerWeek);
    values[`pay_${i + 1}`] = j.hourlyPayPence > 0 ? penceToPounds(j.hourlyPayPence) : '';
    values[`pension_${i + 1}`] = j.pensionPercent ? String(j.pensionPercent) : '';
  });
  return values;
}

/** Benefits counselling pages: a person's saved calculations, working one out, and its PDF. */
export async function benefitsRoutes(app: FastifyInstance): Promise<void> {
  const { db, deps } = app;

  const heading = (p: ParticipantView) => ({ participant: p, name: displayName(p), listHref: base(p.id) });

  app.get('/participants/:id/benefits', async (request, reply) => {
    const id = personId(request);
    const v = requestViewer(request);
    const page = Math.max(1, Number((request.query as Record<string, unknown>).page) || 1);
    const p = await benefits.loadPerson(db, v, id);
    const { items, total } = await benefits.listCalculations(
      db,
      deps,
      auditContext(request),
      v,
      id,
      PAGE_SIZE,
      (page - 1) * PAGE_SIZE,
    );
    return reply.render(LIST, {
      ...heading(p),
      title: `Benefits calculations: ${displayName(p)}`,
      backHref: `/participants/${id}`,
      newHref: `${base(id)}/new`,
      calculations: items.map((c) => ({
        href: `${base(id)}/${c.id}`,
        dateText: formatDate(c.calculatedOn),
        taxYear: c.taxYear ?? 'No rates',
        jobsText: c.scenarios.map((s) => jobHeading(s.job)).join('; '),
        needsCheck: sharedReasons(c.scenarios).length > 0,
        by: c.createdByName ?? 'Unknown',
      })),
      pages: paginationOf(page, total, PAGE_SIZE, (n) => `${base(id)}?page=${n}`),
    });
  });

  const formContext = (p: ParticipantView) => ({
    ...heading(p),
    title: 'Better off in work?',
    backHref: base(p.id),
    action: `${base(p.id)}/new`,
    columnWidth: 'full',
    scenarioNumbers: Array.from({ length: MAX_SCENARIOS }, (_, i) => i + 1),
  });

  app.get('/participants/:id/benefits/new', async (request, reply) => {
    const id = personId(request);
    const v = requestViewer(request);
    const p = await benefits.loadPerson(db, v, id);
    const draft = await benefits.startingDraft(db, deps, auditContext(request), v, id);
    return reply.render(FORM, { ...formContext(p), values: formValues(draft), fromRecord: true });
  });

  app.post('/participants/:id/benefits/new', async (request, reply) => {
    const id = personId(request);
    const v = requestViewer(request);
    const p = await benefits.loadPerson(db, v, id);
    let form;
    try {
      form = parseInput(CalculationFormSchema, request.body);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return reply.status(400).render(FORM, { ...formContext(p), values: typedValues(request.body), errors: err.fields });
    }
    const draft = { date: form.date, household: form.household, jobs: form.jobs, notes: form.notes };
    if (form.action === 'save') {
      const saved = await db
        .transaction()
        .execute((trx) => benefits.saveCalculation(trx, deps, auditContext(request), v, id, draft));
      return reply.redirect(`${base(id)}/${saved.id}?done=saved`);
    }
    const scenarios = await benefits.workOut(db, v, id, draft);
    return reply.render(FORM, {
      ...formContext(p),
      values: { ...typedValues(request.body), date: form.date },
      result: { ...comparison(scenarios), taxYear: scenarios[0]?.result.taxYear ?? null, dateText: formatDate(form.date) },
    });
  });

  app.get('/participants/:id/benefits/:calculationId', async (request, reply) => {
    const id = personId(request);
    const v = requestViewer(request);
    const calcId = pagePathId(request, 'calculationId', 'Benefits calculation');
    const p = await benefits.loadPerson(db, v, id);
    const c = await benefits.viewCalculation(db, deps, auditContext(request), v, id, calcId);
    return reply.render(SHOW, {
      ...heading(p),
      title: `Better off in work? ${formatDate(c.calculatedOn)}`,
      backHref: base(id),
      columnWidth: 'full',
      flash: (request.query as Record<string, unknown>).done === 'saved' ? 'Calculation saved to the record' : undefined,
      c,
      dateText: formatDate(c.calculatedOn),
      savedText: `Saved by ${c.createdByName ?? 'someone no longer listed'} on ${formatDate(londonDate(new Date(c.createdAt)))}`,
      householdRows: householdRows(c.household),
      result: comparison(c.scenarios),
      pdfHref: `${base(id)}/${c.id}/calculation.pdf`,
      againHref: `${base(id)}/new`,
    });
  });

  app.get('/participants/:id/benefits/:calculationId/calculation.pdf', async (request, reply) => {
    const id = personId(request);
    const v = requestViewer(request);
    const calcId = pagePathId(request, 'calculationId', 'Benefits calculation');
    const p = await benefits.loadPerson(db, v, id);
    const c = await benefits.viewCalculation(db, deps, auditContext(request), v, id, calcId, 'pdf');
    const pdf = await renderCalculationPdf(c, { name: displayName(p) }, londonDate(deps.clock.now()));
    return reply
      .header('content-type', 'application/pdf')
      .header('content-disposition', `attachment; filename="better-off-calculation-${c.calculatedOn}.pdf"`)
      .header('cache-control', 'no-store')
      .send(pdf);
  });
}
