import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ConflictError, NotFoundError, RuleError, ValidationError } from '../errors.ts';
import { auditContext } from '../http/audit-context.ts';
import { pagePathId, typedValues } from '../http/route-helpers.ts';
import { parseInput } from '../http/validate.ts';
import * as participants from '../participants/service.ts';
import { dayText, londonDate } from '../referrals/rules.ts';
import { addMonths } from '../support/rules.ts';
import { ClaimConfirmFormSchema, ClaimNewFormSchema, ClaimPaidFormSchema } from './claim-schema.ts';
import { claimCsv, claimDayText, claimFileName, claimPdf, periodText, type ClaimFacts } from './export.ts';
import {
  CLAIM_STATUS_LABELS,
  SUPPORT_KIND_LABELS,
  defaultClaimPeriod,
  minutesAsHours,
  monthOf,
  poundsPlain,
  poundsText,
} from './rules.ts';
import * as atw from './service.ts';

const NEW = 'access-to-work/views/claim-new.njk';
const SHOW = 'access-to-work/views/claim.njk';
const SUBMIT = 'access-to-work/views/claim-submit.njk';
const DELETE = 'access-to-work/views/claim-delete.njk';

const DONE_MESSAGES: Record<string, string> = {
  created: 'Draft claim built. Check the days and hours, then submit it',
  submitted: 'Claim submitted. Its contacts are locked and its totals are fixed',
  paid: 'Payment recorded',
};

const monthName = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', month: 'long', year: 'numeric' });

/** "October 2026" for a `YYYY-MM-DD` in that month. */
function monthText(day: string): string {
  return monthName.format(new Date(`${day.slice(0, 7)}-01T00:00:00Z`));
}

function viewer(request: FastifyRequest) {
  if (!request.actor) throw new NotFoundError('Participant not found');
  return participants.viewerOf(request.actor);
}

/** What a form posted, to show again: never the CSRF token. */
const personName = (p: { givenName: string; familyName: string }) => `${p.givenName} ${p.familyName}`;
const awardsHref = (participantId: string) => `/participants/${participantId}/access-to-work`;
const awardHref = (participantId: string, awardId: string) => `/participants/${participantId}/access-to-work/awards/${awardId}`;
const claimHref = (participantId: string, claimId: string) => `/participants/${participantId}/access-to-work/claims/${claimId}`;

/** A claim with the words and figures its pages show. */
function claimView(claim: atw.Claim) {
  return {
    ...claim,
    statusLabel: CLAIM_STATUS_LABELS[claim.status],
    periodText: periodText(claim),
    rateText: poundsText(claim.hourlyRatePence),
    totalHours: minutesAsHours(claim.totalMinutes),
    totalText: poundsText(claim.totalPence),
    submittedOn: claim.submittedAt ? dayText(londonDate(new Date(claim.submittedAt))) : null,
    paidOn: claim.paidDate ? dayText(claim.paidDate) : null,
    paidText: claim.paidPence === null ? null : poundsText(claim.paidPence),
    rows: claim.lines.map((l) => ({
      dayText: claimDayText(l.day),
      hours: minutesAsHours(l.minutes),
      amountText: poundsText(l.amountPence),
    })),
  };
}

/**
 * The claim pages of an Access to Work award: start a claim for a period, see it, submit it
 * (locking its contacts), delete a draft, record payment, and download it as CSV or PDF.
 */
export async function claimRoutes(app: FastifyInstance): Promise<void> {
  const { db, deps } = app;

  // ---- Start a claim -----------------------------------------------------------------------------

  /** The form's context: the award and the calendar months it can be claimed for (newest first). */
  const newContext = async (request: FastifyRequest, id: string, awardId: string) => {
    const detail = await atw.awardDetail(db, deps, auditContext(request), viewer(request), id, awardId);
    const p = await participants.loadVisible(db, viewer(request), id);
    const award = detail.award;
    const today = londonDate(deps.clock.now());
    const last = award.endDate < today ? award.endDate : today;
    const unclaimed = new Map(detail.unclaimed.map((m) => [m.start, m]));
    const months: { value: string; text: string }[] = [];
    for (let m = monthOf(last).start; m >= monthOf(award.startDate).start; m = addMonths(m, -1)) {
      const open = unclaimed.get(m);
      const note = open
        ? ` (${minutesAsHours(open.minutes)} hours not yet claimed${open.pastLimit ? ', past the claim limit' : ''})`
        : '';
      months.push({ value: m.slice(0, 7), text: `${monthText(m)}${note}` });
    }
    const fallback = defaultClaimPeriod(today).start.slice(0, 7);
    return {
      title: 'Build a claim',
      caption: personName(p),
      backHref: awardHref(id, awardId),
      action: `/participants/${id}/access-to-work/awards/${awardId}/claims/new`,
      award: {
        ...award,
        kindLabel: SUPPORT_KIND_LABELS[award.supportKind],
        rateText: award.hourlyRatePence === null ? null : poundsText(award.hourlyRatePence),
        startText: dayText(award.startDate),
        endText: dayText(award.endDate),
      },
      periodItems: [...months, { value: 'other', text: 'Another period' }],
      defaultPeriod: months.some((m) => m.value === fallback) ? fallback : (months[0]?.value ?? 'other'),
      unclaimed: detail.unclaimed.map((m) => ({ ...m, monthText: monthText(m.start), hours: minutesAsHours(m.minutes) })),
    };
  };

  app.get('/participants/:id/access-to-work/awards/:awardId/claims/new', async (request, reply) => {
    const id = pagePathId(request, 'id', 'Participant');
    const awardId = pagePathId(request, 'awardId', 'Award');
    const context = await newContext(request, id, awardId);
    return reply.render(NEW, { ...context, values: { period: context.defaultPeriod } });
  });

  app.post('/participants/:id/access-to-work/awards/:awardId/claims/new', async (request, reply) => {
    const id = pagePathId(request, 'id', 'Participant');
    const awardId = pagePathId(request, 'awardId', 'Award');
    const v = viewer(request);
    let claim: atw.Claim;
    try {
      const period = parseInput(ClaimNewFormSchema, request.body);
      claim = await db.transaction().execute((trx) => atw.buildClaim(trx, deps, auditContext(request), v, id, awardId, period));
    } catch (err) {
      // Nothing to claim, or a draft already open: said at the top of the form, the choice kept.
      const errors = err instanceof ValidationError ? err.fields : err instanceof RuleError ? { period: err.message } : null;
      if (!errors) throw err;
      const context = await newContext(request, id, awardId);
      return reply.status(400).render(NEW, { ...context, values: typedValues(request.body), errors });
    }
    return reply.redirect(`${claimHref(id, claim.id)}?done=created`);
  });

  // ---- A claim -----------------------------------------------------------------------------------

  /** The claim (the read audited), its person and award. */
  const load = async (request: FastifyRequest) => {
    const id = pagePathId(request, 'id', 'Participant');
    const claimId = pagePathId(request, 'claimId', 'Claim');
    const v = viewer(request);
    const claim = await atw.viewClaim(db, deps, auditContext(request), v, id, claimId);
    const [p, award] = await Promise.all([participants.loadVisible(db, v, id), atw.getAward(db, v, id, claim.awardId)]);
    return { id, claim, p, award };
  };

  const showContext = (loaded: Awaited<ReturnType<typeof load>>) => {
    const { id, claim, p, award } = loaded;
    const href = claimHref(id, claim.id);
    return {
      title: `Access to Work claim: ${periodText(claim)}`,
      caption: personName(p),
      backHref: awardHref(id, award.id),
      awardHref: awardHref(id, award.id),
      awardsHref: awardsHref(id),
      canEdit: p.canEdit,
      claim: claimView(claim),
      award: { ...award, kindLabel: SUPPORT_KIND_LABELS[award.supportKind], coachName: award.coachName },
      href,
      csvHref: `${href}/claim.csv`,
      pdfHref: `${href}/claim.pdf`,
    };
  };

  app.get('/participants/:id/access-to-work/claims/:claimId', async (request, reply) => {
    const loaded = await load(request);
    const done = (request.query as Record<string, unknown>).done;
    return reply.render(SHOW, {
      ...showContext(loaded),
      flash: typeof done === 'string' ? DONE_MESSAGES[done] : undefined,
      values: {
        paid_date: londonDate(deps.clock.now()),
        paid_amount: poundsPlain(loaded.claim.totalPence),
        version: String(loaded.claim.version),
      },
    });
  });

  app.post('/participants/:id/access-to-work/claims/:claimId/paid', async (request, reply) => {
    const id = pagePathId(request, 'id', 'Participant');
    const claimId = pagePathId(request, 'claimId', 'Claim');
    const v = viewer(request);
    try {
      const input = parseInput(ClaimPaidFormSchema, request.body);
      await db.transaction().execute((trx) =>
        atw.markPaid(trx, deps, auditContext(request), v, id, claimId, input.version, {
          date: input.paid_date,
          pence: input.paid_amount,
        }),
      );
    } catch (err) {
      const errors =
        err instanceof ValidationError
          ? err.fields
          : err instanceof ConflictError || err instanceof RuleError
            ? { paid_date: err.message }
            : null;
      if (!errors) throw err;
      const loaded = await load(request);
      return reply.status(err instanceof ConflictError ? 409 : 400).render(SHOW, {
        ...showContext(loaded),
        values: { ...typedValues(request.body), version: String(loaded.claim.version) },
        errors,
      });
    }
    return reply.redirect(`${claimHref(id, claimId)}?done=paid`);
  });

  // ---- Submit or delete a draft -----------------------------------------------------------------

  /** A confirmation page for a draft: GET shows what will happen, POST does it. */
  const confirmation = (
    path: 'submit' | 'delete',
    template: string,
    title: string,
    act: (request: FastifyRequest, id: string, claimId: string, version: number) => Promise<string>,
  ) => {
    const render = async (request: FastifyRequest, reply: FastifyReply, status: number, errors?: Record<string, string>) => {
      const loaded = await load(request);
      if (loaded.claim.status !== 'draft') return reply.redirect(claimHref(loaded.id, loaded.claim.id));
      return reply.status(status).render(template, {
        ...showContext(loaded),
        title,
        backHref: claimHref(loaded.id, loaded.claim.id),
        action: `${claimHref(loaded.id, loaded.claim.id)}/${path}`,
        values: { version: String(loaded.claim.version) },
        errors,
      });
    };
    app.get(`/participants/:id/access-to-work/claims/:claimId/${path}`, async (request, reply) => render(request, reply, 200));
    app.post(`/participants/:id/access-to-work/claims/:claimId/${path}`, async (request, reply) => {
      const id = pagePathId(request, 'id', 'Participant');
      const claimId = pagePathId(request, 'claimId', 'Claim');
      let to: string;
      try {
        const input = parseInput(ClaimConfirmFormSchema, request.body);
        to = await act(request, id, claimId, input.version);
      } catch (err) {
        if (!(err instanceof RuleError || err instanceof ConflictError || err instanceof ValidationError)) throw err;
        const message = err instanceof ValidationError ? Object.values(err.fields).join('. ') : err.message;
        return render(request, reply, err instanceof ConflictError ? 409 : 400, { confirm: message });
      }
      return reply.redirect(to);
    });
  };

  confirmation('submit', SUBMIT, 'Submit this claim', async (request, id, claimId, version) => {
    await db
      .transaction()
      .execute((trx) => atw.submitClaim(trx, deps, auditContext(request), viewer(request), id, claimId, version));
    return `${claimHref(id, claimId)}?done=submitted`;
  });

  confirmation('delete', DELETE, 'Delete this draft claim', async (request, id, claimId, version) => {
    await db
      .transaction()
      .execute((trx) => atw.deleteDraftClaim(trx, deps, auditContext(request), viewer(request), id, claimId, version));
    return `${awardsHref(id)}?done=claim-deleted`;
  });

  // ---- Downloads ---------------------------------------------------------------------------------

  const facts = (loaded: Awaited<ReturnType<typeof load>>): ClaimFacts => ({
    personName: personName(loaded.p),
    coachName: loaded.award.coachName,
  });

  app.get('/participants/:id/access-to-work/claims/:claimId/claim.csv', async (request, reply) => {
    const loaded = await load(request);
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${claimFileName(loaded.claim, 'csv')}"`)
      .header('cache-control', 'no-store')
      .send(claimCsv(loaded.claim, facts(loaded)));
  });

  app.get('/participants/:id/access-to-work/claims/:claimId/claim.pdf', async (request, reply) => {
    const loaded = await load(request);
    const pdf = await claimPdf(loaded.claim, facts(loaded));
    return reply
      .header('content-type', 'application/pdf')
      .header('content-disposition', `attachment; filename="${claimFileName(loaded.claim, 'pdf')}"`)
      .header('cache-control', 'no-store')
      .send(pdf);
  });
}
