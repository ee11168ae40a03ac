import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import { auditContext } from '../http/audit-context.ts';
import { pagePathId, typedValues } from '../http/route-helpers.ts';
import { parseInput } from '../http/validate.ts';
import type { Viewer } from '../participants/rules.ts';
import * as participants from '../participants/service.ts';
import type { ParticipantView } from '../participants/service.ts';
import { displayName } from '../profiles/service.ts';
import { dayText, londonDate } from '../referrals/rules.ts';
import * as settings from '../settings/service.ts';
import * as support from '../support/service.ts';
import { addDays } from '../support/rules.ts';
import * as users from '../users/service.ts';
import { deliveryChart } from './chart.ts';
import {
  APPLICATION_STATUSES,
  APPLICATION_STATUS_LABELS,
  APPLIED_BY,
  APPLIED_BY_LABELS,
  CLAIM_STATUS_LABELS,
  HOURLY_KINDS,
  type PeriodFigures,
  SUPPORT_KINDS,
  SUPPORT_KIND_LABELS,
  minutesAsHours,
  poundsPlain,
  poundsText,
  weeklyMinutes,
} from './rules.ts';
import { ApplicationFormSchema, AwardFormSchema, NotRenewingFormSchema } from './schema.ts';
import * as atw from './service.ts';

const OVERVIEW = 'access-to-work/views/overview.njk';
const APPLICATION_FORM = 'access-to-work/views/application-form.njk';
const AWARD_FORM = 'access-to-work/views/award-form.njk';
const AWARD = 'access-to-work/views/award.njk';
const NOT_RENEWING = 'access-to-work/views/not-renewing.njk';

const DONE_MESSAGES: Record<string, string> = {
  'application-added': 'Application added',
  'application-saved': 'Application saved',
  'award-added': 'Award added',
  'award-saved': 'Award saved',
  renewed: 'Renewal added: it is linked to the award it renews',
  'not-renewing': 'Recorded that this award will not be renewed',
  'renewal-expected': 'The award is expected to be renewed again',
  'claim-deleted': 'Draft claim deleted',
};

const appliedByItems = APPLIED_BY.map((v) => ({ value: v, text: APPLIED_BY_LABELS[v] }));
const statusItems = APPLICATION_STATUSES.map((v) => ({ value: v, text: APPLICATION_STATUS_LABELS[v] }));
const kindItems = SUPPORT_KINDS.map((v) => ({ value: v, text: SUPPORT_KIND_LABELS[v] }));

const base = (participantId: string) => `/participants/${participantId}/access-to-work`;

/** "2.50 hours", "1.00 hour". */
const hoursText = (minutes: number) => `${minutesAsHours(minutes)} ${Math.abs(minutes) === 60 ? 'hour' : 'hours'}`;

function viewer(request: FastifyRequest): Viewer {
  if (!request.actor) throw new NotFoundError('Participant not found');
  return participants.viewerOf(request.actor);
}

const personId = (request: FastifyRequest) => pagePathId(request, 'id', 'Participant');

/** What a form posted, to show again: never the CSRF token. */
/** "Job coach, 1 March 2026 to 28 February 2027 (AtW/123)": an award as pickers and links show it. */
function awardLabel(a: atw.Award): string {
  return `${SUPPORT_KIND_LABELS[a.supportKind]}, ${dayText(a.startDate)} to ${dayText(a.endDate)}${a.reference ? ` (${a.reference})` : ''}`;
}

function applicationLabel(a: atw.Application): string {
  const sent = a.sentDate ? `, sent ${dayText(a.sentDate)}` : '';
  return `${SUPPORT_KIND_LABELS[a.supportKind]}${a.reference ? ` (${a.reference})` : ''}: ${APPLICATION_STATUS_LABELS[a.status].toLowerCase()}${sent}`;
}

/** "Porter at City Hospital". */
function jobLabel(j: support.Job): string {
  return j.employerName ? `${j.title} at ${j.employerName}` : j.title;
}

/** The hours an award gives, in words. */
function awardedHoursText(a: atw.Award): string {
  if (a.hoursPerWeek !== null) return `${a.hoursPerWeek} ${a.hoursPerWeek === 1 ? 'hour' : 'hours'} a week`;
  if (a.hoursTotal !== null) return `${a.hoursTotal} ${a.hoursTotal === 1 ? 'hour' : 'hours'} in total`;
  return 'Not hourly support';
}

/** The renewal alert in words: when the award ends and from when a renewal can be sent. */
function renewalText(a: atw.AwardSummary, today: string): string {
  return a.endDate < today
    ? `Apply to renew: the award ended on ${dayText(a.endDate)}.`
    : `Apply to renew: the award ends on ${dayText(a.endDate)}; renewals can be sent from ${dayText(a.renewalAlertFrom)}.`;
}

/** A month's state as the award page says it. */
function periodStateText(p: PeriodFigures): string {
  switch (p.state) {
    case 'under':
      return `Under by ${hoursText(-p.differenceMinutes)}`;
    case 'over':
      return `Over by ${hoursText(p.differenceMinutes)}`;
    case 'in_progress':
      return 'In progress';
    case 'not_started':
      return 'Not started';
    default:
      return 'As awarded';
  }
}

function claimRow(participantId: string, c: atw.ClaimHeader) {
  return {
    href: `${base(participantId)}/claims/${c.id}`,
    periodText: `${dayText(c.periodStart)} to ${dayText(c.periodEnd)}`,
    statusLabel: CLAIM_STATUS_LABELS[c.status],
    hoursText: hoursText(c.totalMinutes),
    totalText: poundsText(c.totalPence),
    reference: c.awardReference,
  };
}

/** The form's values for a saved application. */
function applicationValues(a: atw.Application): Record<string, unknown> {
  return {
    applied_by: a.appliedBy,
    applicant_name: a.applicantName ?? '',
    sent_date: a.sentDate ?? '',
    reference: a.reference ?? '',
    status: a.status,
    decision_date: a.decisionDate ?? '',
    support_kind: a.supportKind,
    hours_per_week: a.hoursPerWeek === null ? '' : String(a.hoursPerWeek),
    expected_start_date: a.expectedStartDate ?? '',
    renews_award_id: a.renewsAwardId ?? 'none',
    notes: a.notes ?? '',
    version: String(a.version),
  };
}

const money = (pence: number | null) => (pence === null ? '' : poundsPlain(pence));

/** The form's values for an award's terms (a saved award, or the one a renewal carries on). */
function awardTermValues(a: atw.Award): Record<string, unknown> {
  return {
    support_kind: a.supportKind,
    hours_per_week: a.hoursPerWeek === null ? '' : String(a.hoursPerWeek),
    hours_total: a.hoursTotal === null ? '' : String(a.hoursTotal),
    hourly_rate: money(a.hourlyRatePence),
    coach_user_id: a.coachUserId ?? '',
    placement_id: a.placementId ?? 'none',
  };
}

function awardValues(a: atw.Award): Record<string, unknown> {
  return {
    ...awardTermValues(a),
    reference: a.reference ?? '',
    application_id: a.applicationId ?? 'none',
    start_date: a.startDate,
    end_date: a.endDate,
    total_amount: money(a.totalAmountPence),
    employer_contribution: money(a.employerContributionPence),
    renews_award_id: a.renewsAwardId ?? 'none',
    notes: a.notes ?? '',
    version: String(a.version),
  };
}

/** The person's Access to Work pages: overview, applications, awards and the award's delivery. */
export async function accessToWorkRoutes(app: FastifyInstance): Promise<void> {
  const { db, deps } = app;
  const today = () => londonDate(deps.clock.now());

  /** The person, for headings; Access to Work's own reads check the role and audit. */
  const heading = (p: ParticipantView) => ({
    participant: p,
    name: displayName(p),
    overviewHref: base(p.id),
  });

  // ---- Overview ----------------------------------------------------------------------------------

  app.get('/participants/:id/access-to-work', async (request, reply) => {
    const id = personId(request);
    const v = viewer(request);
    const o = await atw.overview(db, deps, auditContext(request), v, id);
    const p = await participants.loadVisible(db, v, id);
    const done = (request.query as Record<string, unknown>).done;
    return reply.render(OVERVIEW, {
      ...heading(p),
      title: `Access to Work: ${displayName(p)}`,
      backHref: `/participants/${id}`,
      columnWidth: 'full',
      flash: typeof done === 'string' ? DONE_MESSAGES[done] : undefined,
      canEdit: p.canEdit,
      renewals: o.awards
        .filter((a) => a.renewalDue)
        .map((a) => ({
          href: `${base(id)}/awards/${a.id}`,
          renewHref: `${base(id)}/awards/new?renews=${a.id}`,
          label: awardLabel(a),
          text: renewalText(a, today()),
        })),
      applications: o.applications.map((a) => ({
        ...a,
        href: `${base(id)}/applications/${a.id}/edit`,
        kindLabel: SUPPORT_KIND_LABELS[a.supportKind],
        statusLabel: APPLICATION_STATUS_LABELS[a.status],
        appliedByLabel: APPLIED_BY_LABELS[a.appliedBy],
      })),
      awards: o.awards.map((a) => {
        const hourly = HOURLY_KINDS.includes(a.supportKind);
        return {
          ...a,
          href: `${base(id)}/awards/${a.id}`,
          renewHref: a.renewedById === null ? `${base(id)}/awards/new?renews=${a.id}` : null,
          kindLabel: SUPPORT_KIND_LABELS[a.supportKind],
          datesText: `${dayText(a.startDate)} to ${dayText(a.endDate)}`,
          hourly,
          awardedText: hourly ? hoursText(a.awardedMinutes) : '—',
          deliveredText: hourly ? hoursText(a.deliveredMinutes) : '—',
          leftText: hourly ? hoursText(a.leftMinutes) : '—',
          rateText: a.hourlyRatePence !== null ? `${poundsText(a.hourlyRatePence)} an hour` : '—',
          claimedText: poundsText(a.claimedPence),
        };
      }),
      claims: o.claims.map((c) => claimRow(id, c)),
    });
  });

  // ---- Applications ------------------------------------------------------------------------------

  const applicationContext = async (v: Viewer, p: ParticipantView, application: atw.Application | null) => {
    const { awards } = await atw.listFor(db, v, p.id);
    return {
      ...heading(p),
      title: application ? 'Change the application' : 'Add an application',
      backHref: base(p.id),
      action: application ? `${base(p.id)}/applications/${application.id}/edit` : `${base(p.id)}/applications/new`,
      application,
      appliedByItems,
      statusItems,
      kindItems,
      renewsItems: [
        { value: 'none', text: 'No, it is a first application' },
        ...awards.map((a) => ({ value: a.id, text: awardLabel(a) })),
      ],
    };
  };

  const applicationInput = (body: unknown): { input: atw.ApplicationInput; version: number | undefined } => {
    const f = parseInput(ApplicationFormSchema, body);
    return {
      version: f.version,
      input: {
        appliedBy: f.applied_by,
        applicantName: f.applicant_name,
        sentDate: f.sent_date,
        reference: f.reference,
        status: f.status,
        decisionDate: f.decision_date,
        supportKind: f.support_kind,
        hoursPerWeek: f.hours_per_week,
        expectedStartDate: f.expected_start_date,
        renewsAwardId: f.renews_award_id,
        notes: f.notes,
      },
    };
  };

  app.get('/participants/:id/access-to-work/applications/new', async (request, reply) => {
    const id = personId(request);
    const v = viewer(request);
    const p = await participants.loadEditable(db, v, id);
    return reply.render(APPLICATION_FORM, {
      ...(await applicationContext(v, p, null)),
      values: { applied_by: 'coach', status: 'preparing', support_kind: 'job_coach', renews_award_id: 'none' },
    });
  });

  app.post('/participants/:id/access-to-work/applications/new', async (request, reply) => {
    const id = personId(request);
    const v = viewer(request);
    try {
      const { input } = applicationInput(request.body);
      await db.transaction().execute((trx) => atw.createApplication(trx, deps, auditContext(request), v, id, input));
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      const p = await participants.loadEditable(db, v, id);
      return reply.status(400).render(APPLICATION_FORM, {
        ...(await applicationContext(v, p, null)),
        values: typedValues(request.body),
        errors: err.fields,
      });
    }
    return reply.redirect(`${base(id)}?done=application-added`);
  });

  const applicationId = (request: FastifyRequest) => pagePathId(request, 'applicationId', 'Application');

  app.get('/participants/:id/access-to-work/applications/:applicationId/edit', async (request, reply) => {
    const id = personId(request);
    const v = viewer(request);
    const application = await atw.getApplication(db, v, id, applicationId(request));
    const p = await participants.loadEditable(db, v, id);
    return reply.render(APPLICATION_FORM, {
      ...(await applicationContext(v, p, application)),
      values: applicationValues(application),
    });
  });

  app.post('/participants/:id/access-to-work/applications/:applicationId/edit', async (request, reply) => {
    const id = personId(request);
    const appId = applicationId(request);
    const v = viewer(request);
    try {
      const { input, version } = applicationInput(request.body);
      await db
        .transaction()
        .execute((trx) => atw.updateApplication(trx, deps, auditContext(request), v, id, appId, version ?? 0, input));
    } catch (err) {
      if (!(err instanceof ValidationError) && !(err instanceof ConflictError)) throw err;
      const application = await atw.getApplication(db, v, id, appId);
      const p = await participants.loadEditable(db, v, id);
      const context = await applicationContext(v, p, application);
      if (err instanceof ValidationError)
        return reply.status(400).render(APPLICATION_FORM, { ...context, values: typedValues(request.body), errors: err.fields });
      return reply.status(409).render(APPLICATION_FORM, {
        ...context,
        conflict: true,
        values: { ...typedValues(request.body), version: String(application.version) },
        errors: { applied_by: `${err.message}. Check your changes, then save again` },
      });
    }
    return reply.redirect(`${base(id)}?done=application-saved`);
  });

  // ---- Awards ------------------------------------------------------------------------------------

  /** The coaches an award can name: the team's active practitioners and managers, and the award's own coach. */
  const coachItems = async (p: ParticipantView, v: Viewer, award: atw.Award | null) => {
    const teamId = p.teamId ?? v.teamId ?? undefined;
    const [practitioners, managers] = await Promise.all(
      (['practitioner', 'manager'] as const).map((role) => users.listUsers(db, { role, active: true, teamId }, 500)),
    );
    const items = [...(practitioners?.items ?? []), ...(managers?.items ?? [])]
      .map((u) => ({ value: u.id, text: u.id === p.practitionerId ? `${u.name} (their practitioner)` : u.name }))
      .sort((a, b) => a.text.localeCompare(b.text));
    if (award?.coachUserId && !items.some((i) => i.value === award.coachUserId))
      items.unshift({ value: award.coachUserId, text: award.coachName ?? 'The coach named on the award' });
    if (!p.practitionerId && !award?.coachUserId) items.unshift({ value: '', text: 'No coach yet' });
    return items;
  };

  /** The person's current jobs, and the award's own job even when it has ended. */
  const jobItems = async (p: ParticipantView, award: atw.Award | null) => {
    const jobs = await support.currentJobs(db, p.id, today());
    if (award?.placementId && !jobs.some((j) => j.id === award.placementId)) {
      const job = await support.jobOf(db, p.id, award.placementId);
      if (job) jobs.unshift(job);
    }
    return [{ value: 'none', text: 'Not for a particular job' }, ...jobs.map((j) => ({ value: j.id, text: jobLabel(j) }))];
  };

  const awardContext = async (
    v: Viewer,
    p: ParticipantView,
    award: atw.Award | null,
    renews: atw.Award | null,
  ): Promise<Record<string, unknown>> => {
    const { awards, applications } = await atw.listFor(db, v, p.id);
    const others = awards.filter((a) => a.id !== award?.id);
    return {
      ...heading(p),
      title: award ? 'Change the award' : renews ? 'Renew award' : 'Add an award',
      backHref: award ? `${base(p.id)}/awards/${award.id}` : renews ? `${base(p.id)}/awards/${renews.id}` : base(p.id),
      action: award ? `${base(p.id)}/awards/${award.id}/edit` : `${base(p.id)}/awards/new`,
      award,
      renews: renews && { ...renews, label: awardLabel(renews), href: `${base(p.id)}/awards/${renews.id}` },
      kindItems,
      coachItems: await coachItems(p, v, award),
      jobItems: await jobItems(p, award),
      applicationItems: [
        { value: 'none', text: 'None' },
        ...applications.map((a) => ({ value: a.id, text: applicationLabel(a) })),
      ],
      renewsItems: others.length
        ? [{ value: 'none', text: 'No, it is not a renewal' }, ...others.map((a) => ({ value: a.id, text: awardLabel(a) }))]
        : null,
    };
  };

  const awardInput = (body: unknown): { input: atw.AwardInput; version: number | undefined } => {
    const f = parseInput(AwardFormSchema, body);
    return {
      version: f.version,
      input: {
        reference: f.reference,
        applicationId: f.application_id,
        placementId: f.placement_id,
        coachUserId: f.coach_user_id,
        supportKind: f.support_kind,
        startDate: f.start_date,
        endDate: f.end_date,
        hoursPerWeek: f.hours_per_week,
        hoursTotal: f.hours_total,
        hourlyRatePence: f.hourly_rate,
        totalAmountPence: f.total_amount,
        employerContributionPence: f.employer_contribution,
        renewsAwardId: f.renews_award_id,
        notes: f.notes,
      },
    };
  };

  /** The award a new one renews, from `?renews=` or the posted form; null when it is not a renewal. */
  const renewedAward = async (v: Viewer, id: string, renewsId: unknown): Promise<atw.Award | null> => {
    if (typeof renewsId !== 'string' || renewsId === '' || renewsId === 'none') return null;
    const { awards } = await atw.listFor(db, v, id);
    const old = awards.find((a) => a.id === renewsId);
    if (!old) throw new NotFoundError('Award not found');
    return old;
  };

  app.get('/participants/:id/access-to-work/awards/new', async (request, reply) => {
    const id = personId(request);
    const v = viewer(request);
    const p = await participants.loadEditable(db, v, id);
    const renews = await renewedAward(v, id, (request.query as Record<string, unknown>).renews);
    const values: Record<string, unknown> = renews
      ? {
          ...awardTermValues(renews),
          start_date: addDays(renews.endDate, 1),
          end_date: '',
          application_id: 'none',
          renews_award_id: renews.id,
        }
      : {
          support_kind: 'job_coach',
          coach_user_id: p.practitionerId ?? '',
          placement_id: 'none',
          application_id: 'none',
          renews_award_id: 'none',
        };
    return reply.render(AWARD_FORM, { ...(await awardContext(v, p, null, renews)), values });
  });

  app.post('/participants/:id/access-to-work/awards/new', async (request, reply) => {
    const id = personId(request);
    const v = viewer(request);
    let award: atw.Award;
    try {
      const { input } = awardInput(request.body);
      award = await db.transaction().execute((trx) => atw.createAward(trx, deps, auditContext(request), v, id, input));
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      const p = await participants.loadEditable(db, v, id);
      const body = (request.body ?? {}) as Record<string, unknown>;
      const renews = await renewedAward(v, id, body.renews_award_id).catch(() => null);
      return reply
        .status(400)
        .render(AWARD_FORM, { ...(await awardContext(v, p, null, renews)), values: typedValues(body), errors: err.fields });
    }
    return reply.redirect(`${base(id)}/awards/${award.id}?done=${award.renewsAwardId ? 'renewed' : 'award-added'}`);
  });

  const awardId = (request: FastifyRequest) => pagePathId(request, 'awardId', 'Award');

  app.get('/participants/:id/access-to-work/awards/:awardId/edit', async (request, reply) => {
    const id = personId(request);
    const v = viewer(request);
    const award = await atw.getAward(db, v, id, awardId(request));
    const p = await participants.loadEditable(db, v, id);
    return reply.render(AWARD_FORM, { ...(await awardContext(v, p, award, null)), values: awardValues(award) });
  });

  app.post('/participants/:id/access-to-work/awards/:awardId/edit', async (request, reply) => {
    const id = personId(request);
    const aid = awardId(request);
    const v = viewer(request);
    try {
      const { input, version } = awardInput(request.body);
      await db.transaction().execute((trx) => atw.updateAward(trx, deps, auditContext(request), v, id, aid, version ?? 0, input));
    } catch (err) {
      if (!(err instanceof ValidationError) && !(err instanceof ConflictError)) throw err;
      const award = await atw.getAward(db, v, id, aid);
      const p = await participants.loadEditable(db, v, id);
      const context = await awardContext(v, p, award, null);
      if (err instanceof ValidationError)
        return reply.status(400).render(AWARD_FORM, { ...context, values: typedValues(request.body), errors: err.fields });
      return reply.status(409).render(AWARD_FORM, {
        ...context,
        conflict: true,
        values: { ...typedValues(request.body), version: String(award.version) },
        errors: { reference: `${err.message}. Check your changes, then save again` },
      });
    }
    return reply.redirect(`${base(id)}/awards/${aid}?done=award-saved`);
  });

  // ---- The award page ----------------------------------------------------------------------------

  app.get('/participants/:id/access-to-work/awards/:awardId', async (request, reply) => {
    const id = personId(request);
    const aid = awardId(request);
    const v = viewer(request);
    const d = await atw.awardDetail(db, deps, auditContext(request), v, id, aid);
    const p = await participants.loadVisible(db, v, id);
    const { atwClaimLimitMonths } = await settings.getSettings(db);
    const done = (request.query as Record<string, unknown>).done;
    const a = d.award;
    const hourly = HOURLY_KINDS.includes(a.supportKind);
    const weekly = weeklyMinutes(a);
    return reply.render(AWARD, {
      ...heading(p),
      title: `${SUPPORT_KIND_LABELS[a.supportKind]} award`,
      backHref: base(id),
      columnWidth: 'full',
      flash: typeof done === 'string' ? DONE_MESSAGES[done] : undefined,
      canEdit: p.canEdit,
      award: a,
      hourly,
      kindLabel: SUPPORT_KIND_LABELS[a.supportKind],
      datesText: `${dayText(a.startDate)} to ${dayText(a.endDate)}`,
      hoursText: awardedHoursText(a),
      rateText: a.hourlyRatePence !== null ? `${poundsText(a.hourlyRatePence)} an hour` : null,
      totalAmountText: a.totalAmountPence !== null ? poundsText(a.totalAmountPence) : null,
      contributionText: a.employerContributionPence !== null ? poundsText(a.employerContributionPence) : null,
      renewalDueText: a.renewalDue ? renewalText(a, today()) : null,
      renewalFromText: dayText(a.renewalAlertFrom),
      renews: d.renews && { label: awardLabel(d.renews), href: `${base(id)}/awards/${d.renews.id}` },
      renewedBy: d.renewedBy && { label: awardLabel(d.renewedBy), href: `${base(id)}/awards/${d.renewedBy.id}` },
      totals: {
        awarded: hoursText(d.figures.awardedMinutes),
        delivered: hoursText(d.figures.deliveredMinutes),
        left: hoursText(d.figures.leftMinutes),
        claimed: poundsText(a.claimedPence),
        claimedHours: hoursText(a.claimedMinutes),
      },
      months: d.figures.periods.map((m) => ({
        periodText: `${dayText(m.start)} to ${dayText(m.end)}`,
        awarded: minutesAsHours(m.awardedMinutes),
        delivered: minutesAsHours(m.deliveredMinutes),
        difference: m.state === 'not_started' ? '—' : minutesAsHours(m.differenceMinutes),
        stateText: periodStateText(m),
      })),
      chart:
        hourly && d.weekly.length
          ? deliveryChart(d.weekly, weekly, {
              id: 'delivery-chart',
              title: `Hours of support delivered each week against the ${awardedHoursText(a)} awarded`,
            })
          : null,
      weeks: d.weekly.map((w) => ({ weekText: dayText(w.weekStart), hours: minutesAsHours(w.minutes) })),
      weeklyAwarded: minutesAsHours(weekly),
      unclaimed: d.unclaimed.map((m) => ({
        // The calendar month, clipped to the award's dates as the months table shows it.
        periodText: `${dayText(m.start < a.startDate ? a.startDate : m.start)} to ${dayText(m.end > a.endDate ? a.endDate : m.end)}`,
        hoursText: hoursText(m.minutes),
        pastLimit: m.pastLimit,
      })),
      claimLimitMonths: atwClaimLimitMonths,
      claims: d.claims.map((c) => claimRow(id, c)),
      buildClaimHref: `${base(id)}/awards/${aid}/claims/new`,
      renewHref: a.renewedById === null ? `${base(id)}/awards/new?renews=${aid}` : null,
      editHref: `${base(id)}/awards/${aid}/edit`,
      notRenewingHref: `${base(id)}/awards/${aid}/not-renewing`,
    });
  });

  // ---- Not renewing ------------------------------------------------------------------------------

  const notRenewingContext = (p: ParticipantView, award: atw.Award) => ({
    ...heading(p),
    title: 'Mark as not renewing',
    backHref: `${base(p.id)}/awards/${award.id}`,
    action: `${base(p.id)}/awards/${award.id}/not-renewing`,
    award,
    awardLabel: awardLabel(award),
  });

  app.get('/participants/:id/access-to-work/awards/:awardId/not-renewing', async (request, reply) => {
    const id = personId(request);
    const v = viewer(request);
    const award = await atw.getAward(db, v, id, awardId(request));
    const p = await participants.loadEditable(db, v, id);
    return reply.render(NOT_RENEWING, {
      ...notRenewingContext(p, award),
      values: { reason: award.notRenewingReason ?? '', version: String(award.version) },
    });
  });

  app.post('/participants/:id/access-to-work/awards/:awardId/not-renewing', async (request, reply: FastifyReply) => {
    const id = personId(request);
    const aid = awardId(request);
    const v = viewer(request);
    let undo = false;
    try {
      const f = parseInput(NotRenewingFormSchema, request.body);
      undo = f.undo === 'yes';
      await db
        .transaction()
        .execute((trx) => atw.setNotRenewing(trx, deps, auditContext(request), v, id, aid, f.version, undo ? null : f.reason));
    } catch (err) {
      if (!(err instanceof ValidationError) && !(err instanceof ConflictError)) throw err;
      const award = await atw.getAward(db, v, id, aid);
      const p = await participants.loadEditable(db, v, id);
      const errors = err instanceof ValidationError ? err.fields : { reason: `${err.message}. Check the award, then try again` };
      return reply.status(err instanceof ValidationError ? 400 : 409).render(NOT_RENEWING, {
        ...notRenewingContext(p, award),
        values: { ...typedValues(request.body), version: String(award.version) },
        errors,
      });
    }
    return reply.redirect(`${base(id)}/awards/${aid}?done=${undo ? 'renewal-expected' : 'not-renewing'}`);
  });
}
