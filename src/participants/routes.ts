import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isRecordId } from '../db/records.ts';
import { ConflictError, NotFoundError, RuleError, ValidationError } from '../errors.ts';
import { decodeCursor, listBody, recordIdParam } from '../http/api.ts';
import { auditContext } from '../http/audit-context.ts';
import { parseInput } from '../http/validate.ts';
import * as internships from '../internships/graduation.ts';
import { INTERN_STATUS_LABELS, OUTCOME_LABELS } from '../internships/rules.ts';
import * as teams from '../teams/service.ts';
import * as users from '../users/service.ts';
import {
  COMMUNICATION_NEEDS,
  COMMUNICATION_NEED_LABELS,
  CONTACT_METHODS,
  CONTACT_METHOD_LABELS,
  PROGRAMMES,
  PROGRAMME_LABELS,
  STATUSES,
  STATUS_LABELS,
  STATUS_COLOURS,
  NEXT_STEPS,
  type Viewer,
  allowedNextStatuses,
  formatNhsNumber,
} from './rules.ts';
import {
  ParticipantApiListQuerySchema,
  ParticipantAssignFormSchema,
  ParticipantJsonSchema,
  ParticipantListJsonSchema,
  ParticipantListQuerySchema,
  type ParticipantListQuery,
  ParticipantStatusFormSchema,
  groupDateOfBirth,
  participantCreateFormSchema,
  participantCreateSchema,
  participantEditFormSchema,
  participantUpdateSchema,
} from './schema.ts';
import * as participants from './service.ts';

const LIST = 'participants/views/list.njk';
const NEW = 'participants/views/new.njk';
const SHOW = 'participants/views/participant.njk';
const EDIT = 'participants/views/edit.njk';
const CONFIRM_ASSIGN = 'participants/views/confirm-assign.njk';

const PAGE_SIZE = 25;
// The API description is built once; a far-off day stands in for "today" in the date-of-birth check.
const DOC_TODAY = '2100-01-01';

const DONE_MESSAGES: Record<string, string> = {
  created: 'Participant added',
  updated: 'Changes saved',
  status: 'Status changed',
  assigned: 'Practitioner changed',
};

const statusItems = STATUSES.map((s) => ({ value: s, text: STATUS_LABELS[s] }));
const programmeItems = PROGRAMMES.map((p) => ({ value: p, text: PROGRAMME_LABELS[p] }));
const contactMethodItems = CONTACT_METHODS.map((m) => ({ value: m, text: CONTACT_METHOD_LABELS[m] }));
const needItems = COMMUNICATION_NEEDS.map((n) => ({ value: n, text: COMMUNICATION_NEED_LABELS[n] }));

// ---- Shared list helpers (the participants list and "My caseload") ---------------------------

/** Today's date in the UK, `YYYY-MM-DD`. */
function ukToday(now: Date): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/London',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
}

/** Whole days from one calendar date to another. */
function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

function daysText(days: number): string {
  return days === 1 ? '1 day' : `${days} days`;
}

/** A list row as the tables show it. */
function listRow(p: participants.ParticipantListItem, today: string) {
  return {
    id: p.id,
    name: `${p.givenName} ${p.familyName}`,
    preferredName: p.preferredName,
    nhsNumber: formatNhsNumber(p.nhsNumber),
    status: p.status,
    statusLabel: STATUS_LABELS[p.status],
    statusColour: STATUS_COLOURS[p.status],
    programme: PROGRAMME_LABELS[p.programme],
    practitionerName: p.practitionerName,
    teamName: p.teamName,
    sinceReferral: p.latestReferralDate ? daysText(daysBetween(p.latestReferralDate, today)) : null,
    nextStep: NEXT_STEPS[p.status],
  };
}

/** A path with query parameters, leaving out the empty ones. */
function hrefWith(path: string, params: Record<string, string | number | undefined | null>): string {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') qs.set(k, String(v));
  const s = qs.toString();
  return s ? `${path}?${s}` : path;
}

/**
 * Page-number pagination for the NHS.UK pagination macro: previous, next, and the page numbers
 * around the current one with the first and last always shown.
 */
function pagination(total: number, page: number, pageSize: number, href: (page: number) => string) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  if (pages <= 1) return null;
  const shown = [...new Set([1, page - 1, page, page + 1, pages])].filter((n) => n >= 1 && n <= pages).sort((a, b) => a - b);
  const items: ({ number: number; href: string; current: boolean } | { ellipsis: true })[] = [];
  shown.forEach((n, i) => {
    const before = shown[i - 1];
    if (before !== undefined && n - before > 1) items.push({ ellipsis: true });
    items.push({ number: n, href: href(n), current: n === page });
  });
  return {
    items,
    previous: page > 1 ? { href: href(page - 1) } : undefined,
    next: page < pages ? { href: href(page + 1) } : undefined,
  };
}

/** "Showing 26 to 50 of 73 people". */
function showingText(total: number, page: number, count: number, pageSize: number): string {
  if (total === 0) return '';
  const first = (page - 1) * pageSize + 1;
  const noun = total === 1 ? 'person' : 'people';
  return count === total ? `${total} ${noun}` : `Showing ${first} to ${first + count - 1} of ${total} ${noun}`;
}

/** The search filter for a parsed list query (pages and API alike). */
function filterOf(q: {
  q?: string | undefined;
  nhs_number?: string | undefined;
  status?: string | undefined;
  programme?: string | undefined;
  practitioner_id?: string | undefined;
  team_id?: string | undefined;
}) {
  const f: Parameters<typeof participants.searchParticipants>[2] = {};
  if (q.q) f.name = q.q;
  if (q.nhs_number) f.nhsNumber = q.nhs_number;
  if (q.status) f.status = q.status;
  if (q.programme) f.programme = q.programme;
  if (q.practitioner_id) f.practitionerId = q.practitioner_id;
  if (q.team_id) f.teamId = q.team_id;
  return f;
}

// ---- Other helpers ------------------------------------------------------------------------------

function viewerOf(request: FastifyRequest): Viewer {
  const actor = request.actor;
  if (!actor) throw new NotFoundError('Participant not found');
  return participants.viewerOf(actor);
}

/** The record id in a page's path; a malformed one is simply a page that does not exist. */
function pageId(request: FastifyRequest): string {
  const id = (request.params as Record<string, unknown>).id;
  if (!isRecordId(id)) throw new NotFoundError('Participant not found');
  return id;
}

/** What a form posted, to show again; never the CSRF token. */
function typedValues(body: unknown): Record<string, unknown> {
  const values = { ...((body ?? {}) as Record<string, unknown>) };
  delete values._csrf;
  // Checkboxes post one string for one box ticked: the template wants a list.
  const needs = values.communication_needs;
  values.communication_needs = needs === undefined ? [] : Array.isArray(needs) ? needs : [needs];
  return values;
}

/** The form's values for a saved record. */
function formValuesOf(p: participants.Participant): Record<string, unknown> {
  const [year, month, day] = p.dateOfBirth ? p.dateOfBirth.split('-') : [];
  return {
    given_name: p.givenName,
    family_name: p.familyName,
    preferred_name: p.preferredName ?? '',
    pronouns: p.pronouns ?? '',
    date_of_birth_day: day ? String(Number(day)) : '',
    date_of_birth_month: month ? String(Number(month)) : '',
    date_of_birth_year: year ?? '',
    nhs_number: formatNhsNumber(p.nhsNumber),
    phone: p.phone ?? '',
    email: p.email ?? '',
    address: p.address ?? '',
    preferred_contact_method: p.preferredContactMethod ?? '',
    communication_needs: p.communicationNeeds,
    communication_notes: p.communicationNotes ?? '',
    programme: p.programme,
    version: String(p.version),
  };
}

/** The service's input from a parsed form or API body (both use the API's field names). */
function detailsOf(input: {
  given_name?: string | undefined;
  family_name?: string | undefined;
  preferred_name?: string | null | undefined;
  pronouns?: string | null | undefined;
  date_of_birth?: string | null | undefined;
  nhs_number?: string | null | undefined;
  phone?: string | null | undefined;
  email?: string | null | undefined;
  address?: string | null | undefined;
  preferred_contact_method?: string | null | undefined;
  communication_needs?: participants.Participant['communicationNeeds'] | undefined;
  communication_notes?: string | null | undefined;
  programme?: participants.Participant['programme'] | undefined;
}): Partial<participants.ParticipantInput> {
  const out: Partial<participants.ParticipantInput> = {};
  if (input.given_name !== undefined) out.givenName = input.given_name;
  if (input.family_name !== undefined) out.familyName = input.family_name;
  if (input.preferred_name !== undefined) out.preferredName = input.preferred_name;
  if (input.pronouns !== undefined) out.pronouns = input.pronouns;
  if (input.date_of_birth !== undefined) out.dateOfBirth = input.date_of_birth;
  if (input.nhs_number !== undefined) out.nhsNumber = input.nhs_number;
  if (input.phone !== undefined) out.phone = input.phone;
  if (input.email !== undefined) out.email = input.email;
  if (input.address !== undefined) out.address = input.address;
  if (input.preferred_contact_method !== undefined) out.preferredContactMethod = input.preferred_contact_method;
  if (input.communication_needs !== undefined) out.communicationNeeds = input.communication_needs;
  if (input.communication_notes !== undefined) out.communicationNotes = input.communication_notes;
  if (input.programme !== undefined) out.programme = input.programme;
  return out;
}

/** A possible duplicate in the API: nothing about a record the caller may not see but its team. */
function duplicateJson(d: participants.PossibleDuplicate): Record<string, unknown> {
  return {
    id: d.visible ? d.id : null,
    visible: d.visible,
    name: d.name,
    date_of_birth: d.dateOfBirth,
    nhs_number: d.nhsNumber,
    team_name: d.teamName,
    reason: d.reason,
  };
}

/** Participant pages and the `participants` API ("My caseload" is in dashboards/). */
export async function participantRoutes(app: FastifyInstance): Promise<void> {
  const { db, deps } = app;
  const today = () => ukToday(deps.clock.now());

  /** Active practitioners (optionally of one team), as select items labelled with their team. */
  const practitionerItems = async (teamId?: string | null) => {
    const filter: users.UserListFilter = { role: 'practitioner', active: true };
    if (teamId) filter.teamId = teamId;
    const page = await users.listUsers(db, filter, 500);
    return page.items
      .map((u) => ({ value: u.id, text: u.teamName && !teamId ? `${u.name} (${u.teamName})` : u.name }))
      .sort((a, b) => a.text.localeCompare(b.text));
  };

  // ---- Participants list ------------------------------------------------------------------------

  app.get('/participants', async (request, reply) => {
    const viewer = viewerOf(request);
    let query: ParticipantListQuery;
    let errors: Record<string, string> | undefined;
    try {
      query = parseInput(ParticipantListQuerySchema, request.query);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      // A bad link or hand-edited address: say what is wrong and show the first page unfiltered.
      errors = err.fields;
      query = {};
    }
    const page = query.page ?? 1;
    const sort = query.sort ?? 'name';
    const direction = query.direction ?? (sort === 'updated' ? 'desc' : 'asc');
    const result = await participants.searchParticipants(db, viewer, filterOf(query), {
      sort,
      direction,
      limit: PAGE_SIZE,
      offset: (page - 1) * PAGE_SIZE,
    });
    const filters = {
      q: query.q,
      nhs_number: query.nhs_number,
      status: query.status,
      programme: query.programme,
      practitioner_id: query.practitioner_id,
      team_id: query.team_id,
    };
    const href = (p: number, s = sort, d = direction) =>
      hrefWith('/participants', { ...filters, sort: s === 'name' ? undefined : s, direction: d, page: p === 1 ? undefined : p });
    const sortHeader = (key: 'name' | 'status' | 'updated', text: string) => {
      const isCurrent = sort === key;
      const next = isCurrent ? (direction === 'asc' ? 'desc' : 'asc') : key === 'updated' ? 'desc' : 'asc';
      return { text, href: href(1, key, next), sort: isCurrent ? (direction === 'asc' ? 'ascending' : 'descending') : 'none' };
    };
    // Practitioners and managers see their own team's people, so only their team's practitioners
    // can narrow the list; a clinician's people may be with any employment team.
    const ownTeam = viewer.role === 'practitioner' || viewer.role === 'manager' ? viewer.teamId : null;
    const [practitioners, teamList] = await Promise.all([
      practitionerItems(ownTeam),
      ownTeam ? Promise.resolve(null) : teams.listTeams(db),
    ]);
    const filtered = Object.values(filters).some(Boolean);
    const t = today();
    return reply.render(LIST, {
      title: 'Participants',
      columnWidth: 'full',
      rows: result.items.map((p) => listRow(p, t)),
      total: result.total,
      showing: showingText(result.total, page, result.items.length, PAGE_SIZE),
      pages: pagination(result.total, page, PAGE_SIZE, (p) => href(p)),
      values: errors ? request.query : filters,
      moreFiltersOpen: Boolean(query.status || query.programme || query.practitioner_id || query.team_id),
      errors,
      filtered,
      firstPageHref: page > 1 && result.items.length === 0 && result.total > 0 ? href(1) : null,
      sortHeaders: {
        name: sortHeader('name', 'Name'),
        status: sortHeader('status', 'Status'),
        updated: sortHeader('updated', 'Last updated'),
      },
      sortedBy: sort,
      statusItems: [{ value: '', text: 'Any status' }, ...statusItems],
      programmeItems: [{ value: '', text: 'Any programme' }, ...programmeItems],
      practitionerItems: [{ value: '', text: 'Any practitioner' }, ...practitioners],
      teamItems: teamList ? [{ value: '', text: 'Any team' }, ...teamList.map((tm) => ({ value: tm.id, text: tm.name }))] : null,
      canAdd: viewer.role === 'practitioner' || viewer.role === 'manager',
    });
  });

  // ---- Add a participant --------------------------------------------------------------------------

  const newContext = async (request: FastifyRequest) => {
    const viewer = viewerOf(request);
    const practitioners = viewer.teamId
      ? await practitionerItems(viewer.teamId)
      : viewer.role === 'practitioner'
        ? [{ value: viewer.userId, text: request.actor?.name ?? 'You' }]
        : [];
    return {
      title: 'Add a participant',
      backHref: '/participants',
      programmeItems,
      contactMethodItems,
      needItems,
      practitionerItems: viewer.role === 'manager' ? [{ value: '', text: 'Not assigned yet' }, ...practitioners] : practitioners,
    };
  };

  app.get('/participants/new', async (request, reply) => {
    const viewer = viewerOf(request);
    return reply.render(NEW, {
      ...(await newContext(request)),
      values: { practitioner_id: viewer.role === 'practitioner' ? viewer.userId : '', communication_needs: [] },
    });
  });

  app.post('/participants', async (request, reply) => {
    const viewer = viewerOf(request);
    const values = typedValues(request.body);
    const showForm = async (status: number, extra: Record<string, unknown>) =>
      reply.status(status).render(NEW, { ...(await newContext(request)), values, ...extra });

    let input;
    try {
      input = parseInput(participantCreateFormSchema(today()), groupDateOfBirth(request.body));
    } catch (err) {
      if (err instanceof ValidationError) return showForm(400, { errors: err.fields });
      throw err;
    }
    const details = {
      ...detailsOf(input),
      givenName: input.given_name,
      familyName: input.family_name,
      programme: input.programme,
      practitionerId: input.practitioner_id,
    };
    const askAboutDuplicates = (duplicates: participants.PossibleDuplicate[], errors?: Record<string, string>) =>
      showForm(errors ? 400 : 200, {
        duplicates,
        visibleDuplicates: duplicates
          .filter((d) => d.visible)
          .map((d) => ({ ...d, nhsNumberText: formatNhsNumber(d.nhsNumber) })),
        hiddenDuplicates: duplicates.filter((d) => !d.visible),
        duplicatesChecked: duplicates.map((d) => d.id).join(','),
        errors,
      });

    // After the duplicates question: go ahead only if nobody new has turned up since it was asked.
    const options: { allowDuplicates?: boolean; linkTo?: string | null } = {};
    if (input.duplicates_checked !== undefined) {
      const checked = new Set(input.duplicates_checked.split(',').filter(Boolean));
      const found = await participants.possibleDuplicates(db, viewer, details);
      const action = input.duplicate_action ?? '';
      if (found.some((d) => !checked.has(d.id))) return askAboutDuplicates(found);
      if (action === 'new') options.allowDuplicates = true;
      else if (found.some((d) => d.visible && d.id === action)) {
        options.allowDuplicates = true;
        options.linkTo = action;
      } else if (found.length > 0) {
        return askAboutDuplicates(found, {
          duplicate_action: 'Select the record to link to, or select that this is a different person',
        });
      }
    }

    try {
      const { participant } = await db
        .transaction()
        .execute((trx) => participants.createParticipant(trx, deps, auditContext(request), viewer, details, options));
      return await reply.redirect(`/participants/${participant.id}?done=created`);
    } catch (err) {
      if (err instanceof participants.DuplicatesFound) return askAboutDuplicates(err.duplicates);
      if (err instanceof ValidationError) {
        const { link_to: linkTo, ...fields } = err.fields;
        return showForm(400, { errors: linkTo ? { ...fields, duplicate_action: linkTo } : fields });
      }
      throw err;
    }
  });

  // ---- A participant's page --------------------------------------------------------------------

  /** Everything the participant's page shows; reading it is audited. */
  const showContext = async (request: FastifyRequest, id: string) => {
    const viewer = viewerOf(request);
    const p = await participants.viewParticipant(db, deps, auditContext(request), viewer, id);
    const [practitioner, team, history, caseload, practitioners, internshipHistory] = await Promise.all([
      p.practitionerId ? users.getUser(db, p.practitionerId).catch(() => undefined) : undefined,
      p.teamId ? teams.getTeam(db, p.teamId).catch(() => undefined) : undefined,
      participants.statusHistory(db, id),
      p.practitionerId ? participants.caseloadOf(db, p.practitionerId) : undefined,
      p.canEdit ? practitionerItems(viewer.role === 'practitioner' ? viewer.teamId : undefined) : [],
      internships.internshipHistory(db, id),
    ]);
    return {
      title: `${p.givenName} ${p.familyName}`,
      backHref: '/participants',
      p,
      nhsNumber: formatNhsNumber(p.nhsNumber),
      statusLabel: STATUS_LABELS[p.status],
      statusColour: STATUS_COLOURS[p.status],
      programmeLabel: PROGRAMME_LABELS[p.programme],
      contactMethodLabel: p.preferredContactMethod
        ? (CONTACT_METHOD_LABELS[p.preferredContactMethod as keyof typeof CONTACT_METHOD_LABELS] ?? p.preferredContactMethod)
        : null,
      needsText: p.communicationNeeds.map((n) => COMMUNICATION_NEED_LABELS[n] ?? n).join(', '),
      practitionerName: practitioner?.name ?? null,
      teamName: team?.name ?? null,
      caseload,
      history: history.map((h) => ({
        ...h,
        fromLabel: h.fromStatus ? STATUS_LABELS[h.fromStatus] : null,
        toLabel: STATUS_LABELS[h.toStatus],
      })),
      nextStatusItems: allowedNextStatuses(p.status).map((s) => ({ value: s, text: STATUS_LABELS[s] })),
      practitionerItems: [{ value: '', text: 'Select a practitioner' }, ...practitioners],
      // Their supported internships, kept on the record whoever supports them now.
      internships: internshipHistory.map((i) => ({
        ...i,
        statusLabel: INTERN_STATUS_LABELS[i.status],
        outcomeLabel: i.outcome ? OUTCOME_LABELS[i.outcome] : null,
        jobText: i.job?.title ? `${i.job.title}${i.job.employerName ? ` at ${i.job.employerName}` : ''}` : null,
        verdictText: i.programmeOutcome
          ? i.programmeOutcome.meets
            ? 'Meets the programme outcome'
            : `Does not meet the programme outcome: ${i.programmeOutcome.reasons
                .filter((r) => !r.fits)
                .map((r) => r.text)
                .join('; ')}`
          : null,
      })),
    };
  };

  app.get('/participants/:id', async (request, reply) => {
    const id = pageId(request);
    const done = (request.query as Record<string, unknown>).done;
    const context = await showContext(request, id);
    return reply.render(SHOW, {
      ...context,
      flash: typeof done === 'string' ? DONE_MESSAGES[done] : undefined,
      values: {},
    });
  });

  /** Re-shows the participant's page with a refusal beside the form that caused it. */
  const refuseOnPage = async (request: FastifyRequest, reply: FastifyReply, id: string, err: unknown, field: string) => {
    if (err instanceof ValidationError) {
      return reply.status(400).render(SHOW, { ...(await showContext(request, id)), values: request.body, errors: err.fields });
    }
    if (err instanceof ConflictError || err instanceof RuleError) {
      return reply
        .status(err.statusCode)
        .render(SHOW, { ...(await showContext(request, id)), values: request.body, errors: { [field]: err.message } });
    }
    throw err;
  };

  app.post('/participants/:id/status', async (request, reply) => {
    const id = pageId(request);
    const viewer = viewerOf(request);
    try {
      const input = parseInput(ParticipantStatusFormSchema, request.body);
      await db
        .transaction()
        .execute((trx) =>
          participants.changeStatus(trx, deps, auditContext(request), viewer, id, input.version, input.status, input.reason),
        );
    } catch (err) {
      return refuseOnPage(request, reply, id, err, 'status');
    }
    return reply.redirect(`/participants/${id}?done=status`);
  });

  app.post('/participants/:id/practitioner', async (request, reply) => {
    const id = pageId(request);
    const viewer = viewerOf(request);
    let stillVisible: boolean;
    try {
      const input = parseInput(ParticipantAssignFormSchema, request.body);
      try {
        const updated = await db.transaction().execute((trx) =>
          participants.assignPractitioner(trx, deps, auditContext(request), viewer, id, input.version, input.practitioner_id, {
            confirmOverLimit: input.confirm === 'yes',
          }),
        );
        stillVisible = await participants.loadVisible(db, viewer, updated.id).then(
          () => true,
          () => false,
        );
      } catch (err) {
        if (!(err instanceof participants.CaseloadOverLimit)) throw err;
        const p = await participants.loadEditable(db, viewer, id);
        const practitioner = await users.getUser(db, input.practitioner_id);
        return await reply.render(CONFIRM_ASSIGN, {
          title: `${practitioner.name} already has ${err.check.count} people on their caseload`,
          backHref: `/participants/${id}`,
          p,
          practitioner,
          check: err.check,
          version: input.version,
        });
      }
    } catch (err) {
      return refuseOnPage(request, reply, id, err, 'practitioner_id');
    }
    // Handing someone to another team can take them out of the viewer's sight.
    return reply.redirect(stillVisible ? `/participants/${id}?done=assigned` : '/participants?done=assigned');
  });

  // ---- Edit details -------------------------------------------------------------------------------

  const editContext = async (request: FastifyRequest, id: string) => {
    const viewer = viewerOf(request);
    const p = await participants.viewParticipant(db, deps, auditContext(request), viewer, id);
    if (!p.canEdit) throw new RuleError('You can read this record but not change it');
    return {
      title: `Change details for ${p.givenName} ${p.familyName}`,
      backHref: `/participants/${id}`,
      p,
      programmeItems,
      contactMethodItems,
      needItems,
    };
  };

  app.get('/participants/:id/edit', async (request, reply) => {
    const id = pageId(request);
    const context = await editContext(request, id);
    return reply.render(EDIT, { ...context, values: formValuesOf(context.p) });
  });

  app.post('/participants/:id/edit', async (request, reply) => {
    const id = pageId(request);
    const viewer = viewerOf(request);
    const values = typedValues(request.body);
    try {
      const input = parseInput(participantEditFormSchema(today()), groupDateOfBirth(request.body));
      await db.transaction().execute((trx) =>
        participants.updateParticipant(trx, deps, auditContext(request), viewer, id, input.version, {
          ...detailsOf(input),
          givenName: input.given_name,
          familyName: input.family_name,
        }),
      );
    } catch (err) {
      if (err instanceof ValidationError) {
        return reply.status(400).render(EDIT, { ...(await editContext(request, id)), values, errors: err.fields });
      }
      if (err instanceof ConflictError) {
        // Keep what they typed, show what is saved now, and let a second save (now against the
        // current version) go through.
        const context = await editContext(request, id);
        return reply.status(409).render(EDIT, {
          ...context,
          conflict: true,
          saved: {
            nhsNumber: formatNhsNumber(context.p.nhsNumber),
            programmeLabel: PROGRAMME_LABELS[context.p.programme],
            contactMethodLabel: context.p.preferredContactMethod
              ? (CONTACT_METHOD_LABELS[context.p.preferredContactMethod as keyof typeof CONTACT_METHOD_LABELS] ??
                context.p.preferredContactMethod)
              : '',
            needsText: context.p.communicationNeeds.map((n) => COMMUNICATION_NEED_LABELS[n] ?? n).join(', '),
          },
          values: { ...values, version: String(context.p.version) },
          errors: { given_name: `${err.message}. Check your changes against the saved details, then save again` },
        });
      }
      throw err;
    }
    return reply.redirect(`/participants/${id}?done=updated`);
  });

  // ---- JSON API -----------------------------------------------------------------------------------

  const listDoc = {
    summary: 'Search the participants you may see, ordered by family name',
    tag: 'participants',
    query: ParticipantApiListQuerySchema,
    response: ParticipantListJsonSchema,
  };
  app.get('/api/v1/participants', { config: { api: listDoc } }, async (request) => {
    const viewer = viewerOf(request);
    const query = parseInput(ParticipantApiListQuerySchema, request.query);
    // The cursor is the offset of the next page, opaque to callers.
    const key = decodeCursor(query.cursor);
    const offset = key === undefined ? 0 : Number(key);
    if (!Number.isInteger(offset) || offset < 0) throw new ValidationError({ cursor: 'Cursor is not valid' });
    const result = await participants.searchParticipants(db, viewer, filterOf(query), {
      sort: 'name',
      direction: 'asc',
      limit: query.limit,
      offset,
    });
    const next = offset + query.limit < result.total ? String(offset + query.limit) : null;
    return listBody(result.items.map(participants.participantJson), next);
  });

  const createDoc = {
    summary:
      'Add a participant. Possible duplicates (same NHS number, or same name and date of birth) are a 422 listing them in `duplicates`; send `allow_duplicates: true` (and `link_to` to link one) after checking them',
    tag: 'participants',
    body: participantCreateSchema(DOC_TODAY),
    response: ParticipantJsonSchema,
    status: 201,
  };
  app.post('/api/v1/participants', { config: { api: createDoc } }, async (request, reply) => {
    const viewer = viewerOf(request);
    const input = parseInput(participantCreateSchema(today()), request.body);
    try {
      const { participant } = await db.transaction().execute((trx) =>
        participants.createParticipant(
          trx,
          deps,
          auditContext(request),
          viewer,
          {
            ...detailsOf(input),
            givenName: input.given_name,
            familyName: input.family_name,
            programme: input.programme,
            ...(input.practitioner_id !== undefined ? { practitionerId: input.practitioner_id } : {}),
            ...(input.team_id !== undefined ? { teamId: input.team_id } : {}),
          },
          { allowDuplicates: input.allow_duplicates ?? false, linkTo: input.link_to ?? null },
        ),
      );
      return await reply
        .status(201)
        .header('location', `/api/v1/participants/${participant.id}`)
        .send(participants.participantJson(participant));
    } catch (err) {
      if (!(err instanceof participants.DuplicatesFound)) throw err;
      return reply.status(422).send({
        error: { code: err.code, message: err.message },
        duplicates: err.duplicates.map(duplicateJson),
      });
    }
  });

  const readDoc = {
    summary: 'One participant (the read is audited; 404 for a record you may not see)',
    tag: 'participants',
    response: ParticipantJsonSchema,
  };
  app.get('/api/v1/participants/:id', { config: { api: readDoc } }, async (request) => {
    const id = recordIdParam(request.params);
    const p = await participants.viewParticipant(db, deps, auditContext(request), viewerOf(request), id);
    return participants.participantJson(p);
  });

  const updateDoc = {
    summary:
      'Change a participant: send the `version` you read. `status` moves by the transition rule (422 with the reason when refused); `practitioner_id` reassigns, and over the caseload limit needs `confirm_over_limit: true` (else 422)',
    tag: 'participants',
    body: participantUpdateSchema(DOC_TODAY),
    response: ParticipantJsonSchema,
  };
  app.patch('/api/v1/participants/:id', { config: { api: updateDoc } }, async (request) => {
    const id = recordIdParam(request.params);
    const viewer = viewerOf(request);
    const input = parseInput(participantUpdateSchema(today()), request.body);
    const details = detailsOf(input);
    const updated = await db.transaction().execute(async (trx) => {
      const ctx = auditContext(request);
      // Each step checks the version it was given, then passes on the record's new one.
      let p: participants.Participant = await participants.loadEditable(trx, viewer, id);
      if (p.version !== input.version) throw new ConflictError();
      if (Object.keys(details).length > 0)
        p = await participants.updateParticipant(trx, deps, ctx, viewer, id, p.version, details);
      if (input.status !== undefined) {
        p = await participants.changeStatus(trx, deps, ctx, viewer, id, p.version, input.status, input.status_reason);
      }
      if (input.practitioner_id !== undefined) {
        p = await participants.assignPractitioner(trx, deps, ctx, viewer, id, p.version, input.practitioner_id, {
          confirmOverLimit: input.confirm_over_limit ?? false,
        });
      }
      return p;
    });
    return participants.participantJson(updated);
  });
}
