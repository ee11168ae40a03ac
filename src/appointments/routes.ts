import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isRecordId } from '../db/records.ts';
import { ConflictError, NotFoundError, RuleError, ValidationError } from '../errors.ts';
import * as contacts from '../contacts/service.ts';
import { MODE_LABELS, PURPOSES, PURPOSE_LABELS } from '../contacts/rules.ts';
import { decodeCursor, encodeCursor, recordIdParam } from '../http/api.ts';
import { auditContext } from '../http/audit-context.ts';
import { parseInput } from '../http/validate.ts';
import * as participants from '../participants/service.ts';
import type { Viewer } from '../participants/rules.ts';
import * as sites from '../sites/service.ts';
import {
  APPOINTMENT_STATUS_COLOURS,
  APPOINTMENT_STATUS_LABELS,
  PLACE_KINDS,
  PLACE_KIND_LABELS,
  addDays,
  allowedStatusMoves,
  londonClock,
  londonDay,
  londonInstant,
  weekDays,
  weekStartOf,
} from './rules.ts';
import {
  AppointmentAttendedFormSchema,
  AppointmentAttendedSchema,
  AppointmentCreateSchema,
  AppointmentFormSchema,
  AppointmentJsonSchema,
  AppointmentListJsonSchema,
  AppointmentListQuerySchema,
  AppointmentStatusFormSchema,
  AppointmentUpdateSchema,
  AppointmentWeekQuerySchema,
  AttendedContactJsonSchema,
  groupDate,
} from './schema.ts';
import * as appointments from './service.ts';

const NEW = 'appointments/views/new.njk';
const SHOW = 'appointments/views/appointment.njk';
const CANCEL = 'appointments/views/cancel.njk';
const WEEK = 'appointments/views/week.njk';
const PERSON = 'appointments/views/person.njk';
const FEED = 'appointments/views/calendar-feed.njk';

const DONE_MESSAGES: Record<string, string> = {
  planned: 'Appointment planned',
  did_not_attend: 'Recorded that they did not attend',
  cancelled: 'Appointment cancelled',
  revoked: 'Calendar address turned off. Calendars using it will stop updating',
};

const dayHeading = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long' });
const shortDay = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' });
const longDateTime = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
});

/** "Tuesday 1 December 2026 at 10:00". */
function whenText(instant: string): string {
  return `${longDateTime.format(new Date(instant)).replace(',', '')} at ${londonClock(instant)}`;
}

function durationText(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  const parts = [h ? `${h} hour${h === 1 ? '' : 's'}` : '', m ? `${m} minutes` : ''].filter(Boolean);
  return parts.join(' ');
}

/** The name a person likes to be called, with their family name. */
function displayName(p: { givenName: string; familyName: string; preferredName: string | null }): string {
  return `${p.preferredName || p.givenName} ${p.familyName}`;
}

function viewerOf(request: FastifyRequest): Viewer {
  const actor = request.actor;
  if (!actor) throw new NotFoundError();
  return participants.viewerOf(actor);
}

function pathId(request: FastifyRequest, message: string): string {
  const id = (request.params as Record<string, unknown>).id;
  if (!isRecordId(id)) throw new NotFoundError(message);
  return id;
}

/** What a form posted, to show again; never the CSRF token. */
function typedValues(body: unknown): Record<string, unknown> {
  const values = { ...((body ?? {}) as Record<string, unknown>) };
  delete values._csrf;
  return values;
}

/** One appointment as the pages show it. */
function appointmentView(a: appointments.Appointment) {
  const end = new Date(new Date(a.startsAt).getTime() + a.durationMinutes * 60_000).toISOString();
  return {
    ...a,
    name: displayName(a.person),
    when: whenText(a.startsAt),
    time: `${londonClock(a.startsAt)} to ${londonClock(end)}`,
    durationText: durationText(a.durationMinutes),
    statusLabel: APPOINTMENT_STATUS_LABELS[a.status],
    statusColour: APPOINTMENT_STATUS_COLOURS[a.status],
    purposeLabel: a.purpose ? PURPOSE_LABELS[a.purpose] : null,
    href: `/appointments/${a.id}`,
  };
}

/** Appointment pages, the week view, the private calendar feed and the `appointments` API. */
export async function appointmentRoutes(app: FastifyInstance): Promise<void> {
  const { db, deps } = app;
  const today = () => londonDay(deps.clock.now());

  // ---- Plan an appointment ------------------------------------------------------------------------

  const newContext = async (request: FastifyRequest) => {
    const viewer = viewerOf(request);
    const id = pathId(request, 'Participant not found');
    const p = await participants.loadEditable(db, viewer, id);
    const [siteList, team] = await Promise.all([sites.listSites(db), appointments.teamDiaryOwners(db, viewer)]);
    return {
      title: `Plan an appointment with ${displayName(p)}`,
      backHref: `/participants/${id}/appointments`,
      p,
      name: displayName(p),
      siteItems: [{ value: '', text: 'Select a site' }, ...siteList.map((s) => ({ value: s.id, text: s.name }))],
      hasSites: siteList.length > 0,
      placeItems: PLACE_KINDS.map((k) => ({ value: k, text: PLACE_KIND_LABELS[k] })),
      purposeItems: [{ value: '', text: 'Select a purpose' }, ...PURPOSES.map((k) => ({ value: k, text: PURPOSE_LABELS[k] }))],
      practitionerItems: team
        .filter((u) => u.role === 'practitioner' || u.id === viewer.userId)
        .map((u) => ({ value: u.id, text: u.id === viewer.userId ? `${u.name} (you)` : u.name })),
      isManager: viewer.role === 'manager',
    };
  };

  app.get('/participants/:id/appointments/new', async (request, reply) => {
    const context = await newContext(request);
    const [year, month, day] = addDays(today(), 1).split('-');
    return reply.render(NEW, {
      ...context,
      values: {
        date_day: String(Number(day)),
        date_month: String(Number(month)),
        date_year: year,
        duration_minutes: '60',
        place_kind: 'community',
        practitioner_id: viewerOf(request).userId,
      },
    });
  });

  app.post('/participants/:id/appointments', async (request, reply) => {
    const id = pathId(request, 'Participant not found');
    const viewer = viewerOf(request);
    try {
      const input = parseInput(AppointmentFormSchema, groupDate(request.body));
      await appointments.planAppointment(db, deps, auditContext(request), viewer, id, {
        startsAt: input.starts_at,
        durationMinutes: input.duration_minutes,
        placeKind: input.place_kind,
        siteId: input.site_id ?? null,
        department: input.department,
        placeDetail: input.place_detail,
        withWhom: input.with_whom,
        purpose: input.purpose,
        practitionerId: input.practitioner_id,
      });
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return reply
        .status(400)
        .render(NEW, { ...(await newContext(request)), values: typedValues(request.body), errors: err.fields });
    }
    return reply.redirect(`/participants/${id}/appointments?done=planned`);
  });

  // ---- A person's appointments --------------------------------------------------------------------

  app.get('/participants/:id/appointments', async (request, reply) => {
    const id = pathId(request, 'Participant not found');
    const viewer = viewerOf(request);
    const p = await participants.loadVisible(db, viewer, id);
    const list = (await appointments.viewForParticipant(db, deps, auditContext(request), viewer, id)).map(appointmentView);
    const now = deps.clock.now().toISOString();
    const query = request.query as Record<string, unknown>;
    const flash = typeof query.done === 'string' ? DONE_MESSAGES[query.done] : undefined;
    return reply.render(PERSON, {
      title: `Appointments with ${displayName(p)}`,
      backHref: `/participants/${id}`,
      p,
      name: displayName(p),
      flash,
      canPlan: p.canEdit,
      upcoming: list.filter((a) => a.startsAt >= now && a.status === 'planned').reverse(),
      past: list.filter((a) => !(a.startsAt >= now && a.status === 'planned')),
    });
  });

  // ---- Week view ------------------------------------------------------------------------------------

  app.get('/appointments', async (request, reply) => {
    const viewer = viewerOf(request);
    let query: { week?: string | undefined; practitioner_id?: string | undefined; done?: string | undefined };
    let errors: Record<string, string> | undefined;
    try {
      query = parseInput(AppointmentWeekQuerySchema, request.query);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      errors = err.fields;
      query = {};
    }
    const owner = await appointments.diaryOwner(db, viewer, query.practitioner_id || undefined);
    const monday = weekStartOf(query.week || today());
    const list = (await appointments.listWeek(db, viewer, owner.id, monday)).map(appointmentView);
    const t = today();
    const days = weekDays(monday).map((day) => ({
      day,
      heading: dayHeading.format(new Date(`${day}T12:00:00Z`)),
      isToday: day === t,
      items: list.filter((a) => londonDay(a.startsAt) === day),
    }));
    const own = owner.id === viewer.userId;
    const hrefFor = (week: string) => {
      const qs = new URLSearchParams({ week });
      if (!own) qs.set('practitioner_id', owner.id);
      return `/appointments?${qs.toString()}`;
    };
    const sunday = addDays(monday, 6);
    const team = await appointments.teamDiaryOwners(db, viewer);
    return reply.render(WEEK, {
      title: own ? 'My week' : `${owner.name}’s week`,
      errors,
      flash: query.done ? DONE_MESSAGES[query.done] : undefined,
      weekText: `${dayHeading.format(new Date(`${monday}T12:00:00Z`))} to ${dayHeading.format(new Date(`${sunday}T12:00:00Z`))}`,
      days,
      total: list.length,
      own,
      ownerName: owner.name,
      previous: {
        href: hrefFor(addDays(monday, -7)),
        text: 'Previous week',
        labelText: `Week of ${shortDay.format(new Date(`${addDays(monday, -7)}T12:00:00Z`))}`,
      },
      next: {
        href: hrefFor(addDays(monday, 7)),
        text: 'Next week',
        labelText: `Week of ${shortDay.format(new Date(`${addDays(monday, 7)}T12:00:00Z`))}`,
      },
      thisWeekHref: monday === weekStartOf(t) ? null : hrefFor(t),
      isManager: viewer.role === 'manager' && team.length > 0,
      practitionerItems: team.map((u) => ({ value: u.id, text: u.id === viewer.userId ? `${u.name} (you)` : u.name })),
      values: { practitioner_id: owner.id, week: monday },
    });
  });

  // ---- One appointment ------------------------------------------------------------------------------

  const showContext = async (request: FastifyRequest, id: string) => {
    const viewer = viewerOf(request);
    const a = await appointments.viewAppointment(db, deps, auditContext(request), viewer, id);
    const moves = allowedStatusMoves(a.status);
    return {
      title: `Appointment with ${displayName(a.person)}`,
      backHref: `/participants/${a.participantId}/appointments`,
      a: appointmentView(a),
      canAttend: a.canChange && moves.includes('attended'),
      canDidNotAttend: a.canChange && moves.includes('did_not_attend'),
      canCancel: a.canChange && moves.includes('cancelled'),
      isRemote: a.placeKind === 'remote',
      remoteModeItems: (['phone', 'video'] as const).map((m) => ({ value: m, text: MODE_LABELS[m] })),
      weekHref: `/appointments?week=${weekStartOf(londonDay(a.startsAt))}`,
    };
  };

  app.get('/appointments/:id', async (request, reply) => {
    const id = pathId(request, 'Appointment not found');
    const done = (request.query as Record<string, unknown>).done;
    return reply.render(SHOW, {
      ...(await showContext(request, id)),
      flash: typeof done === 'string' ? DONE_MESSAGES[done] : undefined,
      values: {},
    });
  });

  /** Re-shows the appointment with the refusal (409 stale, 422 a rule, 400 bad input). */
  const refuse = async (request: FastifyRequest, reply: FastifyReply, id: string, err: unknown) => {
    if (err instanceof ConflictError) {
      return reply.status(409).render(SHOW, {
        ...(await showContext(request, id)),
        values: {},
        errors: { status: `${err.message}. Check the appointment below, then try again` },
      });
    }
    if (err instanceof RuleError || err instanceof ValidationError) {
      const message = err instanceof ValidationError ? (Object.values(err.fields)[0] ?? err.message) : err.message;
      return reply
        .status(err.statusCode)
        .render(SHOW, { ...(await showContext(request, id)), values: {}, errors: { status: message } });
    }
    throw err;
  };

  app.post('/appointments/:id/attended', async (request, reply) => {
    const id = pathId(request, 'Appointment not found');
    const viewer = viewerOf(request);
    let result: Awaited<ReturnType<typeof appointments.attendAppointment>>;
    try {
      const input = parseInput(AppointmentAttendedFormSchema, request.body);
      result = await appointments.attendAppointment(db, deps, auditContext(request), viewer, id, input.version, {
        mode: input.mode,
      });
    } catch (err) {
      return refuse(request, reply, id, err);
    }
    const pid = result.appointment.participantId;
    // The new contact is on the person's timeline, with the timeline's "Contact logged" banner.
    return reply.redirect(`/participants/${pid}/timeline?done=logged`);
  });

  app.post('/appointments/:id/did-not-attend', async (request, reply) => {
    const id = pathId(request, 'Appointment not found');
    const viewer = viewerOf(request);
    try {
      const input = parseInput(AppointmentStatusFormSchema, request.body);
      await appointments.updateAppointment(db, deps, auditContext(request), viewer, id, input.version, {
        status: 'did_not_attend',
      });
    } catch (err) {
      return refuse(request, reply, id, err);
    }
    return reply.redirect(`/appointments/${id}?done=did_not_attend`);
  });

  app.get('/appointments/:id/cancel', async (request, reply) => {
    const id = pathId(request, 'Appointment not found');
    const context = await showContext(request, id);
    if (!context.canCancel)
      throw new RuleError(`This appointment is ${context.a.statusLabel.toLowerCase()} and cannot be cancelled`);
    return reply.render(CANCEL, {
      ...context,
      title: 'Are you sure you want to cancel this appointment?',
      backHref: context.a.href,
    });
  });

  app.post('/appointments/:id/cancel', async (request, reply) => {
    const id = pathId(request, 'Appointment not found');
    const viewer = viewerOf(request);
    try {
      const input = parseInput(AppointmentStatusFormSchema, request.body);
      await appointments.updateAppointment(db, deps, auditContext(request), viewer, id, input.version, { status: 'cancelled' });
    } catch (err) {
      return refuse(request, reply, id, err);
    }
    return reply.redirect(`/appointments/${id}?done=cancelled`);
  });

  // ---- Private calendar feed ------------------------------------------------------------------------

  const feedContext = async (request: FastifyRequest) => ({
    title: 'Your calendar feed',
    backHref: '/appointments',
    feed: await appointments.feedStatus(db, request.actor!.userId),
  });

  app.get('/appointments/calendar-feed', async (request, reply) => {
    const done = (request.query as Record<string, unknown>).done;
    return reply.render(FEED, {
      ...(await feedContext(request)),
      flash: typeof done === 'string' ? DONE_MESSAGES[done] : undefined,
    });
  });

  app.post('/appointments/calendar-feed', async (request, reply) => {
    parseInput(AppointmentStatusFormSchema.omit({ version: true }), request.body);
    const token = await appointments.createFeed(db, deps, auditContext(request), request.actor!.userId);
    // Shown once, on this response only: only the token's hash is kept.
    const feedUrl = `${request.protocol}://${request.host}/calendar/${token}.ics`;
    return reply.header('cache-control', 'no-store').render(FEED, {
      ...(await feedContext(request)),
      feedUrl,
      webcalUrl: feedUrl.replace(/^https?:/, 'webcal:'),
    });
  });

  app.post('/appointments/calendar-feed/revoke', async (request, reply) => {
    parseInput(AppointmentStatusFormSchema.omit({ version: true }), request.body);
    await appointments.revokeFeed(db, deps, auditContext(request), request.actor!.userId);
    return reply.redirect('/appointments/calendar-feed?done=revoked');
  });

  // Public: the secret token in the address is the authentication. Fetches are not audited.
  app.get('/calendar/:token.ics', async (request, reply) => {
    const param = (request.params as Record<string, unknown>).token;
    const token = typeof param === 'string' ? param : '';
    const body = await appointments.feedCalendar(db, deps, token, request.hostname || 'stepwise');
    return reply
      .type('text/calendar; charset=utf-8')
      .header('cache-control', 'private, no-store')
      .header('x-robots-tag', 'noindex')
      .send(body);
  });

  // ---- JSON API -------------------------------------------------------------------------------------

  const listDoc = {
    summary: 'Appointments of a practitioner (you, unless a manager names one of their team), by start time',
    tag: 'appointments',
    query: AppointmentListQuerySchema,
    response: AppointmentListJsonSchema,
  };
  app.get('/api/v1/appointments', { config: { api: listDoc } }, async (request) => {
    const viewer = viewerOf(request);
    const query = parseInput(AppointmentListQuerySchema, request.query);
    const key = decodeCursor(query.cursor);
    let after: { startsAt: string; id: string } | undefined;
    if (key !== undefined) {
      const [startsAt, id] = key.split('|');
      if (!startsAt || !id || !isRecordId(id) || Number.isNaN(Date.parse(startsAt)))
        throw new ValidationError({ cursor: 'Cursor is not valid' });
      after = { startsAt, id };
    }
    const bound = (v: string | undefined, end: boolean) => {
      if (!v) return undefined;
      if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return londonInstant(end ? addDays(v, 1) : v, '00:00')!.toISOString();
      return new Date(v).toISOString();
    };
    const result = await appointments.listPage(
      db,
      viewer,
      { practitionerId: query.practitioner_id, from: bound(query.from, false), to: bound(query.to, true) },
      { limit: query.limit, after },
    );
    return {
      items: result.items.map(appointments.appointmentJson),
      next_cursor: result.next ? encodeCursor(`${result.next.startsAt}|${result.next.id}`) : null,
    };
  });

  const createDoc = {
    summary: 'Plan an appointment with a participant (for you, or for a practitioner of your team when you are a manager)',
    tag: 'appointments',
    body: AppointmentCreateSchema,
    response: AppointmentJsonSchema,
    status: 201,
  };
  app.post('/api/v1/participants/:id/appointments', { config: { api: createDoc } }, async (request, reply) => {
    const participantId = recordIdParam(request.params);
    const input = parseInput(AppointmentCreateSchema, request.body);
    const a = await appointments.planAppointment(db, deps, auditContext(request), viewerOf(request), participantId, {
      startsAt: input.starts_at,
      durationMinutes: input.duration_minutes,
      placeKind: input.place_kind,
      siteId: input.site_id,
      department: input.department,
      placeDetail: input.place_detail,
      withWhom: input.with_whom,
      purpose: input.purpose,
      practitionerId: input.practitioner_id,
    });
    return reply.status(201).header('location', `/api/v1/appointments/${a.id}`).send(appointments.appointmentJson(a));
  });

  const readDoc = {
    summary: 'One appointment (404 for one whose participant you may not see)',
    tag: 'appointments',
    response: AppointmentJsonSchema,
  };
  app.get('/api/v1/appointments/:id', { config: { api: readDoc } }, async (request) => {
    const a = await appointments.viewAppointment(
      db,
      deps,
      auditContext(request),
      viewerOf(request),
      recordIdParam(request.params),
    );
    return appointments.appointmentJson(a);
  });

  const updateDoc = {
    summary:
      'Reschedule a planned appointment, or record `did_not_attend` or `cancelled`: send the `version` you read (409 when stale; 422 for a move the rules refuse)',
    tag: 'appointments',
    body: AppointmentUpdateSchema,
    response: AppointmentJsonSchema,
  };
  app.patch('/api/v1/appointments/:id', { config: { api: updateDoc } }, async (request) => {
    const id = recordIdParam(request.params);
    const input = parseInput(AppointmentUpdateSchema, request.body);
    const changes: appointments.AppointmentChanges = {};
    if (input.starts_at !== undefined) changes.startsAt = input.starts_at;
    if (input.duration_minutes !== undefined) changes.durationMinutes = input.duration_minutes;
    if (input.place_kind !== undefined) changes.placeKind = input.place_kind;
    if (input.site_id !== undefined) changes.siteId = input.site_id;
    if (input.department !== undefined) changes.department = input.department;
    if (input.place_detail !== undefined) changes.placeDetail = input.place_detail;
    if (input.with_whom !== undefined) changes.withWhom = input.with_whom;
    if (input.purpose !== undefined) changes.purpose = input.purpose;
    if (input.status !== undefined) changes.status = input.status;
    const a = await appointments.updateAppointment(
      db,
      deps,
      auditContext(request),
      viewerOf(request),
      id,
      input.version,
      changes,
    );
    return appointments.appointmentJson(a);
  });

  const attendedDoc = {
    summary:
      'The appointment happened: logs the contact from its time, duration, place and purpose and marks it attended (201 with the contact)',
    tag: 'appointments',
    body: AppointmentAttendedSchema,
    response: AttendedContactJsonSchema,
    status: 201,
  };
  app.post('/api/v1/appointments/:id/attended', { config: { api: attendedDoc } }, async (request, reply) => {
    const id = recordIdParam(request.params);
    const input = parseInput(AppointmentAttendedSchema, request.body);
    const { contact } = await appointments.attendAppointment(
      db,
      deps,
      auditContext(request),
      viewerOf(request),
      id,
      input.version,
      {
        mode: input.mode,
        notes: input.notes,
        sharedWithClinicalTeam: input.shared_with_clinical_team,
      },
    );
    return reply
      .status(201)
      .header('location', `/api/v1/participants/${contact.participantId}/contacts/${contact.id}`)
      .send(contacts.contactJson(contact));
  });
}
