import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isRecordId } from '../db/records.ts';
import { ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import { auditContext } from '../http/audit-context.ts';
import { parseInput } from '../http/validate.ts';
import type { Viewer } from '../participants/rules.ts';
import * as participants from '../participants/service.ts';
import { dayText } from '../referrals/rules.ts';
import * as teams from '../teams/service.ts';
import * as planning from './planning.ts';
import { INTERN_STATUS_LABELS, OUTCOME_LABELS, type OutcomeRate, type RotationDates, defaultRotations } from './rules.ts';
import {
  CohortFormSchema,
  CohortTeamFormSchema,
  DepartmentFormSchema,
  GridFormSchema,
  InternAddFormSchema,
  MAX_ROTATION_FIELDS,
  RotationCountSchema,
  RotationsFormSchema,
} from './schema.ts';
import * as cohorts from './service.ts';

const V = 'internships/views';

const DONE_MESSAGES: Record<string, string> = {
  created: 'Cohort set up',
  saved: 'Cohort saved',
  team: 'Job coaches and sites saved',
  intern: 'Intern added',
  rotations: 'Rotation plan saved',
};

function viewer(request: FastifyRequest): Viewer {
  if (!request.actor) throw new NotFoundError('Cohort not found');
  return participants.viewerOf(request.actor);
}

/** A record id in the path; anything else is a page that does not exist. */
function pathId(request: FastifyRequest, name = 'id', what = 'Cohort'): string {
  const id = (request.params as Record<string, unknown>)[name];
  if (!isRecordId(id)) throw new NotFoundError(`${what} not found`);
  return id;
}

/** What a form posted, to show again: never the CSRF token. */
function typedValues(body: unknown): Record<string, unknown> {
  return Object.fromEntries(Object.entries((body ?? {}) as Record<string, unknown>).filter(([k]) => k !== '_csrf'));
}

function flashOf(request: FastifyRequest): string | undefined {
  const done = (request.query as Record<string, unknown>).done;
  return typeof done === 'string' ? DONE_MESSAGES[done] : undefined;
}

/** "2 of 4 graduates (50%) into a job meeting the programme outcome". */
export function outcomeRateText(rate: OutcomeRate): string {
  if (rate.graduates === 0) return 'No interns have graduated yet.';
  return `${rate.programmeOutcomes} of ${rate.graduates} ${rate.graduates === 1 ? 'graduate' : 'graduates'} (${rate.ratePercent ?? 0}%) into a job meeting the programme outcome.`;
}

const datesText = (r: { startDate: string; endDate: string }) => `${dayText(r.startDate)} to ${dayText(r.endDate)}`;

/** The cohort pages: list, set up and change, coaches and sites, interns, departments, rotations and the grid. */
export async function internshipRoutes(app: FastifyInstance): Promise<void> {
  const { db, deps } = app;

  // ---- The list ----------------------------------------------------------------------------------

  app.get('/cohorts', async (request, reply) => {
    const list = await cohorts.listCohorts(db, viewer(request));
    return reply.render(`${V}/cohorts.njk`, {
      title: 'Supported internship cohorts',
      cohorts: list.map((c) => ({ ...c, href: `/cohorts/${c.id}`, dates: datesText(c) })),
    });
  });

  // ---- Set up and change a cohort ----------------------------------------------------------------

  const formContext = async (v: Viewer, cohort: cohorts.CohortView | null) => {
    const [hostItems, staff, allTeams] = await Promise.all([
      planning.hostChoices(db, v),
      planning.staffChoices(db),
      teams.listTeams(db),
    ]);
    // Practitioners and managers set up cohorts for their own team; a cohort keeps its own.
    const teamItems = allTeams
      .filter((t) => t.id === v.teamId || t.id === cohort?.teamId)
      .map((t) => ({ value: t.id, text: t.name }));
    if (cohort && !hostItems.some((h) => h.value === cohort.hostEmployerId))
      hostItems.unshift({ value: cohort.hostEmployerId, text: cohort.hostName });
    return {
      cohort,
      title: cohort ? 'Change the cohort' : 'Set up a cohort',
      backHref: cohort ? `/cohorts/${cohort.id}` : '/cohorts',
      action: cohort ? `/cohorts/${cohort.id}/edit` : '/cohorts/new',
      hostItems: [{ value: '', text: 'Select the host organisation' }, ...hostItems],
      teamItems,
      tutorItems: [{ value: '', text: 'No tutor yet' }, ...staff],
      noHosts: hostItems.length === 0,
    };
  };

  const cohortInput = (f: ReturnType<typeof CohortFormSchema.parse>): cohorts.CohortInput => ({
    name: f.name,
    programmeYear: f.programme_year,
    hostEmployerId: f.host_employer_id,
    teamId: f.team_id,
    tutorUserId: f.tutor_user_id,
    educationProvider: f.education_provider,
    startDate: f.start_date,
    endDate: f.end_date,
    notes: f.notes,
  });

  app.get('/cohorts/new', async (request, reply) => {
    const v = viewer(request);
    return reply.render(`${V}/cohort-form.njk`, {
      ...(await formContext(v, null)),
      values: { team_id: v.teamId ?? '', tutor_user_id: v.userId },
    });
  });

  app.post('/cohorts/new', async (request, reply) => {
    const v = viewer(request);
    let id: string;
    try {
      const input = parseInput(CohortFormSchema, request.body);
      const cohort = await db
        .transaction()
        .execute((trx) => cohorts.createCohort(trx, deps, auditContext(request), v, cohortInput(input)));
      id = cohort.id;
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return reply.status(400).render(`${V}/cohort-form.njk`, {
        ...(await formContext(v, null)),
        values: typedValues(request.body),
        errors: err.fields,
      });
    }
    return reply.redirect(`/cohorts/${id}?done=created`);
  });

  const cohortValues = (c: cohorts.CohortView) => ({
    name: c.name,
    programme_year: c.programmeYear,
    host_employer_id: c.hostEmployerId,
    team_id: c.teamId,
    tutor_user_id: c.tutorUserId ?? '',
    education_provider: c.educationProvider ?? '',
    start_date: c.startDate,
    end_date: c.endDate,
    notes: c.notes ?? '',
    version: String(c.version),
  });

  app.get('/cohorts/:id/edit', async (request, reply) => {
    const v = viewer(request);
    const cohort = await cohorts.loadCohort(db, v, pathId(request));
    return reply.render(`${V}/cohort-form.njk`, { ...(await formContext(v, cohort)), values: cohortValues(cohort) });
  });

  app.post('/cohorts/:id/edit', async (request, reply) => {
    const v = viewer(request);
    const id = pathId(request);
    try {
      const input = parseInput(CohortFormSchema, request.body);
      if (input.version === undefined) throw new ValidationError({ name: 'Open the cohort again and make your change' });
      const version = input.version;
      await db
        .transaction()
        .execute((trx) => cohorts.updateCohort(trx, deps, auditContext(request), v, id, version, cohortInput(input)));
    } catch (err) {
      if (!(err instanceof ValidationError) && !(err instanceof ConflictError)) throw err;
      const cohort = await cohorts.loadCohort(db, v, id);
      const conflict = err instanceof ConflictError;
      return reply.status(conflict ? 409 : 400).render(`${V}/cohort-form.njk`, {
        ...(await formContext(v, cohort)),
        values: { ...typedValues(request.body), ...(conflict ? { version: String(cohort.version) } : {}) },
        errors: conflict
          ? { name: 'Someone else changed this cohort after you opened it. Check your changes, then save again' }
          : err.fields,
      });
    }
    return reply.redirect(`/cohorts/${id}?done=saved`);
  });

  // ---- Job coaches and sites ---------------------------------------------------------------------

  const teamContext = async (v: Viewer, cohort: cohorts.CohortView) => ({
    cohort,
    title: 'Job coaches and sites',
    backHref: `/cohorts/${cohort.id}`,
    coachItems: await planning.staffChoices(db),
    siteItems: await planning.hostSites(db, v, cohort.hostEmployerId),
    hostHref: `/employers/${cohort.hostEmployerId}`,
  });

  app.get('/cohorts/:id/team', async (request, reply) => {
    const v = viewer(request);
    const cohort = await cohorts.loadCohort(db, v, pathId(request));
    return reply.render(`${V}/cohort-team.njk`, {
      ...(await teamContext(v, cohort)),
      values: { coach_ids: cohort.coachIds, site_ids: cohort.siteIds },
    });
  });

  app.post('/cohorts/:id/team', async (request, reply) => {
    const v = viewer(request);
    const id = pathId(request);
    try {
      const input = parseInput(CohortTeamFormSchema, request.body);
      await db
        .transaction()
        .execute((trx) => cohorts.setCoachesAndSites(trx, deps, auditContext(request), v, id, input.coach_ids, input.site_ids));
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      const cohort = await cohorts.loadCohort(db, v, id);
      const body = typedValues(request.body);
      const list = (x: unknown): unknown[] => (Array.isArray(x) ? (x as unknown[]) : typeof x === 'string' ? [x] : []);
      return reply.status(400).render(`${V}/cohort-team.njk`, {
        ...(await teamContext(v, cohort)),
        values: { coach_ids: list(body.coach_ids), site_ids: list(body.site_ids) },
        errors: err.fields,
      });
    }
    return reply.redirect(`/cohorts/${id}?done=team`);
  });

  // ---- The cohort page ---------------------------------------------------------------------------

  app.get('/cohorts/:id', async (request, reply) => {
    const v = viewer(request);
    const id = pathId(request);
    const p = await planning.viewCohort(db, deps, auditContext(request), v, id);
    const current = p.currentRotation;
    const departmentOf = (internId: string) => {
      if (!current) return null;
      const placed = p.placements.find((x) => x.internId === internId && x.rotationId === current.id);
      return placed ? (p.departments.find((d) => d.id === placed.departmentId)?.label ?? null) : null;
    };
    return reply.render(`${V}/cohort.njk`, {
      title: p.cohort.name,
      columnWidth: 'full',
      backHref: '/cohorts',
      flash: flashOf(request),
      cohort: { ...p.cohort, dates: datesText(p.cohort) },
      coaches: p.coaches,
      sites: p.sites,
      outcomeRateText: outcomeRateText(p.outcomeRate),
      rotations: p.rotations.map((r) => ({ ...r, dates: datesText(r), current: r.id === current?.id })),
      currentRotation: current,
      interns: p.interns.map((i) => ({
        ...i,
        href: i.name ? `/cohorts/${id}/interns/${i.id}` : null,
        statusLabel: INTERN_STATUS_LABELS[i.status],
        outcomeLabel: i.outcome ? OUTCOME_LABELS[i.outcome] : 'Not yet',
        department: i.status === 'active' ? (departmentOf(i.id) ?? (current ? 'None' : 'Not in a rotation today')) : '',
      })),
      clashCount: p.clashes.length,
      departmentCount: p.departments.length,
    });
  });

  // ---- Add an intern -----------------------------------------------------------------------------

  const internContext = async (v: Viewer, cohortId: string) => {
    const cohort = await cohorts.loadCohort(db, v, cohortId);
    const [found, already] = await Promise.all([
      participants.searchParticipants(
        db,
        v,
        { programme: 'internship', activeOnly: true, ...(v.teamId ? { teamId: v.teamId } : {}) },
        { sort: 'name', direction: 'asc', limit: 500, offset: 0 },
      ),
      cohorts.internsOf(db, v, cohortId),
    ]);
    const taken = new Set(already.map((i) => i.participantId));
    const people = found.items
      .filter((p) => !taken.has(p.id))
      .map((p) => ({ value: p.id, text: `${p.preferredName?.trim() || p.givenName} ${p.familyName}` }));
    return {
      cohort,
      title: 'Add an intern',
      backHref: `/cohorts/${cohortId}`,
      personItems: [{ value: '', text: 'Select the person' }, ...people],
      nobody: people.length === 0,
    };
  };

  app.get('/cohorts/:id/interns/new', async (request, reply) => {
    return reply.render(`${V}/intern-add.njk`, { ...(await internContext(viewer(request), pathId(request))), values: {} });
  });

  app.post('/cohorts/:id/interns/new', async (request, reply) => {
    const v = viewer(request);
    const id = pathId(request);
    try {
      const input = parseInput(InternAddFormSchema, request.body);
      await db.transaction().execute((trx) =>
        cohorts.addIntern(trx, deps, auditContext(request), v, id, {
          participantId: input.participant_id,
          ehcPlan: input.ehc_plan === 'yes',
        }),
      );
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return reply.status(400).render(`${V}/intern-add.njk`, {
        ...(await internContext(v, id)),
        values: typedValues(request.body),
        errors: err.fields,
      });
    }
    return reply.redirect(`/cohorts/${id}?done=intern`);
  });

  // ---- Departments -------------------------------------------------------------------------------

  app.get('/cohorts/:id/departments', async (request, reply) => {
    const { cohort, departments, sites } = await planning.cohortDepartments(db, viewer(request), pathId(request));
    const done = (request.query as Record<string, unknown>).done;
    return reply.render(`${V}/departments.njk`, {
      title: 'Departments',
      backHref: `/cohorts/${cohort.id}`,
      flash: done === 'saved' ? 'Department saved' : undefined,
      cohort,
      sites,
      departments: departments.map((d) => ({
        ...d,
        href: `/cohorts/${cohort.id}/departments/${d.id}`,
        capacityText: d.capacity === null ? 'Not said' : String(d.capacity),
      })),
    });
  });

  const departmentContext = async (v: Viewer, cohortId: string, department: planning.Department | null) => {
    const cohort = await cohorts.loadCohort(db, v, cohortId);
    const sites = await planning.cohortSites(db, v, cohort);
    return {
      cohort,
      department,
      title: department ? `Change ${department.name}` : 'Add a department',
      backHref: `/cohorts/${cohortId}/departments`,
      action: department ? `/cohorts/${cohortId}/departments/${department.id}` : `/cohorts/${cohortId}/departments/new`,
      siteItems: [{ value: '', text: 'Not at one site' }, ...sites.map((s) => ({ value: s.id, text: s.name }))],
    };
  };

  const departmentInput = (f: ReturnType<typeof DepartmentFormSchema.parse>): planning.DepartmentInput => ({
    name: f.name,
    siteId: f.site_id,
    capacity: f.intern_capacity,
    contact: f.intern_contact,
  });

  app.get('/cohorts/:id/departments/new', async (request, reply) => {
    return reply.render(`${V}/department-form.njk`, {
      ...(await departmentContext(viewer(request), pathId(request), null)),
      values: {},
    });
  });

  app.post('/cohorts/:id/departments/new', async (request, reply) => {
    const v = viewer(request);
    const id = pathId(request);
    try {
      const input = parseInput(DepartmentFormSchema, request.body);
      await db
        .transaction()
        .execute((trx) => planning.saveDepartment(trx, deps, auditContext(request), v, id, null, departmentInput(input)));
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return reply.status(400).render(`${V}/department-form.njk`, {
        ...(await departmentContext(v, id, null)),
        values: typedValues(request.body),
        errors: err.fields,
      });
    }
    return reply.redirect(`/cohorts/${id}/departments?done=saved`);
  });

  app.get('/cohorts/:id/departments/:departmentId', async (request, reply) => {
    const v = viewer(request);
    const id = pathId(request);
    const department = await planning.getDepartment(db, v, id, pathId(request, 'departmentId', 'Department'));
    return reply.render(`${V}/department-form.njk`, {
      ...(await departmentContext(v, id, department)),
      values: {
        name: department.name,
        site_id: department.siteId ?? '',
        intern_capacity: department.capacity === null ? '' : String(department.capacity),
        intern_contact: department.contact ?? '',
        version: String(department.version),
      },
    });
  });

  app.post('/cohorts/:id/departments/:departmentId', async (request, reply) => {
    const v = viewer(request);
    const id = pathId(request);
    const departmentId = pathId(request, 'departmentId', 'Department');
    try {
      const input = parseInput(DepartmentFormSchema, request.body);
      const version = input.version;
      if (version === undefined) throw new ValidationError({ name: 'Open the department again and make your change' });
      await db
        .transaction()
        .execute((trx) =>
          planning.saveDepartment(trx, deps, auditContext(request), v, id, { id: departmentId, version }, departmentInput(input)),
        );
    } catch (err) {
      if (!(err instanceof ValidationError) && !(err instanceof ConflictError)) throw err;
      const department = await planning.getDepartment(db, v, id, departmentId);
      const conflict = err instanceof ConflictError;
      return reply.status(conflict ? 409 : 400).render(`${V}/department-form.njk`, {
        ...(await departmentContext(v, id, department)),
        values: { ...typedValues(request.body), ...(conflict ? { version: String(department.version) } : {}) },
        errors: conflict
          ? { name: 'Someone else changed this department after you opened it. Check your changes, then save again' }
          : err.fields,
      });
    }
    return reply.redirect(`/cohorts/${id}/departments?done=saved`);
  });

  // ---- Rotations ---------------------------------------------------------------------------------

  const countItems = Array.from({ length: MAX_ROTATION_FIELDS }, (_, i) => ({ value: String(i + 1), text: String(i + 1) }));

  const rotationValues = (rotations: readonly RotationDates[]) =>
    Object.fromEntries([
      ['rotation_count', String(rotations.length)],
      ...rotations.flatMap((r) => [
        [`rotation_${r.number}_start_date`, r.startDate],
        [`rotation_${r.number}_end_date`, r.endDate],
      ]),
    ]) as Record<string, string>;

  const rotationsContext = (cohort: cohorts.CohortView, count: number, saved: boolean) => ({
    cohort: { ...cohort, dates: datesText(cohort) },
    title: 'Plan rotations',
    backHref: `/cohorts/${cohort.id}`,
    saved,
    count,
    numbers: Array.from({ length: count }, (_, i) => i + 1),
    countItems,
  });

  app.get('/cohorts/:id/rotations', async (request, reply) => {
    const { count } = parseInput(RotationCountSchema, request.query);
    const plan = await planning.rotationPlan(db, viewer(request), pathId(request));
    // Asking for another number of rotations suggests an even split again (nothing is saved yet).
    const rotations =
      count !== undefined && count !== plan.rotations.length
        ? defaultRotations(plan.cohort.startDate, plan.cohort.endDate, count)
        : plan.rotations;
    return reply.render(`${V}/rotations.njk`, {
      ...rotationsContext(plan.cohort, rotations.length, plan.saved),
      flash: flashOf(request),
      values: rotationValues(rotations),
    });
  });

  app.post('/cohorts/:id/rotations', async (request, reply) => {
    const v = viewer(request);
    const id = pathId(request);
    const body = typedValues(request.body);
    try {
      const input = parseInput(RotationsFormSchema, request.body);
      const fields: Record<string, string> = {};
      const plan: RotationDates[] = [];
      for (const typed of input) {
        const n = typed.number;
        const start = planning.parseDay(typed.start);
        const end = planning.parseDay(typed.end);
        if (!start) fields[`rotation_${n}_start_date`] = `Enter the date rotation ${n} starts, like 1/9/2026`;
        if (!end) fields[`rotation_${n}_end_date`] = `Enter the date rotation ${n} ends, like 27/11/2026`;
        if (start && end) plan.push({ number: n, startDate: start, endDate: end });
      }
      if (Object.keys(fields).length > 0) throw new ValidationError(fields);
      await db.transaction().execute((trx) => planning.saveRotations(trx, deps, auditContext(request), v, id, plan));
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      const { cohort, saved } = await planning.rotationPlan(db, v, id);
      const count = Math.min(Math.max(Number(body.rotation_count) || 3, 1), MAX_ROTATION_FIELDS);
      return reply.status(400).render(`${V}/rotations.njk`, {
        ...rotationsContext(cohort, count, saved),
        values: body,
        errors: planning.rotationFieldErrors(err.fields),
      });
    }
    return reply.redirect(`/cohorts/${id}/rotations?done=rotations`);
  });

  // ---- The grid ----------------------------------------------------------------------------------

  const gridContext = (grid: planning.Grid, chosen?: Record<string, string>) => {
    const marked = new Map<string, string[]>();
    for (const c of grid.clashes) for (const cell of c.cells) marked.set(cell, [...(marked.get(cell) ?? []), c.text]);
    const departmentItems = grid.departments.map((d) => ({
      value: d.id,
      text: d.capacity === null ? d.label : `${d.label} (takes ${d.capacity})`,
    }));
    return {
      cohort: grid.cohort,
      title: 'Rotation grid',
      columnWidth: 'full',
      backHref: `/cohorts/${grid.cohort.id}`,
      rotations: grid.rotations.map((r) => ({ ...r, dates: datesText(r) })),
      noDepartments: grid.departments.length === 0,
      clashes: grid.clashes.map((c) => ({
        text: c.text,
        href: `#${planning.cellField(c.cells[0]!.split(':')[0]!, c.cells[0]!.split(':')[1]!)}`,
      })),
      interns: grid.interns.map((i) => ({
        ...i,
        cells: grid.rotations.map((r) => {
          const field = planning.cellField(i.id, r.id);
          const placed = grid.placements.find((p) => p.internId === i.id && p.rotationId === r.id)?.departmentId ?? '';
          const selected = chosen?.[field] ?? placed;
          return {
            field,
            rotation: r,
            label: `Department for ${i.name} in rotation ${r.number}`,
            items: [{ value: '', text: 'None' }, ...departmentItems].map((o) => ({ ...o, selected: o.value === selected })),
            clashes: marked.get(`${i.id}:${r.id}`) ?? [],
          };
        }),
      })),
    };
  };

  app.get('/cohorts/:id/grid', async (request, reply) => {
    const grid = await planning.viewGrid(db, deps, auditContext(request), viewer(request), pathId(request));
    const done = (request.query as Record<string, unknown>).done;
    return reply.render(`${V}/grid.njk`, {
      ...gridContext(grid),
      flash: done === 'saved' ? 'Rotation grid saved' : undefined,
    });
  });

  app.post('/cohorts/:id/grid', async (request, reply) => {
    const v = viewer(request);
    const id = pathId(request);
    try {
      const cells = parseInput(GridFormSchema, typedValues(request.body));
      await db.transaction().execute((trx) => planning.saveGrid(trx, deps, auditContext(request), v, id, cells));
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      const grid = await planning.viewGrid(db, deps, auditContext(request), v, id);
      return reply.status(400).render(`${V}/grid.njk`, {
        ...gridContext(grid, typedValues(request.body) as Record<string, string>),
        errors: err.fields,
      });
    }
    return reply.redirect(`/cohorts/${id}/grid?done=saved`);
  });
}
