import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { pagePathId as pathId } from '../http/route-helpers.ts';
import { ConflictError, NotFoundError, RuleError, ValidationError } from '../errors.ts';
import * as employers from '../employers/service.ts';
import { auditContext } from '../http/audit-context.ts';
import { parseInput } from '../http/validate.ts';
import { formatDate } from '../http/views.ts';
import * as participants from '../participants/service.ts';
import { CONTRACT_TYPES, CONTRACT_TYPE_LABELS, type ContractType } from '../placements/rules.ts';
import { formatPence } from '../profiles/rules.ts';
import { londonDate } from '../referrals/rules.ts';
import * as graduation from './graduation.ts';
import {
  type GraduationFormInput,
  GraduationFormSchema,
  HandOverFormSchema,
  isEmployedOutcome,
  missingGraduationFields,
} from './graduation-schema.ts';
import { INTERN_STATUS_LABELS, OUTCOMES, OUTCOME_LABELS, OUTCOME_MIN_HOURS } from './rules.ts';
import type { Intern } from './service.ts';

const GRADUATION = 'internships/views/graduation.njk';
const HAND_OVER = 'internships/views/hand-over.njk';
const REPORT = 'internships/views/report.njk';

const statusItems = [
  { value: 'graduated', text: 'They finished the internship (graduated)' },
  { value: 'withdrawn', text: 'They left the internship early' },
];
const outcomeItems = OUTCOMES.map((o) => ({ value: o, text: OUTCOME_LABELS[o] }));
const yesNoItems = [
  { value: 'yes', text: 'Yes' },
  { value: 'no', text: 'No' },
];
const contractItems = [
  { value: '', text: 'Not recorded' },
  ...CONTRACT_TYPES.map((c) => ({ value: c, text: CONTRACT_TYPE_LABELS[c] })),
];

/** The programme outcome definition, in plain words, wherever a verdict or a rate is shown. */
export const OUTCOME_DEFINITION = `A graduate counts as a programme outcome when they are in a paid job of ${OUTCOME_MIN_HOURS} hours a week or more that is not seasonal, where they work alongside colleagues who are not disabled, and that pays at least the legal minimum wage for their age. The outcome rate is those graduates as a share of everyone who graduated.`;

function viewer(request: FastifyRequest) {
  if (!request.actor) throw new NotFoundError('Intern not found');
  return participants.viewerOf(request.actor);
}

/** What a form posted, to show again: never the CSRF token. */
function typedValues(body: unknown): Record<string, unknown> {
  return Object.fromEntries(Object.entries((body ?? {}) as Record<string, unknown>).filter(([k]) => k !== '_csrf'));
}

const yesNo = (v: boolean | null) => (v === null ? '' : v ? 'yes' : 'no');

/** The verdict as the pages show it: a headline and each reason marked as fitting or not. */
function verdictView(intern: Intern) {
  if (!isEmployedOutcome(intern.outcome)) return null;
  return {
    meets: intern.programmeOutcome.meets,
    headline: intern.programmeOutcome.meets
      ? 'This job meets the programme outcome'
      : 'This job does not meet the programme outcome',
    reasons: intern.programmeOutcome.reasons.map((r) => ({ ...r, prefix: r.fits ? 'Meets' : 'Does not meet' })),
  };
}

/** The intern's recorded end and job, as short facts. */
function summaryView(intern: Intern, employerName: string | null) {
  const job = intern.job;
  return {
    statusLabel: INTERN_STATUS_LABELS[intern.status],
    outcomeLabel: intern.outcome ? OUTCOME_LABELS[intern.outcome] : null,
    outcomeDateText: intern.outcomeDate ? formatDate(intern.outcomeDate) : null,
    jobText: isEmployedOutcome(intern.outcome) && job.title ? `${job.title} at ${employerName ?? 'an employer'}` : null,
    jobStartText: job.startDate ? formatDate(job.startDate) : null,
    hoursText: job.hoursPerWeek === null ? null : `${job.hoursPerWeek} hours a week`,
    payText: job.hourlyPayPence === null ? null : `${formatPence(job.hourlyPayPence)} an hour`,
    contractText: job.contractType ? (CONTRACT_TYPE_LABELS[job.contractType as ContractType] ?? job.contractType) : null,
    lineManager: job.lineManager,
  };
}

/** Graduation, the hand-over to follow-on support, and the internship outcomes report. */
export async function graduationRoutes(app: FastifyInstance): Promise<void> {
  const { db, deps } = app;

  const employerName = async (request: FastifyRequest, id: string | null) =>
    id ? ((await employers.getEmployer(db, viewer(request), id).catch(() => undefined))?.name ?? null) : null;

  // ---- Graduation --------------------------------------------------------------------------------

  /** The form's values from what is saved; a new graduation starts with today and the host as employer. */
  const savedValues = async (request: FastifyRequest, picture: graduation.InternPicture): Promise<Record<string, unknown>> => {
    const { intern, cohort } = picture;
    const job = intern.job;
    return {
      status: intern.status === 'active' ? '' : intern.status,
      outcome: intern.outcome ?? '',
      outcome_date: intern.outcomeDate ?? londonDate(deps.clock.now()),
      outcome_note: intern.outcomeNote ?? '',
      employer: (await employerName(request, job.employerId)) ?? cohort.hostName,
      job_title: job.title ?? '',
      department_id: job.departmentId ?? '',
      site_id: job.siteId ?? '',
      job_start_date: job.startDate ?? '',
      hours_per_week: job.hoursPerWeek === null ? '' : String(job.hoursPerWeek),
      hourly_pay: job.hourlyPayPence === null ? '' : (job.hourlyPayPence / 100).toFixed(2),
      seasonal: yesNo(job.seasonal),
      integrated: yesNo(job.integrated),
      contract_type: job.contractType ?? '',
      line_manager: job.lineManager ?? '',
      version: String(intern.version),
    };
  };

  /** Everything the graduation page shows besides the form's values. */
  const graduationContext = async (request: FastifyRequest, picture: graduation.InternPicture, typedEmployer: unknown) => {
    const { cohort, intern } = picture;
    const v = viewer(request);
    const employer =
      typeof typedEmployer === 'string' && typedEmployer.trim() ? await employers.findByName(db, typedEmployer) : undefined;
    const parts = employer ? await employers.employerParts(db, v, employer.id) : null;
    const none = (text: string) => [{ value: '', text }];
    const savedEmployer = await employerName(request, intern.job.employerId);
    return {
      title: intern.status === 'active' ? 'Record graduation' : 'Graduation and outcome',
      name: intern.name,
      cohort,
      intern,
      internHref: `/cohorts/${cohort.id}/interns/${intern.id}`,
      backHref: `/cohorts/${cohort.id}/interns/${intern.id}`,
      action: `/cohorts/${cohort.id}/interns/${intern.id}/graduation`,
      handOverHref: `/cohorts/${cohort.id}/interns/${intern.id}/hand-over`,
      canHandOver: graduation.handOverProblem(intern) === null && picture.participant.canEdit,
      readOnly: intern.handedOverAt !== null || !picture.participant.canEdit,
      handedOverText: intern.handedOverAt ? formatDate(intern.handedOverAt) : null,
      summary: summaryView(intern, savedEmployer),
      verdict: verdictView(intern),
      definition: OUTCOME_DEFINITION,
      statusItems,
      outcomeItems,
      yesNoItems,
      contractItems,
      employerNames: await employers.employerNames(db, v),
      departmentItems:
        parts && parts.departments.length > 0
          ? [...none('Not in a department'), ...parts.departments.map((d) => ({ value: d.id, text: d.name }))]
          : null,
      siteItems:
        parts && parts.sites.length > 0
          ? [...none('Not at one site'), ...parts.sites.map((s) => ({ value: s.id, text: s.name }))]
          : null,
    };
  };

  app.get('/cohorts/:id/interns/:internId/graduation', async (request, reply) => {
    const id = pathId(request, 'id', 'Cohort');
    const internId = pathId(request, 'internId', 'Intern');
    const picture = await graduation.viewGraduation(db, deps, auditContext(request), viewer(request), id, internId);
    const values = await savedValues(request, picture);
    const done = (request.query as Record<string, unknown>).done;
    return reply.render(GRADUATION, {
      ...(await graduationContext(request, picture, values.employer)),
      values,
      flash: done === 'saved' ? 'Graduation saved' : undefined,
    });
  });

  /** Parses the form with its typed employer, so every problem is shown at once. */
  const readGraduation = async (body: unknown): Promise<{ input: graduation.GraduationInput; version: number }> => {
    const raw = (body ?? {}) as Record<string, unknown>;
    const employed = isEmployedOutcome(raw.outcome);
    const named = employed ? await employers.employerTypedInForm(db, raw.employer) : null;
    let input: GraduationFormInput | undefined;
    let fields: Record<string, string> = {};
    try {
      input = parseInput(GraduationFormSchema, body);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      fields = err.fields;
    }
    fields = { ...missingGraduationFields(raw), ...fields };
    if (named?.problem && !fields.employer) fields.employer = named.problem;
    if (Object.keys(fields).length > 0 || !input || !input.status || !input.outcome_date) throw new ValidationError(fields);
    const job =
      employed && named?.employer
        ? {
            employerId: named.employer.id,
            title: input.job_title ?? '',
            departmentId: input.department_id,
            siteId: input.site_id,
            startDate: input.job_start_date ?? '',
            hoursPerWeek: input.hours_per_week ?? 0,
            hourlyPayPence: input.hourly_pay ?? 0,
            seasonal: input.seasonal ?? false,
            integrated: input.integrated ?? false,
            contractType: input.contract_type,
            lineManager: input.line_manager,
          }
        : null;
    return {
      input: { status: input.status, outcome: input.outcome, outcomeDate: input.outcome_date, note: input.outcome_note, job },
      version: input.version,
    };
  };

  app.post('/cohorts/:id/interns/:internId/graduation', async (request, reply) => {
    const id = pathId(request, 'id', 'Cohort');
    const internId = pathId(request, 'internId', 'Intern');
    const v = viewer(request);
    const values = typedValues(request.body);
    const showAgain = async (status: number, errors: Record<string, string>, version?: number) => {
      const picture = await graduation.viewGraduation(db, deps, auditContext(request), v, id, internId);
      return reply.status(status).render(GRADUATION, {
        ...(await graduationContext(request, picture, values.employer)),
        values: version === undefined ? values : { ...values, version: String(version) },
        errors,
      });
    };
    try {
      const { input, version } = await readGraduation(request.body);
      await db
        .transaction()
        .execute((trx) => graduation.recordGraduation(trx, deps, auditContext(request), v, id, internId, version, input));
    } catch (err) {
      if (err instanceof ValidationError) {
        // The service names the employer's id; the form shows it beside "Employer".
        const { employer_id: employerProblem, ...rest } = err.fields;
        return showAgain(400, employerProblem ? { employer: employerProblem, ...rest } : rest);
      }
      if (err instanceof ConflictError) {
        const picture = await graduation.viewGraduation(db, deps, auditContext(request), v, id, internId);
        return showAgain(
          409,
          { status: `${err.message}. Check your changes against what is saved now, then save again` },
          picture.intern.version,
        );
      }
      throw err;
    }
    return reply.redirect(`/cohorts/${id}/interns/${internId}/graduation?done=saved`);
  });

  // ---- Hand-over ---------------------------------------------------------------------------------

  const handOverContext = async (request: FastifyRequest, id: string, internId: string) => {
    const v = viewer(request);
    const state = await graduation.viewHandOver(db, deps, auditContext(request), v, id, internId);
    const { cohort, intern } = state;
    const stillVisible = intern.name !== null;
    const choices = state.problem === null ? await graduation.coachChoices(db) : [];
    return {
      title: intern.handedOverAt ? 'Follow-on support started' : 'Start follow-on support',
      name: intern.name,
      cohort,
      intern,
      backHref: stillVisible ? `/cohorts/${cohort.id}/interns/${intern.id}` : `/cohorts/${cohort.id}`,
      action: `/cohorts/${cohort.id}/interns/${intern.id}/hand-over`,
      graduationHref: `/cohorts/${cohort.id}/interns/${intern.id}/graduation`,
      personHref: stillVisible ? `/participants/${intern.participantId}` : null,
      problem: intern.handedOverAt ? null : state.problem,
      handedOverText: intern.handedOverAt ? formatDate(intern.handedOverAt) : null,
      followOnName: state.followOnName,
      summary: summaryView(intern, await employerName(request, intern.job.employerId)),
      verdict: verdictView(intern),
      coachItems: [
        { value: '', text: 'Select the follow-on job coach' },
        ...choices.map((c) => ({ value: c.id, text: c.teamName ? `${c.name} (${c.teamName})` : c.name })),
      ],
    };
  };

  app.get('/cohorts/:id/interns/:internId/hand-over', async (request, reply) => {
    const id = pathId(request, 'id', 'Cohort');
    const internId = pathId(request, 'internId', 'Intern');
    const context = await handOverContext(request, id, internId);
    const done = (request.query as Record<string, unknown>).done;
    return reply.render(HAND_OVER, {
      ...context,
      values: { version: String(context.intern.version) },
      flash: done === 'handed_over' && context.intern.handedOverAt ? 'Follow-on support started' : undefined,
    });
  });

  app.post('/cohorts/:id/interns/:internId/hand-over', async (request: FastifyRequest, reply: FastifyReply) => {
    const id = pathId(request, 'id', 'Cohort');
    const internId = pathId(request, 'internId', 'Intern');
    const v = viewer(request);
    const values = typedValues(request.body);
    try {
      const input = parseInput(HandOverFormSchema, request.body);
      await db
        .transaction()
        .execute((trx) => graduation.handOver(trx, deps, auditContext(request), v, id, internId, input.version, input.coach_id));
    } catch (err) {
      if (err instanceof ValidationError || err instanceof RuleError || err instanceof ConflictError) {
        const context = await handOverContext(request, id, internId);
        const errors = err instanceof ValidationError ? err.fields : { coach_id: err.message };
        return reply.status(err.statusCode).render(HAND_OVER, {
          ...context,
          values: { ...values, version: String(context.intern.version) },
          errors,
        });
      }
      throw err;
    }
    return reply.redirect(`/cohorts/${id}/interns/${internId}/hand-over?done=handed_over`);
  });

  // ---- Report ------------------------------------------------------------------------------------

  const rateText = (r: graduation.ReportRow) => (r.ratePercent === null ? 'No graduates yet' : `${r.ratePercent}%`);
  const reportRow = (r: graduation.ReportRow) => ({
    ...r,
    href: r.cohortId ? `/cohorts/${r.cohortId}` : null,
    rateText: rateText(r),
    sentence:
      r.graduates === 0
        ? 'No graduates yet'
        : `${r.programmeOutcomes} of ${r.graduates} ${r.graduates === 1 ? 'graduate' : 'graduates'} (${r.ratePercent}%) into a job meeting the programme outcome`,
  });

  app.get('/reports/internships', async (request, reply) => {
    const report = await graduation.internshipReport(db, viewer(request));
    return reply.render(REPORT, {
      title: 'Supported internship outcomes',
      columnWidth: 'full',
      cohorts: report.cohorts.map(reportRow),
      years: report.years.map(reportRow),
      overall: reportRow(report.overall),
      definition: OUTCOME_DEFINITION,
    });
  });

  app.get('/reports/internships.csv', async (request, reply) => {
    const report = await graduation.internshipReport(db, viewer(request));
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="internship-outcomes-${londonDate(deps.clock.now())}.csv"`)
      .header('cache-control', 'no-store')
      .send(graduation.reportCsv(report));
  });
}
