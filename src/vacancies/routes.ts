import multipart, { type MultipartFile } from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isRecordId } from '../db/records.ts';
import { ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import * as employers from '../employers/service.ts';
import { listBody, recordIdParam } from '../http/api.ts';
import { auditContext } from '../http/audit-context.ts';
import { cursorOffset, linkWith, pagePathId, paginationOf } from '../http/route-helpers.ts';
import { parseInput } from '../http/validate.ts';
import * as participants from '../participants/service.ts';
import { formatDay } from '../pay/minimum-wage.ts';
import { DAYS, DAY_LABELS, TIMES, TIME_LABELS, formatPence } from '../profiles/rules.ts';
import { londonDate } from '../referrals/rules.ts';
import { IMPORT_COLUMNS, IMPORT_COLUMN_HELP, MAX_IMPORT_BYTES, decodeCsv } from './import.ts';
import { VACANCY_SORTS } from './repo.ts';
import {
  FOUND_VIA,
  FOUND_VIA_LABELS,
  LIST_STATUSES,
  LIST_STATUS_LABELS,
  VACANCY_STATUS_LABELS,
  type VacancyStatus,
  allowedNextStatuses,
  formatHours,
  isPastClosing,
  penceToPounds,
} from './rules.ts';
import {
  VacancyApiListQuerySchema,
  VacancyCreateSchema,
  VacancyEditFormSchema,
  VacancyFormSchema,
  VacancyImportJsonSchema,
  VacancyJsonSchema,
  VacancyListJsonSchema,
  type VacancyListQuery,
  VacancyListQuerySchema,
  VacancyReadQuerySchema,
  VacancyStatusFormSchema,
  VacancyUpdateSchema,
} from './schema.ts';
import * as vacancies from './service.ts';

const LIST = 'vacancies/views/list.njk';
const FORM = 'vacancies/views/form.njk';
const SHOW = 'vacancies/views/vacancy.njk';
const STATUS = 'vacancies/views/status.njk';
const IMPORT = 'vacancies/views/import.njk';
const REPORT = 'vacancies/views/import-report.njk';

const PAGE_SIZE = 25;

const DONE_MESSAGES: Record<string, string> = {
  created: 'Vacancy added',
  updated: 'Changes saved',
  filled: 'Vacancy marked as filled. It no longer appears in matching',
  withdrawn: 'Vacancy withdrawn. It no longer appears in matching',
  open: 'Vacancy reopened',
};

const STATUS_COLOURS: Record<VacancyStatus, string> = { open: 'green', filled: 'blue', withdrawn: 'grey' };

/** What each status change is called on its button and page. */
const STATUS_ACTIONS: Record<VacancyStatus, { title: string; button: string; explain: string }> = {
  filled: {
    title: 'Mark this vacancy as filled',
    button: 'Mark as filled',
    explain: 'It leaves the open vacancies and drops out of matching. You can reopen it later.',
  },
  withdrawn: {
    title: 'Withdraw this vacancy',
    button: 'Withdraw vacancy',
    explain: 'Use this when the employer no longer needs the role. It drops out of matching. You can reopen it later.',
  },
  open: {
    title: 'Reopen this vacancy',
    button: 'Reopen vacancy',
    explain: 'It appears in the open vacancies and in matching again while its closing date has not passed.',
  },
};

const dayItems = DAYS.map((d) => ({ value: d, text: DAY_LABELS[d] }));
const timeItems = TIMES.map((t) => ({ value: t, text: TIME_LABELS[t] }));
const foundViaItems = FOUND_VIA.map((f) => ({ value: f, text: FOUND_VIA_LABELS[f] }));
const listStatusItems = LIST_STATUSES.map((s) => ({ value: s, text: LIST_STATUS_LABELS[s] }));
const SORT_LABELS: Record<(typeof VACANCY_SORTS)[number], string> = {
  closing: 'Closing date, soonest first',
  newest: 'Newest first',
  pay: 'Hourly pay, highest first',
};
const sortItems = VACANCY_SORTS.map((s) => ({ value: s, text: SORT_LABELS[s] }));

// ---- Helpers -------------------------------------------------------------------------------------

function viewer(request: FastifyRequest) {
  if (!request.actor) throw new NotFoundError('Vacancy not found');
  return participants.viewerOf(request.actor);
}

const today = (app: FastifyInstance) => londonDate(app.deps.clock.now());
const count = (n: number) => n.toLocaleString('en-GB');
const plural = (n: number, one: string, many: string) => `${count(n)} ${n === 1 ? one : many}`;

/** A vacancy as the pages show it. */
function vacancyView(v: vacancies.Vacancy, day: string) {
  const pay = vacancies.vacancyPay(v, day);
  const pastClosing = isPastClosing(v, day);
  return {
    ...v,
    hoursText: v.hoursPerWeek === null ? null : formatHours(v.hoursPerWeek),
    payText: v.hourlyPayPence === null ? null : `${formatPence(v.hourlyPayPence)} an hour`,
    daysText: v.days.map((d) => DAY_LABELS[d]).join(', '),
    timesText: v.times.map((t) => TIME_LABELS[t]).join(', '),
    foundViaLabel: FOUND_VIA_LABELS[v.foundVia],
    statusLabel: VACANCY_STATUS_LABELS[v.status],
    statusColour: STATUS_COLOURS[v.status],
    startText: v.startDate ? formatDay(v.startDate) : null,
    closingText: v.closingDate ? formatDay(v.closingDate) : null,
    // Open in name, but nobody can apply any more.
    closed: v.status === 'open' && pastClosing,
    pay,
    payDay: formatDay(v.startDate ?? day),
    belowMinimum: pay.competitive === false,
  };
}

/** What the form posted, to show again: never the CSRF token; ticked boxes always as lists. */
function typedValues(body: unknown): Record<string, unknown> {
  const values = Object.fromEntries(Object.entries((body ?? {}) as Record<string, unknown>).filter(([k]) => k !== '_csrf'));
  for (const k of ['days', 'times']) {
    const v = values[k];
    values[k] = v === undefined ? [] : Array.isArray(v) ? v : [v];
  }
  return values;
}

/** The form's values for a saved vacancy. */
function formValuesOf(v: vacancies.Vacancy): Record<string, unknown> {
  const text = (x: string | number | null) => (x === null ? '' : String(x));
  return {
    employer: v.employerName,
    title: v.title,
    department_id: text(v.departmentId),
    site_id: text(v.siteId),
    occupation: text(v.occupation),
    hours_per_week: text(v.hoursPerWeek),
    days: v.days,
    times: v.times,
    weekends: v.weekends ? 'yes' : 'no',
    hourly_pay: penceToPounds(v.hourlyPayPence),
    place: text(v.place),
    latitude: text(v.ownLatitude),
    longitude: text(v.ownLongitude),
    start_date: text(v.startDate),
    closing_date: text(v.closingDate),
    found_via: v.foundVia,
    check_required: v.checkRequired ? 'yes' : 'no',
    description: text(v.description),
    version: String(v.version),
  };
}

type ParsedForm = ReturnType<typeof VacancyFormSchema.parse>;

/** The service's details from a parsed form and the employer it named. */
function formDetails(input: ParsedForm, employerId: string): vacancies.VacancyDetails {
  return {
    employerId,
    title: input.title,
    occupation: input.occupation,
    departmentId: input.department_id,
    siteId: input.site_id,
    hoursPerWeek: input.hours_per_week,
    days: input.days,
    times: input.times,
    weekends: input.weekends,
    hourlyPayPence: input.hourly_pay,
    place: input.place,
    latitude: input.latitude,
    longitude: input.longitude,
    startDate: input.start_date,
    closingDate: input.closing_date,
    foundVia: input.found_via,
    checkRequired: input.check_required,
    description: input.description,
  };
}

/** The service's details from an API body: only the fields sent. */
function apiDetails(input: Partial<ReturnType<typeof VacancyCreateSchema.parse>>): Partial<vacancies.VacancyDetails> {
  const out: Partial<vacancies.VacancyDetails> = {};
  const set = <K extends keyof vacancies.VacancyDetails>(k: K, v: vacancies.VacancyDetails[K] | undefined) => {
    if (v !== undefined) out[k] = v;
  };
  set('employerId', input.employer_id);
  set('title', input.title);
  set('occupation', input.occupation);
  set('departmentId', input.department_id);
  set('siteId', input.site_id);
  set('hoursPerWeek', input.hours_per_week);
  set('days', input.days);
  set('times', input.times);
  set('weekends', input.weekends);
  set('hourlyPayPence', input.hourly_pay_pence);
  set('place', input.place);
  set('latitude', input.latitude);
  set('longitude', input.longitude);
  set('startDate', input.start_date);
  set('closingDate', input.closing_date);
  set('foundVia', input.found_via);
  set('checkRequired', input.check_required);
  set('description', input.description);
  return out;
}

/** An uploaded file as the multipart plugin leaves it in the body (see `onFile` below). */
interface Upload {
  fileName: string;
  data: Buffer;
  tooLarge: boolean;
}

function isUpload(v: unknown): v is Upload {
  return typeof v === 'object' && v !== null && Buffer.isBuffer((v as Upload).data);
}

/** Vacancy pages, the CSV import with its progress page, and the `vacancies` API. */
export async function vacancyRoutes(app: FastifyInstance): Promise<void> {
  const { db, deps } = app;

  // Uploads are read into memory (10 MB at most) before the CSRF check, which needs the form's
  // `_csrf` field: `keyValues` puts plain fields in the body as strings, as a normal form does.
  await app.register(multipart, {
    attachFieldsToBody: 'keyValues',
    throwFileSizeLimit: false,
    limits: { fileSize: MAX_IMPORT_BYTES, files: 1, fields: 10 },
    async onFile(part: MultipartFile) {
      const data = await part.toBuffer();
      const upload: Upload = { fileName: part.filename, data, tooLarge: part.file.truncated };
      (part as MultipartFile & { value: Upload }).value = upload;
    },
  });
  // The API takes the CSV file itself as the request body.
  app.addContentTypeParser(
    ['text/csv', 'application/csv'],
    { parseAs: 'string', bodyLimit: MAX_IMPORT_BYTES },
    (_r, body, done) => done(null, body),
  );

  // Imports running in this process; closing the app waits for them, so nothing is cut off mid-batch.
  const running = new Map<string, Promise<unknown>>();
  app.addHook('onClose', async () => {
    await Promise.allSettled(running.values());
  });

  // ---- The list ---------------------------------------------------------------------------------

  app.get('/vacancies', async (request, reply) => {
    const v = viewer(request);
    let query: VacancyListQuery;
    let errors: Record<string, string> | undefined;
    try {
      query = parseInput(VacancyListQuerySchema, request.query);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      // A bad link or hand-edited address: say what is wrong and show the first page of open ones.
      errors = err.fields;
      query = {};
    }
    const day = today(app);
    const page = query.page ?? 1;
    const sort = query.sort ?? 'closing';
    const status = query.status ?? 'open';
    const result = await vacancies.searchVacancies(
      db,
      v,
      day,
      { q: query.q, listStatus: status, closingSoon: query.closing === 'soon', foundVia: query.found_via || undefined },
      { sort, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE },
    );
    const filters = {
      q: query.q,
      status: status === 'open' ? undefined : status,
      closing: query.closing,
      found_via: query.found_via,
      sort: sort === 'closing' ? undefined : sort,
    };
    const href = (p: number) => linkWith('/vacancies', { ...filters, page: p === 1 ? undefined : p });
    const first = (page - 1) * PAGE_SIZE + 1;
    return reply.render(LIST, {
      title: 'Vacancies',
      columnWidth: 'full',
      rows: result.items.map((x) => vacancyView(x, day)),
      total: result.total,
      showing:
        result.items.length === result.total
          ? plural(result.total, 'vacancy', 'vacancies')
          : `Showing ${count(first)} to ${count(first + result.items.length - 1)} of ${plural(result.total, 'vacancy', 'vacancies')}`,
      pages: paginationOf(page, result.total, PAGE_SIZE, href),
      values: errors ? request.query : { ...filters, status, sort },
      errors,
      filtered: Object.values(filters).some(Boolean),
      firstPageHref: page > 1 && result.items.length === 0 && result.total > 0 ? href(1) : null,
      listStatusItems,
      closingItems: [
        { value: '', text: 'Any time' },
        { value: 'soon', text: 'In the next 2 weeks' },
      ],
      foundViaItems: [{ value: '', text: 'Any way' }, ...foundViaItems],
      sortItems,
    });
  });

  // ---- Add and change ---------------------------------------------------------------------------

  /** What the form needs besides its values: the employer (when known) and its departments and sites. */
  const formContext = async (
    request: FastifyRequest,
    opts: { vacancy?: vacancies.Vacancy; employer?: employers.Employer | null; fixed?: boolean },
  ) => {
    const v = viewer(request);
    const employer = opts.employer ?? null;
    const fixed = Boolean(opts.fixed && employer);
    const parts = employer ? await vacancies.partChoices(db, v, employer.id) : null;
    const none = (text: string) => [{ value: '', text }];
    return {
      title: opts.vacancy ? 'Change a vacancy' : 'Add a vacancy',
      backHref: opts.vacancy
        ? `/vacancies/${opts.vacancy.id}`
        : employer && opts.fixed
          ? `/employers/${employer.id}`
          : '/vacancies',
      action: opts.vacancy ? `/vacancies/${opts.vacancy.id}/edit` : '/vacancies',
      vacancy: opts.vacancy,
      employer,
      fixedEmployer: fixed,
      employerNames: fixed ? [] : await employers.employerNames(db, v),
      departmentItems:
        parts && parts.departments.length > 0
          ? [...none('Not in a department'), ...parts.departments.map((d) => ({ value: d.id, text: d.name }))]
          : null,
      siteItems:
        parts && parts.sites.length > 0
          ? [...none('Not at one site'), ...parts.sites.map((s) => ({ value: s.id, text: s.name }))]
          : null,
      dayItems,
      timeItems,
      foundViaItems,
    };
  };

  /** An employer the viewer may use, or null when the id names none. */
  const employerById = async (request: FastifyRequest, id: unknown) =>
    isRecordId(id)
      ? employers.getEmployer(db, viewer(request), id).catch((err: unknown) => {
          if (err instanceof NotFoundError) return null;
          throw err;
        })
      : null;

  /**
   * The employer a form names: fixed by `employer_id`, or typed and matched by name. Null with a
   * message when it cannot be found.
   */
  const employerOfForm = async (
    request: FastifyRequest,
  ): Promise<{ employer: employers.Employer | null; fixed: boolean; problem?: string }> => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    if (typeof body.employer_id === 'string' && body.employer_id !== '') {
      const employer = await employerById(request, body.employer_id);
      return employer ? { employer, fixed: true } : { employer: null, fixed: false, problem: 'Enter the employer’s name' };
    }
    const named = await employers.employerTypedInForm(db, body.employer);
    return named.employer ? { employer: named.employer, fixed: false } : { employer: null, fixed: false, problem: named.problem };
  };

  /** Parses the form and its employer together, so every problem is shown at once. */
  const readForm = async <S extends typeof VacancyFormSchema | typeof VacancyEditFormSchema>(
    request: FastifyRequest,
    schema: S,
  ) => {
    const named = await employerOfForm(request);
    let input: ReturnType<S['parse']> | undefined;
    let fields: Record<string, string> = {};
    try {
      input = parseInput(schema, request.body) as ReturnType<S['parse']>;
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      fields = err.fields;
    }
    if (named.problem) fields = { employer: named.problem, ...fields };
    return { named, input, fields };
  };

  app.get('/vacancies/new', async (request, reply) => {
    const employer = await employerById(request, (request.query as Record<string, unknown>).employer_id);
    return reply.render(FORM, {
      ...(await formContext(request, { employer, fixed: true })),
      values: {
        found_via: 'advertised',
        check_required: 'no',
        weekends: 'no',
        days: [],
        times: [],
        employer_id: employer?.id ?? '',
      },
    });
  });

  app.post('/vacancies', async (request, reply) => {
    const v = viewer(request);
    const { named, input, fields } = await readForm(request, VacancyFormSchema);
    const showForm = async (errors: Record<string, string>) =>
      reply.status(400).render(FORM, {
        ...(await formContext(request, { employer: named.employer, fixed: named.fixed })),
        values: typedValues(request.body),
        errors,
      });
    if (!input || !named.employer || Object.keys(fields).length > 0) return showForm(fields);
    const employerId = named.employer.id;
    try {
      const created = await db
        .transaction()
        .execute((trx) => vacancies.createVacancy(trx, deps, auditContext(request), v, formDetails(input, employerId)));
      return await reply.redirect(`/vacancies/${created.id}?done=created`);
    } catch (err) {
      if (err instanceof ValidationError) return showForm(err.fields);
      throw err;
    }
  });

  app.get('/vacancies/:id/edit', async (request, reply) => {
    const id = pagePathId(request, 'id', 'Vacancy');
    const v = viewer(request);
    const vacancy = await vacancies.getVacancy(db, v, id);
    const employer = await employers.getEmployer(db, v, vacancy.employerId);
    return reply.render(FORM, { ...(await formContext(request, { vacancy, employer })), values: formValuesOf(vacancy) });
  });

  app.post('/vacancies/:id/edit', async (request, reply) => {
    const id = pagePathId(request, 'id', 'Vacancy');
    const v = viewer(request);
    const vacancy = await vacancies.getVacancy(db, v, id);
    const { named, input, fields } = await readForm(request, VacancyEditFormSchema);
    const values = typedValues(request.body);
    // The selects show the departments and sites of the employer typed, when it is found.
    const employer = named.employer ?? (await employers.getEmployer(db, v, vacancy.employerId));
    const showForm = async (status: number, errors: Record<string, string>, extra: Record<string, unknown> = {}) =>
      reply.status(status).render(FORM, { ...(await formContext(request, { vacancy, employer })), values, errors, ...extra });
    if (!input || !named.employer || Object.keys(fields).length > 0) return showForm(400, fields);
    const employerId = named.employer.id;
    try {
      await db
        .transaction()
        .execute((trx) =>
          vacancies.updateVacancy(trx, deps, auditContext(request), v, id, input.version, formDetails(input, employerId)),
        );
    } catch (err) {
      if (err instanceof ValidationError) return showForm(400, err.fields);
      if (err instanceof ConflictError) {
        // Keep what they typed, show what is saved now, and let a second save go through.
        const saved = await vacancies.getVacancy(db, v, id);
        return reply.status(409).render(FORM, {
          ...(await formContext(request, { vacancy: saved, employer })),
          conflict: vacancyView(saved, today(app)),
          values: { ...values, version: String(saved.version) },
          errors: { title: `${err.message}. Check your changes against the saved vacancy, then save again` },
        });
      }
      throw err;
    }
    return reply.redirect(`/vacancies/${id}?done=updated`);
  });

  // ---- Import a CSV file ------------------------------------------------------------------------

  const importContext = async (request: FastifyRequest) => ({
    title: 'Import vacancies from a CSV file',
    backHref: '/vacancies',
    columns: IMPORT_COLUMNS.map((name) => ({ name, ...IMPORT_COLUMN_HELP[name] })),
    header: IMPORT_COLUMNS.join(','),
    exampleLines: [
      IMPORT_COLUMNS.join(','),
      'REQ-2041,Leeds Teaching Hospitals,Domestic assistant,Cleaning,Facilities,St James’s,"Beckett Street, Leeds",53.8067,-1.52,22.5,mon;tue;wed,mornings,no,12.71,2026-05-01,20/04/2026,advertised,yes,"Cleaning wards, 3 shifts a week"',
      ',Corner Café,Kitchen porter,Catering,,,Headingley,,,16,fri;sat;sun,evenings,yes,£12.80,,2026-04-30,employer_relationship,no,',
    ],
    maxSize: `${MAX_IMPORT_BYTES / 1024 / 1024} MB`,
    recent: (await vacancies.recentImports(db, viewer(request))).map(importView),
  });

  app.get('/vacancies/import', async (request, reply) => reply.render(IMPORT, await importContext(request)));

  app.post('/vacancies/import', async (request, reply) => {
    const v = viewer(request);
    const file = ((request.body ?? {}) as Record<string, unknown>).file;
    const refuse = async (message: string) =>
      reply.status(400).render(IMPORT, { ...(await importContext(request)), errors: { file: message } });
    if (!isUpload(file) || (file.data.length === 0 && !file.fileName)) return refuse('Choose a CSV file to import');
    if (file.tooLarge)
      return refuse(`The file must be ${MAX_IMPORT_BYTES / 1024 / 1024} MB or smaller. Split it into smaller files`);
    let started;
    try {
      started = await vacancies.startImport(db, deps, auditContext(request), v, {
        fileName: file.fileName,
        text: decodeCsv(file.data),
      });
    } catch (err) {
      if (err instanceof ValidationError) return refuse(err.fields.file ?? 'The file cannot be imported');
      throw err;
    }
    const { id, finished } = started;
    running.set(
      id,
      finished
        .catch((err: unknown) => request.log.error({ err, importId: id }, 'vacancy import failed'))
        .finally(() => running.delete(id)),
    );
    return reply.redirect(`/vacancies/imports/${id}`, 303);
  });

  app.get('/vacancies/imports/:id', async (request, reply) => {
    const id = pagePathId(request, 'id', 'Import');
    const imp = await vacancies.getImport(db, viewer(request), id);
    // Still "running" but not running here: the service restarted part way through.
    const interrupted = imp.status === 'running' && !running.has(imp.id);
    return reply.render(REPORT, {
      title: imp.status === 'running' && !interrupted ? 'Importing vacancies' : 'Vacancy import report',
      backHref: '/vacancies/import',
      imp: importView(imp),
      interrupted,
      refresh: imp.status === 'running' && !interrupted,
    });
  });

  // ---- A vacancy --------------------------------------------------------------------------------

  app.get('/vacancies/:id', async (request, reply) => {
    const id = pagePathId(request, 'id', 'Vacancy');
    const vacancy = await vacancies.getVacancy(db, viewer(request), id);
    const done = (request.query as Record<string, unknown>).done;
    return reply.render(SHOW, {
      title: vacancy.title,
      backHref: '/vacancies',
      vac: vacancyView(vacancy, today(app)),
      nextStatuses: allowedNextStatuses(vacancy.status).map((s) => ({ status: s, ...STATUS_ACTIONS[s] })),
      flash: typeof done === 'string' ? DONE_MESSAGES[done] : undefined,
    });
  });

  const statusContext = async (request: FastifyRequest, id: string, to: VacancyStatus) => {
    const vacancy = await vacancies.getVacancy(db, viewer(request), id);
    if (!allowedNextStatuses(vacancy.status).includes(to)) throw new NotFoundError('Page not found');
    return {
      title: STATUS_ACTIONS[to].title,
      backHref: `/vacancies/${id}`,
      vac: vacancyView(vacancy, today(app)),
      to,
      action: STATUS_ACTIONS[to],
    };
  };
  const statusAsked = (value: unknown): VacancyStatus => {
    const to = (['open', 'filled', 'withdrawn'] as const).find((s) => s === value);
    if (!to) throw new NotFoundError('Page not found');
    return to;
  };

  app.get('/vacancies/:id/status', async (request, reply) => {
    const id = pagePathId(request, 'id', 'Vacancy');
    const context = await statusContext(request, id, statusAsked((request.query as Record<string, unknown>).to));
    return reply.render(STATUS, { ...context, values: { version: String(context.vac.version) } });
  });

  app.post('/vacancies/:id/status', async (request, reply) => {
    const id = pagePathId(request, 'id', 'Vacancy');
    const v = viewer(request);
    let input;
    try {
      input = parseInput(VacancyStatusFormSchema, request.body);
    } catch (err) {
      if (err instanceof ValidationError) throw new NotFoundError('Page not found');
      throw err;
    }
    const to = input.status;
    try {
      await db
        .transaction()
        .execute((trx) => vacancies.changeVacancyStatus(trx, deps, auditContext(request), v, id, input.version, to));
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
      const context = await statusContext(request, id, to);
      return reply.status(409).render(STATUS, {
        ...context,
        values: { version: String(context.vac.version) },
        errors: { status: `${err.message}. Check the vacancy below, then confirm again if you still want to` },
      });
    }
    return reply.redirect(`/vacancies/${id}?done=${to}`);
  });

  // ---- JSON API ---------------------------------------------------------------------------------

  const apiToday = () => today(app);

  const listDoc = {
    summary:
      'Vacancies, newest first. `open_on` keeps those open for applications on that day (what matching uses); each carries the minimum-wage check for someone aged 21 or over',
    tag: 'vacancies',
    query: VacancyApiListQuerySchema,
    response: VacancyListJsonSchema,
  };
  app.get('/api/v1/vacancies', { config: { api: listDoc } }, async (request) => {
    const query = parseInput(VacancyApiListQuerySchema, request.query);
    const offset = cursorOffset(query.cursor);
    const day = apiToday();
    const page = await vacancies.pageVacancies(
      db,
      viewer(request),
      day,
      { q: query.q, status: query.status, employerId: query.employer_id, openOn: query.open_on },
      { limit: query.limit, offset },
    );
    return listBody(
      page.items.map((x) => vacancies.vacancyJson(x, vacancies.vacancyPay(x, day))),
      page.hasMore ? String(offset + query.limit) : null,
    );
  });

  const createDoc = {
    summary:
      'Add a vacancy. Only `employer_id` and `title` are required; `found_via` defaults to advertised. `department_id` and `site_id` must be the employer’s',
    tag: 'vacancies',
    body: VacancyCreateSchema,
    response: VacancyJsonSchema,
    status: 201,
  };
  app.post('/api/v1/vacancies', { config: { api: createDoc } }, async (request, reply) => {
    const input = parseInput(VacancyCreateSchema, request.body);
    const details = { ...apiDetails(input), employerId: input.employer_id, title: input.title, foundVia: input.found_via };
    const v = viewer(request);
    const created = await db.transaction().execute(async (trx) => {
      // An employer the caller cannot use reads as a bad field, not as a missing vacancy.
      await employers.getEmployer(trx, v, input.employer_id).catch((err: unknown) => {
        if (err instanceof NotFoundError) throw new ValidationError({ employer_id: 'employer_id is not an employer' });
        throw err;
      });
      return vacancies.createVacancy(trx, deps, auditContext(request), v, details);
    });
    return reply
      .status(201)
      .header('location', `/api/v1/vacancies/${created.id}`)
      .send(vacancies.vacancyJson(created, vacancies.vacancyPay(created, apiToday())));
  });

  const importDoc = {
    summary:
      'Import vacancies from a CSV file sent as the body (`Content-Type: text/csv`, up to 10 MB; the header is in the user guide). Synchronous. Valid rows are added, rows already imported (same import key) are skipped, bad rows are reported by line; a file that is not CSV or has a bad header is a 400 with `fields.file` and adds nothing',
    tag: 'vacancies',
    bodyMediaType: { type: 'text/csv', description: 'The CSV file: a header line, then a line per vacancy' },
    response: VacancyImportJsonSchema,
    status: 200,
  };
  app.post('/api/v1/vacancies/import', { config: { api: importDoc } }, async (request) => {
    if (typeof request.body !== 'string')
      throw new ValidationError({ file: 'Send the CSV file as the request body with Content-Type: text/csv' });
    const { finished } = await vacancies.startImport(db, deps, auditContext(request), viewer(request), {
      fileName: null,
      text: request.body,
    });
    const report = await finished;
    return {
      added: report.added,
      already_imported: report.alreadyImported,
      new_employers: report.newEmployers,
      errors: report.errors,
    };
  });

  const readDoc = {
    summary:
      'One vacancy. With `participant_id`, `competitive` uses that person’s age on the start date (the read of their record is audited)',
    tag: 'vacancies',
    query: VacancyReadQuerySchema,
    response: VacancyJsonSchema,
  };
  app.get('/api/v1/vacancies/:id', { config: { api: readDoc } }, async (request) => {
    const id = recordIdParam(request.params);
    const query = parseInput(VacancyReadQuerySchema, request.query);
    const v = viewer(request);
    const vacancy = await vacancies.getVacancy(db, v, id);
    const pay = query.participant_id
      ? await vacancies.payCheckForPerson(db, deps, auditContext(request), v, vacancy, query.participant_id, apiToday())
      : vacancies.vacancyPay(vacancy, apiToday());
    return vacancies.vacancyJson(vacancy, pay);
  });

  const updateDoc = {
    summary:
      'Change a vacancy: send the `version` you read and the fields to change. `status` moves open → filled or withdrawn, and back to open',
    tag: 'vacancies',
    body: VacancyUpdateSchema,
    response: VacancyJsonSchema,
  };
  app.patch('/api/v1/vacancies/:id', { config: { api: updateDoc } }, async (request) => {
    const id = recordIdParam(request.params);
    const input = parseInput(VacancyUpdateSchema, request.body);
    const changes = { ...apiDetails(input), ...(input.status ? { status: input.status } : {}) };
    const updated = await db
      .transaction()
      .execute((trx) => vacancies.updateVacancy(trx, deps, auditContext(request), viewer(request), id, input.version, changes));
    return vacancies.vacancyJson(updated, vacancies.vacancyPay(updated, apiToday()));
  });

  /** An import as its page shows it. */
  function importView(imp: vacancies.VacancyImport) {
    return {
      ...imp,
      progressText: `Imported ${count(imp.processedRows)} of ${plural(imp.totalRows, 'row', 'rows')}`,
      totalText: count(imp.totalRows),
      addedText: plural(imp.added, 'vacancy added', 'vacancies added'),
      alreadyText: `${count(imp.alreadyImported)} already imported`,
      newEmployersText: plural(imp.newEmployers, 'new employer added', 'new employers added'),
      notImportedText: plural(imp.notImported, 'row not imported', 'rows not imported'),
      moreErrors: imp.notImported - imp.errors.length,
    };
  }
}
