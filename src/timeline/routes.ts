import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isRecordId } from '../db/records.ts';
import { NotFoundError, ValidationError } from '../errors.ts';
import { auditContext } from '../http/audit-context.ts';
import { parseInput } from '../http/validate.ts';
import { MODE_LABELS, PLACE_LABELS, PURPOSE_LABELS } from '../contacts/rules.ts';
import { EMPLOYER_CONTACT_MODE_LABELS, EMPLOYER_CONTACT_PURPOSE_LABELS } from '../employers/rules.ts';
import { formatDate } from '../http/views.ts';
import { STATUS_LABELS } from '../participants/rules.ts';
import * as participants from '../participants/service.ts';
import { displayName } from '../profiles/service.ts';
import { CLOSE_REASON_LABELS, REFERRAL_SOURCE_LABELS } from '../referrals/rules.ts';
import { OUTCOME_LABELS } from '../internships/rules.ts';
import { TIMELINE_KIND_LABELS, type TimelineKind, pageNumbers } from './rules.ts';
import { type TimelineQuery, TimelineQuerySchema } from './schema.ts';
import * as timeline from './service.ts';

const TIMELINE = 'timeline/views/timeline.njk';
const PAGE_SIZE = 25;

const DONE_MESSAGES: Record<string, string> = {
  logged: 'Contact logged',
  deleted: 'Contact deleted. It is kept, with your reason, for the audit trail',
};

function pageId(request: FastifyRequest): string {
  const id = (request.params as Record<string, unknown>).id;
  if (!isRecordId(id)) throw new NotFoundError('Participant not found');
  return id;
}

/** The timeline's address for a page and a choice of kinds (none for all the viewer may see). */
function timelineHref(participantId: string, kinds: readonly TimelineKind[], available: number, page: number): string {
  const qs = new URLSearchParams();
  if (kinds.length < available) for (const k of kinds) qs.append('kind', k);
  if (page > 1) qs.set('page', String(page));
  const s = qs.toString();
  return `/participants/${participantId}/timeline${s ? `?${s}` : ''}`;
}

/** One timeline entry as the page shows it: a heading, a line of detail, tags, notes, a link. */
function entryView(participantId: string, e: timeline.TimelineEntry) {
  switch (e.kind) {
    case 'contact': {
      const c = e.contact;
      return {
        kind: e.kind,
        kindLabel: 'Contact',
        heading: `Contact: ${PURPOSE_LABELS[c.purpose]}`,
        at: c.startedAt,
        dateOnly: false,
        detail: `${c.durationMinutes} minutes. ${MODE_LABELS[c.mode]}, ${PLACE_LABELS[c.place]}.`,
        withWhom: c.withWhom,
        by: c.practitionerName ?? null,
        notes: c.notes,
        outOfHours: c.outOfHours,
        shared: c.sharedWithClinicalTeam,
        href: `/participants/${participantId}/contacts/${c.id}`,
        linkText: 'View contact',
      };
    }
    case 'employer_contact': {
      const c = e.employerContact;
      const label = (labels: Record<string, string>, value: string) => labels[value] ?? value;
      const due = c.nextStepDue ? ` (by ${formatDate(c.nextStepDue)})` : '';
      return {
        kind: e.kind,
        kindLabel: 'Employer contact',
        heading: `Employer contact: ${c.employerName}`,
        at: c.contactedAt,
        dateOnly: false,
        detail: `${label(EMPLOYER_CONTACT_MODE_LABELS, c.mode)}. ${label(EMPLOYER_CONTACT_PURPOSE_LABELS, c.purpose)}.`,
        withWhom: c.employerPersonName,
        by: c.practitionerName ?? null,
        lines: [c.outcome ? `Outcome: ${c.outcome}` : null, c.nextStep ? `Next step: ${c.nextStep}${due}` : null].filter(
          (l) => l !== null,
        ),
        href: `/employers/${c.employerId}`,
        linkText: 'View employer',
      };
    }
    case 'status': {
      const s = e.change;
      return {
        kind: e.kind,
        kindLabel: 'Status',
        heading: s.fromStatus
          ? `Status changed from ${STATUS_LABELS[s.fromStatus]} to ${STATUS_LABELS[s.toStatus]}`
          : `Status: ${STATUS_LABELS[s.toStatus]}`,
        at: s.changedAt,
        dateOnly: false,
        detail: s.reason ? `Reason: ${s.reason}` : null,
        by: s.changedByName ?? 'Stepwise',
      };
    }
    case 'referral': {
      const r = e.referral;
      const referrer = [r.referrerName, r.referrerOrganisation].filter(Boolean).join(', ');
      if (e.event === 'received') {
        return {
          kind: e.kind,
          kindLabel: 'Referral',
          heading: 'Referral received',
          at: r.receivedDate,
          dateOnly: true,
          detail: `From ${REFERRAL_SOURCE_LABELS[r.source].toLowerCase()}${referrer ? ` (${referrer})` : ''}.`,
          href: `/participants/${participantId}/referrals#referral-${r.id}`,
          linkText: 'View referral',
        };
      }
      return {
        kind: e.kind,
        kindLabel: 'Referral',
        heading: 'Referral closed',
        at: r.closedDate ?? r.receivedDate,
        dateOnly: true,
        detail: r.closeReason ? `Reason: ${CLOSE_REASON_LABELS[r.closeReason]}.` : 'The person was discharged, then re-referred.',
        href: `/participants/${participantId}/referrals#referral-${r.id}`,
        linkText: 'View referral',
      };
    }
    case 'profile':
      return {
        kind: e.kind,
        kindLabel: 'Profile',
        heading: `Vocational profile saved (version ${e.profile.version})`,
        at: e.profile.savedAt,
        dateOnly: false,
        by: e.profile.savedByName ?? 'someone no longer known',
        href: `/participants/${participantId}/profile/history`,
        linkText: 'View profile history',
      };
    case 'internship':
      return internshipEntryView(e);
  }
}

/** An internship event: joining the cohort, a rotation's department, graduating or leaving, the hand-over. */
function internshipEntryView(e: Extract<timeline.TimelineEntry, { kind: 'internship' }>) {
  const i = e.internship;
  const base = { kind: e.kind, kindLabel: 'Internship', at: e.at, dateOnly: true };
  const cohort = `${i.cohortName} (${i.programmeYear})`;
  switch (e.event) {
    case 'joined':
      return { ...base, dateOnly: false, heading: `Joined the supported internship: ${cohort}`, detail: `Host: ${i.hostName}.` };
    case 'rotation': {
      const r = e.rotation!;
      const where = r.siteName ? `${r.departmentName}, ${r.siteName}` : r.departmentName;
      return {
        ...base,
        heading: `Internship rotation ${r.number}: ${r.departmentName}`,
        detail: `${where} at ${i.hostName}, ${formatDate(r.startDate)} to ${formatDate(r.endDate)}.`,
      };
    }
    case 'graduated':
    case 'withdrawn': {
      const job = i.job?.title ? `${i.job.title}${i.job.employerName ? ` at ${i.job.employerName}` : ''}` : null;
      return {
        ...base,
        heading: e.event === 'graduated' ? `Graduated from the internship: ${cohort}` : `Left the internship: ${cohort}`,
        detail: i.outcome ? `${OUTCOME_LABELS[i.outcome]}${job ? `: ${job}` : ''}.` : null,
        lines: i.programmeOutcome
          ? [i.programmeOutcome.meets ? 'The job meets the programme outcome' : 'The job does not meet the programme outcome']
          : [],
      };
    }
    case 'handed_over':
      return {
        ...base,
        dateOnly: false,
        heading: 'Moved to follow-on job coaching after the internship',
        detail: i.followOnName ? `Follow-on job coach: ${i.followOnName}.` : null,
        ...(i.followOnPlacementId ? { href: `/placements/${i.followOnPlacementId}`, linkText: 'View the job' } : {}),
      };
  }
}

/** A person's timeline page. */
export async function timelineRoutes(app: FastifyInstance): Promise<void> {
  const { db, deps } = app;

  app.get('/participants/:id/timeline', async (request, reply) => {
    const id = pageId(request);
    if (!request.actor) throw new NotFoundError('Participant not found');
    const viewer = participants.viewerOf(request.actor);
    let query: TimelineQuery;
    let errors: Record<string, string> | undefined;
    try {
      query = parseInput(TimelineQuerySchema, request.query);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      // A bad link or hand-edited address: say what is wrong and show the first page of everything.
      errors = err.fields;
      query = {};
    }
    const page = query.page ?? 1;
    const t = await timeline.viewTimeline(db, deps, auditContext(request), viewer, id, {
      kinds: query.kind,
      page,
      pageSize: PAGE_SIZE,
    });
    const name = displayName(t.participant);
    const filtered = t.kinds.length < t.available.length;
    const href = (n: number) => timelineHref(id, t.kinds, t.available.length, n);
    return reply.render(TIMELINE, {
      title: `Timeline for ${name}`,
      backHref: `/participants/${id}`,
      participant: t.participant,
      name,
      canLog: t.participant.canEdit,
      entries: t.items.map((e) => entryView(id, e)),
      total: t.total,
      showing: t.total === 0 ? '' : `Showing ${t.first} to ${t.last} of ${t.total}`,
      filtered,
      kindItems: t.available.map((k) => ({ value: k, text: TIMELINE_KIND_LABELS[k] })),
      values: { kind: filtered ? t.kinds : [] },
      errors,
      pages:
        t.pages > 1
          ? {
              previous: page > 1 ? { href: href(page - 1) } : undefined,
              next: page < t.pages ? { href: href(page + 1) } : undefined,
              items: pageNumbers(Math.min(page, t.pages), t.pages).map((n) =>
                n === null ? { ellipsis: true } : { number: n, href: href(n), current: n === page },
              ),
            }
          : null,
      firstPageHref: page > 1 && t.items.length === 0 && t.total > 0 ? href(1) : null,
      flash: typeof query.done === 'string' ? DONE_MESSAGES[query.done] : undefined,
    });
  });
}
