import type { FastifyInstance, FastifyRequest } from 'fastify';
import { pagePathId as pathId } from '../http/route-helpers.ts';
import { CHARGEABLE_PURPOSES, SUPPORT_KIND_LABELS, defaultAward } from '../access-to-work/rules.ts';
import * as accessToWork from '../access-to-work/service.ts';
import { ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import { decodeCursor, listBody, recordIdParam } from '../http/api.ts';
import { auditContext } from '../http/audit-context.ts';
import { parseInput } from '../http/validate.ts';
import { displayName } from '../profiles/service.ts';
import * as participants from '../participants/service.ts';
import { dayText, londonDate, londonTime } from '../referrals/rules.ts';
import * as support from '../support/service.ts';
import {
  MODES,
  MODE_LABELS,
  PLACES,
  PLACE_LABELS,
  PURPOSES,
  PURPOSE_LABELS,
  type ContactMode,
  type ContactPlace,
  type ContactPurpose,
  canChangeContact,
} from './rules.ts';
import {
  ContactCreateSchema,
  ContactDeleteFormSchema,
  ContactDeleteSchema,
  ContactEditFormSchema,
  ContactFormSchema,
  ContactJsonSchema,
  ContactListJsonSchema,
  ContactListQuerySchema,
  ContactUpdateSchema,
  parseFormDate,
  parseFormTime,
} from './schema.ts';
import * as contacts from './service.ts';

const FORM = 'contacts/views/form.njk';
const SHOW = 'contacts/views/contact.njk';
const DELETE = 'contacts/views/delete.njk';

const DONE_MESSAGES: Record<string, string> = {
  edited: 'Changes saved. The earlier version is kept below',
};

const modeItems = MODES.map((m) => ({ value: m, text: MODE_LABELS[m] }));
const placeItems = PLACES.map((p) => ({ value: p, text: PLACE_LABELS[p] }));
const purposeItems = PURPOSES.map((p) => ({ value: p, text: PURPOSE_LABELS[p] }));

function viewer(request: FastifyRequest) {
  if (!request.actor) throw new NotFoundError('Participant not found');
  return participants.viewerOf(request.actor);
}

/** What a form posted, to show again: never the CSRF token; dates and times as the inputs want them. */
function typedValues(body: unknown): Record<string, unknown> {
  const values = Object.fromEntries(Object.entries((body ?? {}) as Record<string, unknown>).filter(([k]) => k !== '_csrf'));
  // A date input only shows `YYYY-MM-DD`, so a date typed another way is shown in that form.
  if (typeof values.started_date === 'string') values.started_date = parseFormDate(values.started_date) ?? values.started_date;
  if (typeof values.started_time === 'string') values.started_time = parseFormTime(values.started_time) ?? values.started_time;
  const shared = values.shared_with_clinical_team;
  values.shared_with_clinical_team = shared === undefined ? [] : Array.isArray(shared) ? shared : [shared];
  return values;
}

/** The form's values for a saved contact. */
function formValuesOf(c: contacts.Contact): Record<string, unknown> {
  const started = new Date(c.startedAt);
  return {
    started_date: londonDate(started),
    started_time: londonTime(started),
    duration_minutes: String(c.durationMinutes),
    mode: c.mode,
    place: c.place,
    purpose: c.purpose,
    with_whom: c.withWhom ?? '',
    notes: c.notes ?? '',
    shared_with_clinical_team: c.sharedWithClinicalTeam ? ['yes'] : [],
    placement_id: c.placementId ?? 'none',
    atw_award_id: c.atwAwardId ?? 'none',
    version: String(c.version),
  };
}

/** The service's input from a parsed form. */
function formInputOf(input: {
  started_at: string;
  duration_minutes: number;
  mode: ContactMode;
  place: ContactPlace;
  purpose: ContactPurpose;
  with_whom: string | null;
  notes: string | null;
  shared_with_clinical_team: boolean;
  placement_id?: string | null | undefined;
  atw_award_id?: string | null | undefined;
}): contacts.ContactInput {
  return {
    ...(input.placement_id !== undefined ? { placementId: input.placement_id } : {}),
    ...(input.atw_award_id !== undefined ? { atwAwardId: input.atw_award_id } : {}),
    startedAt: input.started_at,
    durationMinutes: input.duration_minutes,
    mode: input.mode,
    place: input.place,
    purpose: input.purpose,
    withWhom: input.with_whom,
    notes: input.notes,
    sharedWithClinicalTeam: input.shared_with_clinical_team,
  };
}

/** The service's changes from an API PATCH body: only the fields sent. */
function apiChangesOf(input: {
  started_at?: string | undefined;
  duration_minutes?: number | undefined;
  mode?: ContactMode | undefined;
  place?: ContactPlace | undefined;
  purpose?: ContactPurpose | undefined;
  with_whom?: string | null | undefined;
  notes?: string | null | undefined;
  shared_with_clinical_team?: boolean | undefined;
  placement_id?: string | null | undefined;
  atw_award_id?: string | null | undefined;
}): Partial<contacts.ContactInput> {
  const out: Partial<contacts.ContactInput> = {};
  if (input.placement_id !== undefined) out.placementId = input.placement_id;
  if (input.atw_award_id !== undefined) out.atwAwardId = input.atw_award_id;
  if (input.started_at !== undefined) out.startedAt = input.started_at;
  if (input.duration_minutes !== undefined) out.durationMinutes = input.duration_minutes;
  if (input.mode !== undefined) out.mode = input.mode;
  if (input.place !== undefined) out.place = input.place;
  if (input.purpose !== undefined) out.purpose = input.purpose;
  if (input.with_whom !== undefined) out.withWhom = input.with_whom;
  if (input.notes !== undefined) out.notes = input.notes;
  if (input.shared_with_clinical_team !== undefined) out.sharedWithClinicalTeam = input.shared_with_clinical_team;
  return out;
}

/** A contact as the pages show it. */
function contactView(c: contacts.Contact) {
  return {
    ...c,
    modeLabel: MODE_LABELS[c.mode],
    placeLabel: PLACE_LABELS[c.place],
    purposeLabel: PURPOSE_LABELS[c.purpose],
    durationText: c.durationMinutes === 1 ? '1 minute' : `${c.durationMinutes} minutes`,
  };
}

/** One earlier version of a contact, as the contact page lists it. */
function revisionView(r: contacts.ContactRevision) {
  const p = r.previous;
  const text = (v: unknown) => (typeof v === 'string' ? v : null);
  const labelOf = <K extends string>(labels: Record<K, string>, v: unknown) =>
    typeof v === 'string' && v in labels ? labels[v as K] : text(v);
  const minutes = typeof p.duration_minutes === 'number' ? p.duration_minutes : null;
  return {
    id: r.id,
    revisedAt: r.revisedAt,
    revisedByName: r.revisedByName,
    startedAt: text(p.started_at),
    durationText: minutes === null ? null : `${minutes} minutes`,
    modeLabel: labelOf(MODE_LABELS, p.mode),
    placeLabel: labelOf(PLACE_LABELS, p.place),
    purposeLabel: labelOf(PURPOSE_LABELS, p.purpose),
    withWhom: text(p.with_whom),
    notes: text(p.notes),
    shared: p.shared_with_clinical_team === true,
  };
}

/** How the contact form names an award: "Job coach, AtW/123, 1 September 2026 to 31 August 2027". */
function awardText(a: accessToWork.Award): string {
  return [SUPPORT_KIND_LABELS[a.supportKind], a.reference, `${dayText(a.startDate)} to ${dayText(a.endDate)}`]
    .filter(Boolean)
    .join(', ');
}

/** The contact pages (log, read, change, delete) and the `participants/{id}/contacts` API. */
export async function contactRoutes(app: FastifyInstance): Promise<void> {
  const { db, deps } = app;

  // ---- Log a contact ---------------------------------------------------------------------------

  /** What the contact form needs besides its values. */
  const formContext = async (request: FastifyRequest, participantId: string, contact?: contacts.Contact) => {
    const p = await participants.loadEditable(db, viewer(request), participantId);
    const name = displayName(p);
    // The person's current jobs, and the one a contact being changed was logged against (even if it has ended).
    const jobs = await support.currentJobs(db, p.id, londonDate(deps.clock.now()));
    if (contact?.placementId && !jobs.some((j) => j.id === contact.placementId)) {
      const own = await support.jobOf(db, p.id, contact.placementId);
      if (own) jobs.push(own);
    }
    const jobItems = jobs.map((j) => ({
      value: j.id,
      text: j.employerName ? `${j.title} at ${j.employerName}` : j.title,
    }));
    // The person's hourly Access to Work awards, to charge the contact to.
    const awards = await accessToWork.chargeableAwards(db, p.id);
    const awardItems = awards.map((a) => ({ value: a.id, text: awardText(a) }));
    return {
      jobItems: jobItems.length > 0 ? [...jobItems, { value: 'none', text: 'Not for a job' }] : [],
      awards,
      awardItems: awardItems.length > 0 ? [...awardItems, { value: 'none', text: 'Do not charge' }] : [],
      locked: contact ? await accessToWork.contactLockReason(db, { atw_claim_id: contact.atwClaimId }) : null,
      title: contact ? 'Change a contact' : 'Log a contact',
      backHref: contact ? `/participants/${p.id}/contacts/${contact.id}` : `/participants/${p.id}/timeline`,
      participant: p,
      name,
      contact,
      action: contact ? `/participants/${p.id}/contacts/${contact.id}/edit` : `/participants/${p.id}/contacts`,
      modeItems,
      placeItems,
      purposeItems,
    };
  };

  app.get('/participants/:id/contacts/new', async (request, reply) => {
    const id = pathId(request, 'id', 'Participant');
    const v = viewer(request);
    const context = await formContext(request, id);
    const now = deps.clock.now();
    const d = await contacts.defaultsFor(db, v.userId, now, context.participant.status);
    // A link can ask for a purpose (a caseload alert: "Log an employer contact") and a job (the
    // support plan page); anything else is ignored. Support for a job is in-work support.
    const query = request.query as Record<string, unknown>;
    const job = context.jobItems.find((j) => j.value !== 'none' && j.value === query.placement_id);
    const purpose = PURPOSES.find((x) => x === query.purpose) ?? (job ? 'in_work_support' : d.purpose);
    // In-work support is charged to the person's one active job-coach award unless they choose otherwise.
    const charged = (CHARGEABLE_PURPOSES as readonly string[]).includes(purpose)
      ? defaultAward(context.awards, londonDate(now))
      : null;
    return reply.render(FORM, {
      ...context,
      values: {
        started_date: londonDate(now),
        started_time: londonTime(now),
        duration_minutes: String(d.durationMinutes),
        mode: d.mode,
        place: d.place,
        purpose,
        shared_with_clinical_team: [],
        ...(job ? { placement_id: job.value } : {}),
        ...(context.awardItems.length > 0 ? { atw_award_id: charged?.id ?? 'none' } : {}),
      },
    });
  });

  app.post('/participants/:id/contacts', async (request, reply) => {
    const id = pathId(request, 'id', 'Participant');
    const v = viewer(request);
    try {
      const input = parseInput(ContactFormSchema, request.body);
      // The service refuses a job or an award that does not fit (400 on its field), shown on the form.
      await db.transaction().execute((trx) => contacts.logContact(trx, deps, auditContext(request), v, id, formInputOf(input)));
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return reply
        .status(400)
        .render(FORM, { ...(await formContext(request, id)), values: typedValues(request.body), errors: err.fields });
    }
    return reply.redirect(`/participants/${id}/timeline?done=logged`);
  });

  // ---- A contact -------------------------------------------------------------------------------

  app.get('/participants/:id/contacts/:contactId', async (request, reply) => {
    const id = pathId(request, 'id', 'Participant');
    const contactId = pathId(request, 'contactId', 'Contact');
    const v = viewer(request);
    const p = await participants.loadVisible(db, v, id);
    const contact = await contacts.viewContact(db, deps, auditContext(request), v, id, contactId);
    const revisions = await contacts.contactRevisions(db, v, id, contactId);
    const job = contact.placementId ? await support.jobOf(db, id, contact.placementId) : undefined;
    const done = (request.query as Record<string, unknown>).done;
    // Access to Work is the service's finance: clinicians are not told about claims.
    const locked = v.role === 'clinician' ? null : await accessToWork.contactLockReason(db, { atw_claim_id: contact.atwClaimId });
    return reply.render(SHOW, {
      title: `Contact on ${londonDate(new Date(contact.startedAt))}`,
      backHref: `/participants/${id}/timeline`,
      participant: p,
      name: displayName(p),
      c: contactView(contact),
      job: job && { id: job.id, name: job.employerName ? `${job.title} at ${job.employerName}` : job.title },
      canChange: p.canEdit && canChangeContact(v, contact, p.teamId) && !locked,
      locked,
      revisions: revisions.map(revisionView),
      flash: typeof done === 'string' ? DONE_MESSAGES[done] : undefined,
    });
  });

  // ---- Change a contact ------------------------------------------------------------------------

  /**
   * The contact, if this viewer may change it (422 with the reason otherwise). The pages that
   * show it (the change and delete forms) write the read to the audit trail.
   */
  const changeable = async (request: FastifyRequest, id: string, contactId: string) => {
    const v = viewer(request);
    const contact = await contacts.getContact(db, v, id, contactId);
    await contacts.assertCanChange(db, v, id, contact);
    return contact;
  };
  const changeableShown = async (request: FastifyRequest, id: string, contactId: string) => {
    const contact = await changeable(request, id, contactId);
    await contacts.viewContact(db, deps, auditContext(request), viewer(request), id, contactId);
    return contact;
  };

  app.get('/participants/:id/contacts/:contactId/edit', async (request, reply) => {
    const id = pathId(request, 'id', 'Participant');
    const contactId = pathId(request, 'contactId', 'Contact');
    const contact = await changeableShown(request, id, contactId);
    return reply.render(FORM, { ...(await formContext(request, id, contact)), values: formValuesOf(contact) });
  });

  app.post('/participants/:id/contacts/:contactId/edit', async (request, reply) => {
    const id = pathId(request, 'id', 'Participant');
    const contactId = pathId(request, 'contactId', 'Contact');
    const v = viewer(request);
    const values = typedValues(request.body);
    try {
      const input = parseInput(ContactEditFormSchema, request.body);
      const current = await contacts.getContact(db, v, id, contactId);
      const changes = formInputOf(input);
      // The form shows minutes only: an unchanged time keeps the saved instant (seconds included).
      if (londonDate(new Date(current.startedAt)) === londonDate(new Date(changes.startedAt))) {
        if (londonTime(new Date(current.startedAt)) === londonTime(new Date(changes.startedAt)))
          changes.startedAt = current.startedAt;
      }
      await db
        .transaction()
        .execute((trx) => contacts.editContact(trx, deps, auditContext(request), v, id, contactId, input.version, changes));
    } catch (err) {
      if (err instanceof ValidationError) {
        const contact = await changeable(request, id, contactId);
        return reply.status(400).render(FORM, { ...(await formContext(request, id, contact)), values, errors: err.fields });
      }
      if (err instanceof ConflictError) {
        // Keep what they typed, show what is saved now, and let a second save go through.
        const contact = await changeable(request, id, contactId);
        return reply.status(409).render(FORM, {
          ...(await formContext(request, id, contact)),
          conflict: contactView(contact),
          values: { ...values, version: String(contact.version) },
          errors: { notes: `${err.message}. Check your changes against the saved contact, then save again` },
        });
      }
      throw err;
    }
    return reply.redirect(`/participants/${id}/contacts/${contactId}?done=edited`);
  });

  // ---- Delete a contact ------------------------------------------------------------------------

  const deleteContext = async (request: FastifyRequest, id: string, contact: contacts.Contact) => {
    const p = await participants.loadVisible(db, viewer(request), id);
    return {
      title: 'Delete this contact',
      backHref: `/participants/${id}/contacts/${contact.id}`,
      participant: p,
      name: displayName(p),
      c: contactView(contact),
      locked: await accessToWork.contactLockReason(db, { atw_claim_id: contact.atwClaimId }),
    };
  };

  app.get('/participants/:id/contacts/:contactId/delete', async (request, reply) => {
    const id = pathId(request, 'id', 'Participant');
    const contactId = pathId(request, 'contactId', 'Contact');
    const contact = await changeableShown(request, id, contactId);
    return reply.render(DELETE, { ...(await deleteContext(request, id, contact)), values: { version: String(contact.version) } });
  });

  app.post('/participants/:id/contacts/:contactId/delete', async (request, reply) => {
    const id = pathId(request, 'id', 'Participant');
    const contactId = pathId(request, 'contactId', 'Contact');
    const v = viewer(request);
    const showAgain = async (status: number, errors: Record<string, string>, conflict = false) => {
      const contact = await changeable(request, id, contactId);
      const values = typedValues(request.body);
      return reply.status(status).render(DELETE, {
        ...(await deleteContext(request, id, contact)),
        values: conflict ? { ...values, version: String(contact.version) } : values,
        errors,
      });
    };
    try {
      const input = parseInput(ContactDeleteFormSchema, request.body);
      await db
        .transaction()
        .execute((trx) =>
          contacts.deleteContact(trx, deps, auditContext(request), v, id, contactId, input.version, input.reason),
        );
    } catch (err) {
      if (err instanceof ValidationError) return showAgain(400, err.fields);
      if (err instanceof ConflictError)
        return showAgain(409, { reason: `${err.message}. Check the contact, then delete it again if you still want to` }, true);
      throw err;
    }
    return reply.redirect(`/participants/${id}/timeline?done=deleted`);
  });

  // ---- JSON API --------------------------------------------------------------------------------

  const listDoc = {
    summary:
      'A person’s contacts, newest first. Clinicians see only those shared with the clinical team; deleted contacts are left out',
    tag: 'contacts',
    query: ContactListQuerySchema,
    response: ContactListJsonSchema,
  };
  app.get('/api/v1/participants/:id/contacts', { config: { api: listDoc } }, async (request) => {
    const id = recordIdParam(request.params);
    const query = parseInput(ContactListQuerySchema, request.query);
    // The cursor is the offset of the next page, opaque to callers.
    const key = decodeCursor(query.cursor);
    const offset = key === undefined ? 0 : Number(key);
    if (!Number.isInteger(offset) || offset < 0) throw new ValidationError({ cursor: 'Cursor is not valid' });
    const page = await contacts.pageContacts(db, deps, auditContext(request), viewer(request), id, {
      limit: query.limit,
      offset,
    });
    return listBody(page.items.map(contacts.contactJson), page.hasMore ? String(offset + query.limit) : null);
  });

  const createDoc = {
    summary:
      'Log a contact with the person. You are its author. `out_of_hours` is derived from `started_at` (Europe/London, bank holidays of England and Wales)',
    tag: 'contacts',
    body: ContactCreateSchema,
    response: ContactJsonSchema,
    status: 201,
  };
  app.post('/api/v1/participants/:id/contacts', { config: { api: createDoc } }, async (request, reply) => {
    const id = recordIdParam(request.params);
    const input = parseInput(ContactCreateSchema, request.body);
    const contact = await db.transaction().execute((trx) =>
      contacts.logContact(trx, deps, auditContext(request), viewer(request), id, {
        startedAt: input.started_at,
        durationMinutes: input.duration_minutes,
        mode: input.mode,
        place: input.place,
        purpose: input.purpose,
        withWhom: input.with_whom,
        notes: input.notes,
        sharedWithClinicalTeam: input.shared_with_clinical_team,
        placementId: input.placement_id ?? null,
        ...(input.atw_award_id !== undefined ? { atwAwardId: input.atw_award_id } : {}),
      }),
    );
    return reply
      .status(201)
      .header('location', `/api/v1/participants/${id}/contacts/${contact.id}`)
      .send(contacts.contactJson(contact));
  });

  const readDoc = {
    summary: 'One contact (the read is audited; 404 for one you may not see)',
    tag: 'contacts',
    response: ContactJsonSchema,
  };
  app.get('/api/v1/participants/:id/contacts/:contactId', { config: { api: readDoc } }, async (request) => {
    const id = recordIdParam(request.params);
    const contactId = recordIdParam(request.params, 'contactId');
    return contacts.contactJson(await contacts.viewContact(db, deps, auditContext(request), viewer(request), id, contactId));
  });

  const updateDoc = {
    summary:
      'Change a contact: send the `version` you read. Only its author or a manager of the person’s team may (422 otherwise). The earlier text is kept',
    tag: 'contacts',
    body: ContactUpdateSchema,
    response: ContactJsonSchema,
  };
  app.patch('/api/v1/participants/:id/contacts/:contactId', { config: { api: updateDoc } }, async (request) => {
    const id = recordIdParam(request.params);
    const contactId = recordIdParam(request.params, 'contactId');
    const input = parseInput(ContactUpdateSchema, request.body);
    const updated = await db
      .transaction()
      .execute((trx) =>
        contacts.editContact(
          trx,
          deps,
          auditContext(request),
          viewer(request),
          id,
          contactId,
          input.version,
          apiChangesOf(input),
        ),
      );
    return contacts.contactJson(updated);
  });

  const deleteDoc = {
    summary:
      'Delete a contact with a reason (a soft delete: kept in the database and the audit trail). Send `{ "version", "reason" }`. Only its author or a manager of the person’s team may (422 otherwise); a stale version is a 409',
    tag: 'contacts',
    body: ContactDeleteSchema,
    status: 204,
  };
  app.delete('/api/v1/participants/:id/contacts/:contactId', { config: { api: deleteDoc } }, async (request, reply) => {
    const id = recordIdParam(request.params);
    const contactId = recordIdParam(request.params, 'contactId');
    const input = parseInput(ContactDeleteSchema, request.body);
    await db
      .transaction()
      .execute((trx) =>
        contacts.deleteContact(trx, deps, auditContext(request), viewer(request), id, contactId, input.version, input.reason),
      );
    return reply.status(204).send();
  });
}
