import type { FastifyInstance, FastifyRequest } from 'fastify';
import { SUPPORT_KIND_LABELS, minutesAsHours } from '../access-to-work/rules.ts';
import * as atw from '../access-to-work/service.ts';
import { MODE_LABELS, PURPOSE_LABELS, type ContactMode, type ContactPurpose } from '../contacts/rules.ts';
import { ForbiddenError, ValidationError } from '../errors.ts';
import { NEXT_STEPS, PROGRAMME_LABELS, STATUS_COLOURS, STATUS_LABELS, type Viewer } from '../participants/rules.ts';
import * as participants from '../participants/service.ts';
import { dayText, londonDate } from '../referrals/rules.ts';
import * as settings from '../settings/service.ts';
import { parseInput } from '../http/validate.ts';
import { formatDate } from '../http/views.ts';
import type { ContactKind } from './repo.ts';
import { ALERT_KINDS, ALERT_KIND_LABELS, type TeamFigures, defaultRange } from './rules.ts';
import {
  CaseloadQuerySchema,
  NotSeenQuerySchema,
  TeamContactsQuerySchema,
  TeamDashboardQuerySchema,
  type CaseloadQuery,
  type TeamContactsQuery,
} from './schema.ts';
import * as dashboards from './service.ts';

const CASELOAD = 'dashboards/views/caseload.njk';
const TEAM = 'dashboards/views/team.njk';
const NOT_SEEN = 'dashboards/views/not-seen.njk';
const CONTACTS = 'dashboards/views/contacts.njk';

const KIND_TITLES: Record<ContactKind, string> = {
  all: 'Contacts',
  face_to_face: 'Face-to-face contacts',
  out_of_hours: 'Out-of-hours contacts',
  employer_contact: 'Employer contacts',
};

function daysText(days: number): string {
  return days === 1 ? '1 day' : `${days} days`;
}

function daysAgoText(days: number): string {
  if (days <= 0) return 'today';
  if (days === 1) return 'yesterday';
  return `${days} days ago`;
}

function peopleText(n: number): string {
  return n === 1 ? '1 person' : `${n} people`;
}

/** A path with query parameters, leaving out the empty ones. */
function hrefWith(path: string, params: Record<string, string | undefined | null>): string {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) qs.set(k, v);
  const s = qs.toString();
  return s ? `${path}?${s}` : path;
}

/** A person's card on a dashboard, as the template shows it. */
function cardOf(e: dashboards.CaseloadEntry, showPractitioner: boolean) {
  const p = e.participant;
  return {
    id: p.id,
    name: `${p.givenName} ${p.familyName}`,
    preferredName: p.preferredName,
    statusLabel: STATUS_LABELS[p.status],
    statusColour: STATUS_COLOURS[p.status],
    programme: PROGRAMME_LABELS[p.programme],
    nextStep: NEXT_STEPS[p.status],
    practitionerName: showPractitioner ? (p.practitionerName ?? 'Not assigned') : null,
    lastContactAt: e.lastContactAt,
    lastContactAgo: e.lastContactDaysAgo === null ? null : daysAgoText(e.lastContactDaysAgo),
    nextAppointmentAt: e.nextAppointmentAt,
    alerts: e.alerts,
    logHref: `/participants/${p.id}/contacts/new`,
  };
}

function viewerOf(request: FastifyRequest): Viewer {
  const actor = request.actor;
  if (!actor) throw new ForbiddenError();
  return participants.viewerOf(actor);
}

/** Parses a page's query; a bad link shows the page unfiltered with the problem said. */
function parseQuery<T extends object>(parse: () => T): { query: Partial<T>; errors: Record<string, string> | undefined } {
  try {
    return { query: parse(), errors: undefined };
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    return { query: {}, errors: err.fields };
  }
}

function percentText(share: number | null): string {
  return share === null ? 'No contacts' : `${share}%`;
}

function countText(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The job development section: each practitioner's weeks in words, this week first. */
function jobDevelopmentView(j: dashboards.JobDevelopment) {
  return {
    target: j.target,
    practitioners: j.practitioners.map((p) => ({
      name: p.name,
      weeks: p.weeks.map((w, i) => ({
        label: i === 0 ? `This week, from ${formatDate(w.monday)}` : `Week from ${formatDate(w.monday)}`,
        counts: `${countText(w.contacts, 'employer contact', 'employer contacts')}, ${w.faceToFace} face to face`,
        metTarget: w.metTarget,
        // The target is said in words, not by colour alone; this week is not over yet.
        verdict: w.metTarget ? 'At or above the target' : i === 0 ? 'Below the target so far' : 'Below the target',
      })),
    })),
  };
}

function figuresText(f: TeamFigures) {
  return {
    contactsPerWeek: f.contactsPerWeek.toFixed(1),
    faceToFace: percentText(f.faceToFaceShare),
    outOfHours: percentText(f.outOfHoursShare),
    employerContactsPerWeek: f.employerContactsPerWeek.toFixed(1),
  };
}

/** "October 2026" for the month starting on `day`. */
function monthText(day: string): string {
  return new Date(`${day}T12:00:00Z`).toLocaleDateString('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });
}

/**
 * Access to Work renewals and unclaimed months in words, each linking to the award; unclaimed
 * support past the claim limit is marked as urgent (the money may be lost).
 */
async function atwAlertsView(db: FastifyInstance['db'], scope: Parameters<typeof atw.alerts>[1], today: string) {
  const [found, { atwClaimLimitMonths }] = await Promise.all([atw.alerts(db, scope, today), settings.getSettings(db)]);
  const href = (a: atw.AwardAlert) => `/participants/${a.participantId}/access-to-work/awards/${a.awardId}`;
  const kind = (a: atw.AwardAlert) => SUPPORT_KIND_LABELS[a.supportKind].toLowerCase();
  return {
    renewals: found.renewals.map((a) => ({
      message: `Access to Work renewal: ${a.participantName}’s ${kind(a)} award ${a.endDate < today ? 'ended' : 'ends'} on ${dayText(a.endDate)} — apply to renew now`,
      href: href(a),
      linkText: 'Open the award',
      name: a.participantName,
    })),
    unclaimed: found.unclaimed.map((a) => ({
      message:
        `Access to Work not claimed: ${a.participantName}, ${monthText(a.month.start)}, ${minutesAsHours(a.month.minutes)} hours` +
        (a.month.pastLimit ? ` — past the ${atwClaimLimitMonths}-month claim limit: claim now or the money may be lost` : ''),
      pastLimit: a.month.pastLimit,
      href: href(a),
      linkText: 'Claim it',
      name: a.participantName,
    })),
  };
}

/** The practitioner's caseload dashboard and the team dashboard, with the lists behind the figures. */
export async function dashboardRoutes(app: FastifyInstance): Promise<void> {
  const { db, deps } = app;

  // ---- Caseload dashboard -----------------------------------------------------------------------

  app.get('/caseload', async (request, reply) => {
    const viewer = viewerOf(request);
    const { query, errors } = parseQuery<CaseloadQuery>(() => parseInput(CaseloadQuerySchema, request.query));
    const now = deps.clock.now();
    const isManager = viewer.role === 'manager';
    // A practitioner sees their own caseload; a manager their team's, optionally one practitioner's.
    const practitionerId = isManager ? query.practitioner_id || undefined : viewer.userId;
    const team = isManager && viewer.teamId ? await dashboards.teamPractitioners(db, viewer.teamId) : [];
    const { limits, caseloadLimit } = await dashboards.dashboardSettings(db);
    const [{ entries, total }, counts] = await Promise.all([
      dashboards.caseloadEntries(db, viewer, now, { practitionerId }, limits),
      // A manager gets counts for their own team only, never another team's practitioner.
      participants.caseloadCounts(
        db,
        isManager ? team.map((u) => u.id).filter((id) => !practitionerId || id === practitionerId) : [viewer.userId],
      ),
    ]);
    const alertFilter = query.alert || undefined;
    const shown = dashboards.byAttention(alertFilter ? dashboards.withAlert(entries, alertFilter) : entries);
    const needAttention = entries.filter((e) => e.alerts.length > 0).length;
    const countOf = (id: string) => counts.counts.get(id) ?? 0;
    const selected = practitionerId ? team.find((u) => u.id === practitionerId) : undefined;
    // Access to Work: a practitioner's own people; a manager's team, or the chosen practitioner's people in it.
    const atwAlerts =
      isManager && !viewer.teamId
        ? null
        : await atwAlertsView(
            db,
            isManager ? { teamIds: [viewer.teamId!], practitionerId } : { teamIds: null, practitionerId: viewer.userId },
            londonDate(now),
          );
    return reply.render(CASELOAD, {
      atw: atwAlerts,
      title: isManager ? 'Team caseload' : 'My caseload',
      errors,
      isManager,
      limit: caseloadLimit,
      limits,
      ownCount: isManager ? null : countOf(viewer.userId),
      selectedName: selected?.name ?? null,
      selectedCount: practitionerId ? countOf(practitionerId) : null,
      practitionerSelected: isManager && Boolean(practitionerId),
      teamCounts: isManager && !practitionerId ? team.map((u) => ({ id: u.id, name: u.name, count: countOf(u.id) })) : [],
      hasTeam: !isManager || Boolean(viewer.teamId),
      cards: shown.map((e) => cardOf(e, isManager)),
      total,
      truncated: total > entries.length,
      shownText: alertFilter ? `${peopleText(shown.length)} of ${entries.length}` : peopleText(entries.length),
      needAttention,
      needAttentionHref: hrefWith('/caseload', {
        practitioner_id: practitionerId && isManager ? practitionerId : null,
        alert: 'any',
      }),
      allHref: hrefWith('/caseload', { practitioner_id: practitionerId && isManager ? practitionerId : null }),
      alertFilter: alertFilter ?? null,
      values: { practitioner_id: query.practitioner_id ?? '', alert: query.alert ?? '' },
      practitionerItems: [{ value: '', text: 'Everyone in the team' }, ...team.map((u) => ({ value: u.id, text: u.name }))],
      alertItems: [
        { value: '', text: 'Everyone' },
        { value: 'any', text: 'Anyone who needs attention' },
        ...ALERT_KINDS.map((k) => ({ value: k, text: ALERT_KIND_LABELS[k] })),
      ],
    });
  });

  // ---- Team dashboard ---------------------------------------------------------------------------

  /** The range asked for, or the last four weeks; with errors, the default range. */
  const rangeOf = (query: { from?: string | undefined; to?: string | undefined }, hasErrors: boolean) => {
    const today = londonDate(deps.clock.now());
    const d = defaultRange(today);
    if (hasErrors) return d;
    const to = query.to || (query.from && query.from > today ? query.from : today);
    const from = query.from || defaultRange(to).from;
    return { from, to };
  };

  app.get('/team-dashboard', async (request, reply) => {
    const viewer = viewerOf(request);
    const { query, errors } = parseQuery(() => parseInput(TeamDashboardQuerySchema, request.query));
    const range = rangeOf(query, errors !== undefined);
    const d = await dashboards.teamDashboard(db, viewer, deps.clock.now(), range);
    const atwAlerts = viewer.teamId ? await atwAlertsView(db, { teamIds: [viewer.teamId] }, londonDate(deps.clock.now())) : null;
    const link = (path: string, extra: Record<string, string | undefined>) => hrefWith(path, { ...range, ...extra });
    const caseloadHref = (id: string) =>
      viewer.role === 'manager'
        ? `/caseload?practitioner_id=${id}`
        : id === viewer.userId
          ? '/caseload'
          : `/participants?practitioner_id=${id}`;
    const rowOf = (id: string | undefined) => ({
      contactsHref: link('/team-dashboard/contacts', { practitioner_id: id }),
      faceToFaceHref: link('/team-dashboard/contacts', { practitioner_id: id, kind: 'face_to_face' }),
      outOfHoursHref: link('/team-dashboard/contacts', { practitioner_id: id, kind: 'out_of_hours' }),
      employerHref: link('/team-dashboard/contacts', { practitioner_id: id, kind: 'employer_contact' }),
      notSeenHref: hrefWith('/team-dashboard/not-seen', { practitioner_id: id }),
    });
    return reply.render(TEAM, {
      title: 'Team dashboard',
      columnWidth: 'full',
      atw: atwAlerts,
      isManager: viewer.role === 'manager',
      errors,
      hasTeam: Boolean(viewer.teamId),
      range,
      values: errors ? { from: range.from, to: range.to, ...(request.query as Record<string, string>) } : range,
      limit: d.caseloadLimit,
      noContactDays: d.noContactDays,
      rows: d.practitioners.map((p) => ({
        ...rowOf(p.id),
        name: p.name,
        caseload: p.caseload,
        overLimit: p.caseload > d.caseloadLimit,
        caseloadHref: caseloadHref(p.id),
        contacts: p.counts.contacts,
        ...figuresText(p.figures),
        notSeen: p.notSeen,
      })),
      totals: {
        ...rowOf(undefined),
        caseload: d.totals.caseload,
        capacity: d.caseloadLimit * d.practitioners.length,
        contacts: d.totals.counts.contacts,
        ...figuresText(d.totals.figures),
        notSeen: d.totals.notSeen,
      },
      jobDevelopment: jobDevelopmentView(d.jobDevelopment),
    });
  });

  app.get('/team-dashboard/not-seen', async (request, reply) => {
    const viewer = viewerOf(request);
    const { query, errors } = parseQuery(() => parseInput(NotSeenQuerySchema, request.query));
    const practitionerId = query.practitioner_id || undefined;
    const [found, team] = await Promise.all([
      dashboards.notSeen(db, viewer, deps.clock.now(), practitionerId),
      viewer.teamId ? dashboards.teamPractitioners(db, viewer.teamId) : Promise.resolve([]),
    ]);
    const who = practitionerId ? team.find((u) => u.id === practitionerId) : undefined;
    return reply.render(NOT_SEEN, {
      title: `People with no contact for ${daysText(found.noContactDays)}`,
      errors,
      hasTeam: Boolean(viewer.teamId),
      practitionerName: who?.name ?? null,
      unknownPractitioner: Boolean(practitionerId && !who),
      cards: found.entries.map((e) => cardOf(e, true)),
      countText: peopleText(found.entries.length),
    });
  });

  app.get('/team-dashboard/contacts', async (request, reply) => {
    const viewer = viewerOf(request);
    const { query, errors } = parseQuery<TeamContactsQuery>(() => parseInput(TeamContactsQuerySchema, request.query));
    const range = rangeOf(query, errors !== undefined);
    const kind: ContactKind = query.kind || 'all';
    const practitionerId = query.practitioner_id || undefined;
    const [{ contacts, truncated }, team] = await Promise.all([
      dashboards.teamContacts(db, viewer, range, practitionerId, kind),
      viewer.teamId ? dashboards.teamPractitioners(db, viewer.teamId) : Promise.resolve([]),
    ]);
    const who = practitionerId ? team.find((u) => u.id === practitionerId) : undefined;
    return reply.render(CONTACTS, {
      title: KIND_TITLES[kind],
      columnWidth: 'full',
      dashboardHref: hrefWith('/team-dashboard', range),
      errors,
      hasTeam: Boolean(viewer.teamId),
      range,
      practitionerName: who?.name ?? null,
      unknownPractitioner: Boolean(practitionerId && !who),
      truncated,
      countText: contacts.length === 1 ? '1 contact' : `${contacts.length} contacts`,
      contacts: contacts.map((c) => ({
        ...c,
        modeLabel: MODE_LABELS[c.mode as ContactMode] ?? c.mode,
        purposeLabel: PURPOSE_LABELS[c.purpose as ContactPurpose] ?? c.purpose,
      })),
    });
  });
}
