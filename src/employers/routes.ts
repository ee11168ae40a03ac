import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { DbOrTrx } from '../db/types.ts';
import { isRecordId } from '../db/records.ts';
import { ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import { listBody, recordIdParam } from '../http/api.ts';
import { auditContext } from '../http/audit-context.ts';
import { cursorOffset, linkWith, pagePathId, paginationOf, typedValues } from '../http/route-helpers.ts';
import { parseInput } from '../http/validate.ts';
import * as participants from '../participants/service.ts';
import { displayName } from '../profiles/service.ts';
import { londonDate, londonTime } from '../referrals/rules.ts';
import { VACANCY_STATUS_LABELS, type VacancyStatus } from '../vacancies/rules.ts';
import {
  EMPLOYER_CONTACT_MODES,
  EMPLOYER_CONTACT_MODE_LABELS,
  EMPLOYER_CONTACT_PURPOSES,
  EMPLOYER_CONTACT_PURPOSE_LABELS,
  EMPLOYER_SIZES,
  EMPLOYER_SIZE_LABELS,
  EMPLOYER_TYPES,
  EMPLOYER_TYPE_LABELS,
  EMPLOYER_TYPE_SHORT_LABELS,
  RELATIONSHIP_STAGES,
  RELATIONSHIP_STAGE_COLOURS,
  RELATIONSHIP_STAGE_LABELS,
} from './rules.ts';
import {
  DepartmentFormSchema,
  EmployerContactCreateSchema,
  EmployerContactDeleteFormSchema,
  EmployerContactEditFormSchema,
  EmployerContactFormSchema,
  EmployerContactJsonSchema,
  EmployerContactListJsonSchema,
  EmployerContactListQuerySchema,
  EmployerCreateSchema,
  EmployerEditFormSchema,
  EmployerFormSchema,
  EmployerJsonSchema,
  EmployerListJsonSchema,
  type EmployerListPageQuery,
  EmployerListPageQuerySchema,
  EmployerListQuerySchema,
  EmployerUpdateSchema,
  PersonFormSchema,
  SiteFormSchema,
} from './schema.ts';
import * as employers from './service.ts';

const LIST = 'employers/views/list.njk';
const FORM = 'employers/views/form.njk';
const SHOW = 'employers/views/employer.njk';
const PART_FORM = 'employers/views/part-form.njk';
const CONTACT_FORM = 'employers/views/contact-form.njk';
const CONTACT_DELETE = 'employers/views/contact-delete.njk';

const PAGE_SIZE = 25;
const CONTACTS_PAGE_SIZE = 20;

const DONE_MESSAGES: Record<string, string> = {
  created: 'Employer added',
  updated: 'Changes saved',
  logged: 'Contact logged',
  contact_changed: 'Contact changed',
  contact_deleted: 'Contact deleted. It is kept, with your reason, for the audit trail',
  site_added: 'Site added',
  site_changed: 'Site changed',
  department_added: 'Department added',
  department_changed: 'Department changed',
  person_added: 'Person added',
  person_changed: 'Person changed',
};

const typeItems = EMPLOYER_TYPES.map((t) => ({ value: t, text: EMPLOYER_TYPE_LABELS[t] }));
const stageItems = RELATIONSHIP_STAGES.map((s) => ({ value: s, text: RELATIONSHIP_STAGE_LABELS[s] }));
const sizeItems = [{ value: '', text: 'Not known' }, ...EMPLOYER_SIZES.map((s) => ({ value: s, text: EMPLOYER_SIZE_LABELS[s] }))];
const modeItems = EMPLOYER_CONTACT_MODES.map((m) => ({ value: m, text: EMPLOYER_CONTACT_MODE_LABELS[m] }));
const purposeItems = EMPLOYER_CONTACT_PURPOSES.map((p) => ({ value: p, text: EMPLOYER_CONTACT_PURPOSE_LABELS[p] }));

// ---- Helpers -------------------------------------------------------------------------------------

function viewer(request: FastifyRequest) {
  if (!request.actor) throw new NotFoundError('Employer not found');
  return participants.viewerOf(request.actor);
}

/** What a form posted, to show again: never the CSRF token. */
/** The service's details from a parsed form or API body (both use the API's field names). */
function detailsOf(input: {
  name?: string | undefined;
  type?: employers.Employer['type'] | undefined;
  sector?: string | null | undefined;
  size?: employers.Employer['size'] | undefined;
  address?: string | null | undefined;
  postcode?: string | null | undefined;
  latitude?: number | null | undefined;
  longitude?: number | null | undefined;
  website?: string | null | undefined;
  relationship_stage?: employers.Employer['relationshipStage'] | undefined;
  notes?: string | null | undefined;
}): Partial<employers.EmployerDetails> {
  const out: Partial<employers.EmployerDetails> = {};
  if (input.name !== undefined) out.name = input.name;
  if (input.type !== undefined) out.type = input.type;
  if (input.sector !== undefined) out.sector = input.sector;
  if (input.size !== undefined) out.size = input.size;
  if (input.address !== undefined) out.address = input.address;
  if (input.postcode !== undefined) out.postcode = input.postcode;
  if (input.latitude !== undefined) out.latitude = input.latitude;
  if (input.longitude !== undefined) out.longitude = input.longitude;
  if (input.website !== undefined) out.website = input.website;
  if (input.relationship_stage !== undefined) out.relationshipStage = input.relationship_stage;
  if (input.notes !== undefined) out.notes = input.notes;
  return out;
}

const text = (v: string | number | null | undefined) => (v === null || v === undefined ? '' : String(v));

/** Some of a record's fields as a form's text values. */
function textValues<T extends object>(record: T, keys: readonly (keyof T & string)[]): Record<string, string> {
  return Object.fromEntries(keys.map((k) => [k, text(record[k] as string | number | null)]));
}

/** The employer form's values for a saved employer. */
function employerValues(e: employers.Employer): Record<string, string> {
  const keys = [
    'name',
    'type',
    'sector',
    'size',
    'address',
    'postcode',
    'latitude',
    'longitude',
    'website',
    'notes',
    'version',
  ] as const;
  return { ...textValues(e, keys), relationship_stage: e.relationshipStage };
}

/** An employer's details as summary list rows (its page, and "what is saved now" on a clash). */
function employerRows(e: employers.Employer) {
  const row = (key: string, value: string | null, none = 'Not recorded') => ({
    key: { text: key },
    value: { text: value || none },
  });
  return [
    row('Name', e.name),
    row('Type', EMPLOYER_TYPE_LABELS[e.type]),
    row('Relationship stage', RELATIONSHIP_STAGE_LABELS[e.relationshipStage]),
    row('Sector', e.sector),
    row('Size', e.size ? EMPLOYER_SIZE_LABELS[e.size] : null, 'Not known'),
    row('Address', [e.address, e.postcode].filter(Boolean).join(', ')),
    row('Map position', e.latitude !== null ? `${e.latitude}, ${e.longitude}` : null),
    row('Website', e.website),
    row('Notes', e.notes, 'None'),
  ];
}

function stageTag(stage: employers.Employer['relationshipStage']) {
  return { text: RELATIONSHIP_STAGE_LABELS[stage], colour: RELATIONSHIP_STAGE_COLOURS[stage] };
}

/** An employer contact as the pages show it. */
function contactView(c: employers.EmployerContact) {
  return {
    ...c,
    modeLabel: EMPLOYER_CONTACT_MODE_LABELS[c.mode],
    purposeLabel: EMPLOYER_CONTACT_PURPOSE_LABELS[c.purpose],
    onBehalfText: c.participantHidden ? 'Someone from another team' : c.participantName,
  };
}

// ---- Sites, departments and people: one set of pages for each kind ---------------------------------

type Saved = { id: string; version: number };

interface PartPage {
  /** Also the noun in titles: "Add a site", "Change a department". */
  kind: 'site' | 'department' | 'person';
  /** Parses a posted form and saves it (in a transaction, audited). */
  save: (request: FastifyRequest, trx: DbOrTrx, employerId: string, existing: Saved | null) => Promise<unknown>;
  /** The saved part as the form's values (and `version`). */
  load: (request: FastifyRequest, employerId: string, id: string) => Promise<Record<string, string>>;
  /** What "what is saved now" shows on a clash: a label for each value. */
  shown: readonly (readonly [field: string, label: string])[];
}

// ---- Routes --------------------------------------------------------------------------------------

/** The employer pages (list, add, page, change; sites, departments, people), employer contacts and the `employers` API. */
export async function employerRoutes(app: FastifyInstance): Promise<void> {
  const { db, deps } = app;

  // ---- List --------------------------------------------------------------------------------------

  app.get('/employers', async (request, reply) => {
    const v = viewer(request);
    let query: EmployerListPageQuery;
    let errors: Record<string, string> | undefined;
    try {
      query = parseInput(EmployerListPageQuerySchema, request.query);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      // A bad link or a hand-edited address: say what is wrong and show the first page unfiltered.
      errors = err.fields;
      query = { type: null, stage: null, sort: null };
    }
    const page = query.page ?? 1;
    const sort = query.sort ?? 'name';
    const filter = { q: query.q || undefined, type: query.type ?? undefined, stage: query.stage ?? undefined };
    const [result, total] = await Promise.all([
      employers.searchEmployers(db, v, { ...filter, sort }, { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }),
      employers.countEmployers(db, v, filter),
    ]);
    const href = (p: number) =>
      linkWith('/employers', { ...filter, sort: sort === 'name' ? undefined : sort, page: p === 1 ? undefined : p });
    const first = (page - 1) * PAGE_SIZE + 1;
    const noun = total === 1 ? 'employer' : 'employers';
    return reply.render(LIST, {
      title: 'Employers',
      columnWidth: 'full',
      rows: result.items.map((e) => ({
        id: e.id,
        name: e.name,
        typeLabel: EMPLOYER_TYPE_SHORT_LABELS[e.type],
        stage: stageTag(e.relationshipStage),
        sector: e.sector,
      })),
      total,
      showing:
        result.items.length === total
          ? `${total} ${noun}`
          : `Showing ${first} to ${first + result.items.length - 1} of ${total} ${noun}`,
      pages: paginationOf(page, total, PAGE_SIZE, href),
      values: errors ? request.query : { ...filter, sort },
      errors,
      filtered: Object.values(filter).some(Boolean),
      firstPageHref: page > 1 && result.items.length === 0 && total > 0 ? href(1) : null,
      typeItems: [
        { value: '', text: 'Any type' },
        ...EMPLOYER_TYPES.map((t) => ({ value: t, text: EMPLOYER_TYPE_SHORT_LABELS[t] })),
      ],
      stageItems: [{ value: '', text: 'Any stage' }, ...stageItems],
      sortItems: [
        { value: 'name', text: 'Name' },
        { value: 'updated', text: 'Recently changed' },
      ],
    });
  });

  // ---- Add and change an employer ------------------------------------------------------------------

  const formContext = (employer?: employers.Employer) => ({
    title: employer ? 'Change employer details' : 'Add an employer',
    backHref: employer ? `/employers/${employer.id}` : '/employers',
    action: employer ? `/employers/${employer.id}/edit` : '/employers',
    employer,
    typeItems,
    stageItems,
    sizeItems,
  });

  app.get('/employers/new', async (request, reply) => {
    viewer(request);
    const name = (request.query as Record<string, unknown>).name;
    return reply.render(FORM, {
      ...formContext(),
      values: { name: typeof name === 'string' ? name.slice(0, 200) : '', type: 'external', relationship_stage: 'prospect' },
    });
  });

  app.post('/employers', async (request, reply) => {
    const v = viewer(request);
    try {
      const input = parseInput(EmployerFormSchema, request.body);
      const employer = await db.transaction().execute((trx) =>
        employers.createEmployer(trx, deps, auditContext(request), v, {
          ...detailsOf(input),
          name: input.name,
          type: input.type,
        }),
      );
      return await reply.redirect(`/employers/${employer.id}?done=created`);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return reply.status(400).render(FORM, { ...formContext(), values: typedValues(request.body), errors: err.fields });
    }
  });

  app.get('/employers/:id/edit', async (request, reply) => {
    const employer = await employers.getEmployer(db, viewer(request), pagePathId(request, 'id', 'Employer'));
    return reply.render(FORM, { ...formContext(employer), values: employerValues(employer) });
  });

  app.post('/employers/:id/edit', async (request, reply) => {
    const id = pagePathId(request, 'id', 'Employer');
    const v = viewer(request);
    const values = typedValues(request.body);
    try {
      const input = parseInput(EmployerEditFormSchema, request.body);
      await db
        .transaction()
        .execute((trx) => employers.updateEmployer(trx, deps, auditContext(request), v, id, input.version, detailsOf(input)));
    } catch (err) {
      const employer = await employers.getEmployer(db, v, id);
      if (err instanceof ValidationError)
        return reply.status(400).render(FORM, { ...formContext(employer), values, errors: err.fields });
      if (err instanceof ConflictError)
        // Keep what they typed, show what is saved now, and let a second save go through.
        return reply.status(409).render(FORM, {
          ...formContext(employer),
          savedRows: employerRows(employer),
          values: { ...values, version: String(employer.version) },
          errors: { name: `${err.message}. Check your changes against the saved details, then save again` },
        });
      throw err;
    }
    return reply.redirect(`/employers/${id}?done=updated`);
  });

  // ---- The employer's page -----------------------------------------------------------------------

  app.get('/employers/:id', async (request, reply) => {
    const id = pagePathId(request, 'id', 'Employer');
    const v = viewer(request);
    const employer = await employers.getEmployer(db, v, id);
    const rawPage = Number((request.query as Record<string, unknown>).page);
    const page = Number.isInteger(rawPage) && rawPage >= 1 ? rawPage : 1;
    const [parts, history] = await Promise.all([
      employers.employerParts(db, v, id),
      employers.employerHistory(db, deps, auditContext(request), v, id, {
        limit: CONTACTS_PAGE_SIZE,
        offset: (page - 1) * CONTACTS_PAGE_SIZE,
      }),
    ]);
    const siteNames = new Map(parts.sites.map((s) => [s.id, s.name]));
    const done = (request.query as Record<string, unknown>).done;
    const stage = (request.query as Record<string, unknown>).stage;
    let flash = typeof done === 'string' ? DONE_MESSAGES[done] : undefined;
    if (done === 'logged' && stage === 'contacted')
      flash = `Contact logged. This was the first contact, so ${employer.name} has moved from Prospect to Contacted`;
    const first = (page - 1) * CONTACTS_PAGE_SIZE + 1;
    return reply.render(SHOW, {
      title: employer.name,
      backHref: '/employers',
      employer,
      stage: stageTag(employer.relationshipStage),
      detailRows: employerRows(employer),
      sites: parts.sites.map((s) => ({ ...s, addressText: [s.address, s.postcode].filter(Boolean).join(', ') })),
      departments: parts.departments.map((d) => ({ ...d, siteName: d.siteId ? siteNames.get(d.siteId) : null })),
      people: parts.people,
      contacts: history.contacts.map(contactView),
      totalContacts: history.totalContacts,
      contactsShowing:
        history.contacts.length === 0
          ? ''
          : `Showing ${first} to ${first + history.contacts.length - 1} of ${history.totalContacts}`,
      contactPages: paginationOf(page, history.totalContacts, CONTACTS_PAGE_SIZE, (p) =>
        p === 1 ? `/employers/${id}#history` : `/employers/${id}?page=${p}#history`,
      ),
      vacancies: history.vacancies.map((x) => ({
        ...x,
        statusLabel: VACANCY_STATUS_LABELS[x.status as VacancyStatus] ?? x.status,
      })),
      placements: history.placements,
      flash,
    });
  });

  // ---- Sites, departments and people ---------------------------------------------------------------

  const partPages: Record<'sites' | 'departments' | 'people', PartPage> = {
    sites: {
      kind: 'site',
      save: async (request, trx, employerId, existing) => {
        const input = parseInput(SiteFormSchema, request.body);
        return employers.saveSite(trx, deps, auditContext(request), viewer(request), employerId, existing, input);
      },
      load: async (request, employerId, id) => {
        const s = await employers.getSite(db, viewer(request), employerId, id);
        return { ...textValues(s, ['name', 'address', 'postcode', 'latitude', 'longitude', 'version']) };
      },
      shown: [
        ['name', 'Name'],
        ['address', 'Address'],
        ['postcode', 'Postcode'],
        ['latitude', 'Latitude'],
        ['longitude', 'Longitude'],
      ],
    },
    departments: {
      kind: 'department',
      save: async (request, trx, employerId, existing) => {
        const input = parseInput(DepartmentFormSchema, request.body);
        return employers.saveDepartment(trx, deps, auditContext(request), viewer(request), employerId, existing, {
          name: input.name,
          siteId: input.site_id ?? null,
        });
      },
      load: async (request, employerId, id) => {
        const d = await employers.getDepartment(db, viewer(request), employerId, id);
        const site = d.siteId ? await employers.getSite(db, viewer(request), employerId, d.siteId) : null;
        return { ...textValues(d, ['name', 'version']), site_id: text(d.siteId), site_name: site?.name ?? 'Not at one site' };
      },
      shown: [
        ['name', 'Name'],
        ['site_name', 'Site'],
      ],
    },
    people: {
      kind: 'person',
      save: async (request, trx, employerId, existing) => {
        const input = parseInput(PersonFormSchema, request.body);
        return employers.savePerson(trx, deps, auditContext(request), viewer(request), employerId, existing, {
          ...input,
          jobTitle: input.job_title,
        });
      },
      load: async (request, employerId, id) => {
        const p = await employers.getPerson(db, viewer(request), employerId, id);
        return { ...textValues(p, ['name', 'email', 'phone', 'notes', 'version']), job_title: text(p.jobTitle) };
      },
      shown: [
        ['name', 'Name'],
        ['job_title', 'Job title'],
        ['email', 'Email'],
        ['phone', 'Phone'],
        ['notes', 'Notes'],
      ],
    },
  };

  for (const [segment, part] of Object.entries(partPages)) {
    const partContext = async (request: FastifyRequest, employerId: string, partId?: string) => {
      const v = viewer(request);
      const employer = await employers.getEmployer(db, v, employerId);
      const siteItems =
        part.kind === 'department'
          ? [
              { value: '', text: 'Not at one site' },
              ...(await employers.employerParts(db, v, employerId)).sites.map((s) => ({ value: s.id, text: s.name })),
            ]
          : [];
      return {
        title: `${partId ? 'Change' : 'Add'} a ${part.kind}`,
        backHref: `/employers/${employerId}`,
        employer,
        kind: part.kind,
        editing: Boolean(partId),
        action: partId ? `/employers/${employerId}/${segment}/${partId}/edit` : `/employers/${employerId}/${segment}`,
        siteItems,
      };
    };

    const saveAndReturn = async (request: FastifyRequest, reply: FastifyReply, employerId: string, partId?: string) => {
      const values = typedValues(request.body);
      try {
        if (partId) {
          const version = Number((request.body as Record<string, unknown> | undefined)?.version);
          if (!Number.isInteger(version) || version < 1) throw new ValidationError({ name: 'Send the version you read' });
          await db.transaction().execute((trx) => part.save(request, trx, employerId, { id: partId, version }));
        } else {
          await db.transaction().execute((trx) => part.save(request, trx, employerId, null));
        }
      } catch (err) {
        if (err instanceof ValidationError)
          return reply
            .status(400)
            .render(PART_FORM, { ...(await partContext(request, employerId, partId)), values, errors: err.fields });
        if (err instanceof ConflictError && partId) {
          const saved = await part.load(request, employerId, partId);
          return reply.status(409).render(PART_FORM, {
            ...(await partContext(request, employerId, partId)),
            savedRows: part.shown.map(([field, label]) => ({
              key: { text: label },
              value: { text: saved[field] || 'Not recorded' },
            })),
            values: { ...values, version: saved.version },
            errors: { name: `${err.message}. Check your changes against what is saved, then save again` },
          });
        }
        throw err;
      }
      return reply.redirect(`/employers/${employerId}?done=${part.kind}_${partId ? 'changed' : 'added'}`);
    };

    app.get(`/employers/:id/${segment}/new`, async (request, reply) => {
      const employerId = pagePathId(request, 'id', 'Employer');
      return reply.render(PART_FORM, { ...(await partContext(request, employerId)), values: {} });
    });

    app.post(`/employers/:id/${segment}`, async (request, reply) =>
      saveAndReturn(request, reply, pagePathId(request, 'id', 'Employer')),
    );

    app.get(`/employers/:id/${segment}/:partId/edit`, async (request, reply) => {
      const employerId = pagePathId(request, 'id', 'Employer');
      const partId = pagePathId(request, 'partId', part.kind);
      const saved = await part.load(request, employerId, partId);
      return reply.render(PART_FORM, { ...(await partContext(request, employerId, partId)), values: saved });
    });

    app.post(`/employers/:id/${segment}/:partId/edit`, async (request, reply) =>
      saveAndReturn(request, reply, pagePathId(request, 'id', 'Employer'), pagePathId(request, 'partId', part.kind)),
    );
  }

  // ---- Log, change and delete an employer contact ----------------------------------------------------

  /** What the contact form needs besides its values: the employer (when known), its people, and whom it may be for. */
  const contactContext = async (
    request: FastifyRequest,
    options: { employerId?: string | null; contact?: employers.EmployerContact; participantId?: string | null },
  ) => {
    const v = viewer(request);
    const employerId = options.contact?.employerId ?? options.employerId ?? null;
    const employer = employerId ? await employers.getEmployer(db, v, employerId) : null;
    const [people, choices, names] = await Promise.all([
      employer ? employers.employerParts(db, v, employer.id).then((p) => p.people) : Promise.resolve([]),
      employers.onBehalfChoices(db, v),
      employer ? Promise.resolve([]) : employers.employerNames(db, v),
    ]);
    // Someone discharged is not in the caseload list but may still be the one it was for.
    const current = options.contact?.participantId ?? options.participantId ?? null;
    if (current && !choices.some((c) => c.id === current)) {
      const p = await participants.loadVisible(db, v, current);
      choices.push({ id: p.id, name: displayName(p) });
    }
    const contact = options.contact;
    return {
      title: contact ? 'Change an employer contact' : 'Log an employer contact',
      backHref: contact || employer ? `/employers/${employerId}` : '/employers',
      action: contact ? `/employer-contacts/${contact.id}/edit` : '/employer-contacts',
      employer,
      contact,
      employerNames: names,
      personItems: [
        { value: '', text: 'Not recorded' },
        ...people.map((p) => ({ value: p.id, text: p.jobTitle ? `${p.name} (${p.jobTitle})` : p.name })),
      ],
      hasPeople: people.length > 0,
      participantItems: [{ value: '', text: 'Nobody in particular' }, ...choices.map((c) => ({ value: c.id, text: c.name }))],
      // A contact for someone the viewer may not see keeps that person: the choice is not offered.
      participantLocked: contact?.participantHidden ?? false,
      modeItems,
      purposeItems,
    };
  };

  const optionalQueryId = (request: FastifyRequest, name: string): string | null => {
    const raw = (request.query as Record<string, unknown>)[name];
    if (raw === undefined || raw === '') return null;
    if (!isRecordId(raw)) throw new NotFoundError('Not found');
    return raw;
  };

  app.get('/employer-contacts/new', async (request, reply) => {
    const v = viewer(request);
    const employerId = optionalQueryId(request, 'employer_id');
    const participantId = optionalQueryId(request, 'participant_id');
    // Started from a person: they must be someone this viewer may log work for.
    if (participantId) await participants.loadEditable(db, v, participantId);
    const now = deps.clock.now();
    return reply.render(CONTACT_FORM, {
      ...(await contactContext(request, { employerId, participantId })),
      values: {
        contacted_date: londonDate(now),
        contacted_time: londonTime(now),
        mode: 'face_to_face',
        purpose: participantId ? 'on_behalf' : undefined,
        participant_id: participantId ?? '',
        return_to: participantId ? 'participant' : 'employer',
      },
    });
  });

  app.post('/employer-contacts', async (request, reply) => {
    const v = viewer(request);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const bodyEmployerId = isRecordId(body.employer_id) ? body.employer_id : null;
    let employerId = bodyEmployerId;
    const showAgain = async (errors: Record<string, string>, unknownEmployerName?: string) =>
      reply.status(400).render(CONTACT_FORM, {
        ...(await contactContext(request, { employerId: bodyEmployerId })),
        values: typedValues(request.body),
        errors,
        unknownEmployerName,
      });
    try {
      const input = parseInput(EmployerContactFormSchema, request.body);
      if (!employerId) {
        const found = await employers.findByName(db, input.employer_name ?? '');
        if (!found) {
          const name = input.employer_name ?? '';
          return await showAgain(
            { employer_name: `No employer called ${name} is recorded. Check the name, or add it as an employer first` },
            name,
          );
        }
        employerId = found.id;
      }
      const id = employerId;
      const { stageMovedTo } = await db.transaction().execute((trx) =>
        employers.logEmployerContact(trx, deps, auditContext(request), v, id, {
          contactedAt: input.contacted_at,
          mode: input.mode,
          purpose: input.purpose,
          participantId: input.participant_id ?? null,
          employerPersonId: input.employer_person_id ?? null,
          outcome: input.outcome,
          nextStep: input.next_step,
          nextStepDue: input.next_step_due,
        }),
      );
      if (input.return_to === 'participant' && input.participant_id)
        return await reply.redirect(`/participants/${input.participant_id}/timeline?done=logged`);
      return await reply.redirect(linkWith(`/employers/${id}`, { done: 'logged', stage: stageMovedTo }));
    } catch (err) {
      if (err instanceof ValidationError) return showAgain(err.fields);
      throw err;
    }
  });

  /** The form's values for a saved contact. */
  const contactValues = (c: employers.EmployerContact) => {
    const at = new Date(c.contactedAt);
    return {
      contacted_date: londonDate(at),
      contacted_time: londonTime(at),
      mode: c.mode,
      purpose: c.purpose,
      employer_person_id: c.employerPersonId ?? '',
      participant_id: c.participantId ?? '',
      outcome: c.outcome ?? '',
      next_step: c.nextStep ?? '',
      next_step_due: c.nextStepDue ?? '',
      version: String(c.version),
    };
  };

  /** The contact, if this viewer may change it (422 with the reason otherwise); showing it is audited. */
  const changeable = async (request: FastifyRequest, id: string, audited: boolean) => {
    const contact = await employers.getEmployerContact(db, viewer(request), id);
    employers.assertCanChangeContact(contact);
    // Checked first, so a refused viewer's look is not written against the person.
    if (audited) await employers.recordContactShown(db, deps, auditContext(request), contact);
    return contact;
  };

  app.get('/employer-contacts/:contactId/edit', async (request, reply) => {
    const contact = await changeable(request, pagePathId(request, 'contactId', 'Employer contact'), true);
    return reply.render(CONTACT_FORM, { ...(await contactContext(request, { contact })), values: contactValues(contact) });
  });

  app.post('/employer-contacts/:contactId/edit', async (request, reply) => {
    const id = pagePathId(request, 'contactId', 'Employer contact');
    const v = viewer(request);
    const values = typedValues(request.body);
    let current = await changeable(request, id, false);
    try {
      const input = parseInput(EmployerContactEditFormSchema, request.body);
      // The form shows minutes only: an unchanged time keeps the saved instant (seconds included).
      const at = new Date(current.contactedAt);
      const typed = new Date(input.contacted_at);
      const contactedAt =
        londonDate(at) === londonDate(typed) && londonTime(at) === londonTime(typed) ? current.contactedAt : input.contacted_at;
      await db.transaction().execute((trx) =>
        employers.editEmployerContact(trx, deps, auditContext(request), v, id, input.version, {
          contactedAt,
          mode: input.mode,
          purpose: input.purpose,
          employerPersonId: input.employer_person_id,
          // Left out when the form did not offer the choice (a person the viewer may not see).
          participantId: current.participantHidden ? undefined : (input.participant_id ?? null),
          outcome: input.outcome,
          nextStep: input.next_step,
          nextStepDue: input.next_step_due,
        }),
      );
    } catch (err) {
      if (err instanceof ValidationError)
        return reply
          .status(400)
          .render(CONTACT_FORM, { ...(await contactContext(request, { contact: current })), values, errors: err.fields });
      if (err instanceof ConflictError) {
        current = await changeable(request, id, true);
        return reply.status(409).render(CONTACT_FORM, {
          ...(await contactContext(request, { contact: current })),
          conflict: contactView(current),
          values: { ...values, version: String(current.version) },
          errors: { outcome: `${err.message}. Check your changes against the saved contact, then save again` },
        });
      }
      throw err;
    }
    return reply.redirect(`/employers/${current.employerId}?done=contact_changed#history`);
  });

  app.get('/employer-contacts/:contactId/delete', async (request, reply) => {
    const contact = await changeable(request, pagePathId(request, 'contactId', 'Employer contact'), true);
    return reply.render(CONTACT_DELETE, {
      title: 'Delete this employer contact',
      backHref: `/employers/${contact.employerId}`,
      c: contactView(contact),
      values: { version: String(contact.version) },
    });
  });

  app.post('/employer-contacts/:contactId/delete', async (request, reply) => {
    const id = pagePathId(request, 'contactId', 'Employer contact');
    const v = viewer(request);
    const showAgain = async (status: number, errors: Record<string, string>) => {
      const contact = await changeable(request, id, true);
      const values = typedValues(request.body);
      return reply.status(status).render(CONTACT_DELETE, {
        title: 'Delete this employer contact',
        backHref: `/employers/${contact.employerId}`,
        c: contactView(contact),
        values: status === 409 ? { ...values, version: String(contact.version) } : values,
        errors,
      });
    };
    let deleted: employers.EmployerContact;
    try {
      const input = parseInput(EmployerContactDeleteFormSchema, request.body);
      deleted = await db
        .transaction()
        .execute((trx) => employers.deleteEmployerContact(trx, deps, auditContext(request), v, id, input.version, input.reason));
    } catch (err) {
      if (err instanceof ValidationError) return showAgain(400, err.fields);
      if (err instanceof ConflictError)
        return showAgain(409, { reason: `${err.message}. Check the contact, then delete it again if you still want to` });
      throw err;
    }
    return reply.redirect(`/employers/${deleted.employerId}?done=contact_deleted#history`);
  });

  // ---- JSON API ----------------------------------------------------------------------------------

  const listDoc = {
    summary: 'Employers, by name. `q` finds part of the name (folded the way duplicates are caught) or the sector',
    tag: 'employers',
    query: EmployerListQuerySchema,
    response: EmployerListJsonSchema,
  };
  app.get('/api/v1/employers', { config: { api: listDoc } }, async (request) => {
    const query = parseInput(EmployerListQuerySchema, request.query);
    const offset = cursorOffset(query.cursor);
    const page = await employers.searchEmployers(
      db,
      viewer(request),
      { q: query.q || undefined, type: query.type, stage: query.stage },
      { limit: query.limit, offset },
    );
    return listBody(page.items.map(employers.employerJson), page.hasMore ? String(offset + query.limit) : null);
  });

  const createDoc = {
    summary: 'Add an employer. A name already recorded (by its duplicate key) is a 400 with `fields.name` naming it',
    tag: 'employers',
    body: EmployerCreateSchema,
    response: EmployerJsonSchema,
    status: 201,
  };
  app.post('/api/v1/employers', { config: { api: createDoc } }, async (request, reply) => {
    const input = parseInput(EmployerCreateSchema, request.body);
    const employer = await db.transaction().execute((trx) =>
      employers.createEmployer(trx, deps, auditContext(request), viewer(request), {
        ...detailsOf(input),
        name: input.name,
        type: input.type,
      }),
    );
    return reply.status(201).header('location', `/api/v1/employers/${employer.id}`).send(employers.employerJson(employer));
  });

  const readDoc = { summary: 'One employer', tag: 'employers', response: EmployerJsonSchema };
  app.get('/api/v1/employers/:id', { config: { api: readDoc } }, async (request) =>
    employers.employerJson(await employers.getEmployer(db, viewer(request), recordIdParam(request.params))),
  );

  const updateDoc = {
    summary: 'Change an employer: send the `version` you read (a stale one is a 409) and only the fields to change',
    tag: 'employers',
    body: EmployerUpdateSchema,
    response: EmployerJsonSchema,
  };
  app.patch('/api/v1/employers/:id', { config: { api: updateDoc } }, async (request) => {
    const id = recordIdParam(request.params);
    const input = parseInput(EmployerUpdateSchema, request.body);
    const employer = await db
      .transaction()
      .execute((trx) =>
        employers.updateEmployer(trx, deps, auditContext(request), viewer(request), id, input.version, detailsOf(input)),
      );
    return employers.employerJson(employer);
  });

  const contactsDoc = {
    summary:
      'An employer’s contacts, newest first (deleted ones left out). `participant_id` is null for a person you may not see; each person shown is audited',
    tag: 'employers',
    query: EmployerContactListQuerySchema,
    response: EmployerContactListJsonSchema,
  };
  app.get('/api/v1/employers/:id/contacts', { config: { api: contactsDoc } }, async (request) => {
    const id = recordIdParam(request.params);
    const query = parseInput(EmployerContactListQuerySchema, request.query);
    const offset = cursorOffset(query.cursor);
    const page = await employers.pageEmployerContacts(db, deps, auditContext(request), viewer(request), id, {
      limit: query.limit,
      offset,
    });
    return listBody(page.items.map(employers.employerContactJson), page.hasMore ? String(offset + query.limit) : null);
  });

  const logDoc = {
    summary:
      'Log a contact with an employer; you are its author. `face_to_face` is derived from `mode`. The first contact with a `prospect` moves it to `contacted`',
    tag: 'employers',
    body: EmployerContactCreateSchema,
    response: EmployerContactJsonSchema,
    status: 201,
  };
  app.post('/api/v1/employers/:id/contacts', { config: { api: logDoc } }, async (request, reply) => {
    const id = recordIdParam(request.params);
    const input = parseInput(EmployerContactCreateSchema, request.body);
    const { contact } = await db.transaction().execute((trx) =>
      employers.logEmployerContact(trx, deps, auditContext(request), viewer(request), id, {
        contactedAt: input.contacted_at,
        mode: input.mode,
        purpose: input.purpose,
        participantId: input.participant_id ?? null,
        employerPersonId: input.employer_person_id ?? null,
        outcome: input.outcome,
        nextStep: input.next_step,
        nextStepDue: input.next_step_due ?? null,
      }),
    );
    return reply.status(201).send(employers.employerContactJson(contact));
  });
}
