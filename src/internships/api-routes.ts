import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { DbOrTrx } from '../db/types.ts';
import type { Deps } from '../deps.ts';
import { NotFoundError, ValidationError } from '../errors.ts';
import { decodeCursor, listBody, recordIdParam } from '../http/api.ts';
import { type AuditContext } from '../audit/service.ts';
import { auditContext } from '../http/audit-context.ts';
import { parseInput } from '../http/validate.ts';
import type { Viewer } from '../participants/rules.ts';
import * as participants from '../participants/service.ts';
import {
  type CohortUpdateInput,
  CohortCreateSchema,
  CohortDetailJsonSchema,
  CohortJsonSchema,
  CohortListJsonSchema,
  CohortListQuerySchema,
  CohortUpdateSchema,
} from './api-schema.ts';
import * as planning from './planning.ts';
import * as cohorts from './service.ts';

const TAG = 'cohorts';

// ---- JSON shapes ---------------------------------------------------------------------------------

/** A cohort as the API shows it. */
export function cohortJson(c: cohorts.Cohort): Record<string, unknown> {
  return {
    id: c.id,
    name: c.name,
    programme_year: c.programmeYear,
    host_employer_id: c.hostEmployerId,
    host_name: c.hostName,
    team_id: c.teamId,
    tutor_user_id: c.tutorUserId,
    education_provider: c.educationProvider,
    start_date: c.startDate,
    end_date: c.endDate,
    notes: c.notes,
    created_at: c.createdAt,
    updated_at: c.updatedAt,
    version: c.version,
  };
}

/** A cohort with its rotations and placements, interns, outcome rate and the grid's clashes. */
export function cohortDetailJson(p: planning.CohortPicture): Record<string, unknown> {
  const participantOf = new Map(p.interns.map((i) => [i.id, i.participantId]));
  return {
    ...cohortJson(p.cohort),
    coach_user_ids: p.cohort.coachIds,
    site_ids: p.cohort.siteIds,
    rotations: p.rotations.map((r) => ({
      id: r.id,
      number: r.number,
      start_date: r.startDate,
      end_date: r.endDate,
      placements: p.placements
        .filter((x) => x.rotationId === r.id)
        .map((x) => ({
          intern_id: x.internId,
          participant_id: participantOf.get(x.internId) ?? null,
          employer_department_id: x.departmentId,
        })),
    })),
    interns: p.interns.map((i) => ({
      id: i.id,
      participant_id: i.participantId,
      ehc_plan: i.ehcPlan,
      status: i.status,
      outcome: i.outcome,
      meets_programme_outcome: i.programmeOutcome.meets,
    })),
    outcome_rate: {
      graduates: p.outcomeRate.graduates,
      employed: p.outcomeRate.employed,
      programme_outcomes: p.outcomeRate.programmeOutcomes,
      rate_percent: p.outcomeRate.ratePercent,
    },
    clashes: p.clashes.map((c) => ({
      kind: c.kind,
      text: c.text,
      rotation_ids: c.kind === 'same_department_twice' ? c.rotationIds : [c.rotationId],
      intern_id: c.kind === 'over_capacity' ? null : c.internId,
      employer_department_id: c.kind === 'no_placement' ? null : c.departmentId,
    })),
  };
}

// ---- Helpers -------------------------------------------------------------------------------------

function viewer(request: FastifyRequest): Viewer {
  if (!request.actor) throw new NotFoundError('Cohort not found');
  return participants.viewerOf(request.actor);
}

function offsetOf(cursor: string | undefined): number {
  const key = decodeCursor(cursor);
  const offset = key === undefined ? 0 : Number(key);
  if (!Number.isInteger(offset) || offset < 0) throw new ValidationError({ cursor: 'Cursor is not valid' });
  return offset;
}

/** The cohort as it is, with a PATCH's fields laid over it. */
function merged(current: cohorts.Cohort, input: CohortUpdateInput): cohorts.CohortInput {
  return {
    name: input.name ?? current.name,
    programmeYear: input.programme_year ?? current.programmeYear,
    hostEmployerId: input.host_employer_id ?? current.hostEmployerId,
    teamId: input.team_id ?? current.teamId,
    tutorUserId: input.tutor_user_id === undefined ? current.tutorUserId : input.tutor_user_id,
    educationProvider: input.education_provider === undefined ? current.educationProvider : input.education_provider,
    startDate: input.start_date ?? current.startDate,
    endDate: input.end_date ?? current.endDate,
    notes: input.notes === undefined ? current.notes : input.notes,
  };
}

// The service names the coach and site problems after the form's fields.
const API_FIELD: Record<string, string> = { coach_ids: 'coach_user_ids' };

async function withApiFields<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    throw new ValidationError(
      Object.fromEntries(Object.entries(err.fields).map(([k, v]) => [API_FIELD[k] ?? k, v])),
      err.message,
    );
  }
}

/** Sets the coaches and sites when either was sent, keeping the other as it is. */
async function setTeamIfSent(
  trx: DbOrTrx,
  deps: Deps,
  ctx: AuditContext,
  v: Viewer,
  cohort: cohorts.CohortView,
  input: { coach_user_ids?: string[] | undefined; site_ids?: string[] | undefined },
): Promise<void> {
  if (input.coach_user_ids === undefined && input.site_ids === undefined) return;
  await cohorts.setCoachesAndSites(
    trx,
    deps,
    ctx,
    v,
    cohort.id,
    input.coach_user_ids ?? cohort.coachIds,
    input.site_ids ?? cohort.siteIds,
  );
}

/** The `cohorts` API: supported internship cohorts with their rotations, placements and interns. */
export async function internshipApiRoutes(app: FastifyInstance): Promise<void> {
  const { db, deps } = app;

  const listDoc = {
    summary:
      'Supported internship cohorts you can see (your team’s, and those you tutor or coach), latest start first. No person-level data',
    tag: TAG,
    query: CohortListQuerySchema,
    response: CohortListJsonSchema,
  };
  app.get('/api/v1/cohorts', { config: { api: listDoc } }, async (request) => {
    const query = parseInput(CohortListQuerySchema, request.query);
    const offset = offsetOf(query.cursor);
    const all = await cohorts.listCohorts(db, viewer(request));
    const next = offset + query.limit < all.length ? String(offset + query.limit) : null;
    return listBody(all.slice(offset, offset + query.limit).map(cohortJson), next);
  });

  const createDoc = {
    summary:
      'Set up a cohort for your own team: the host organisation, programme year, dates and tutor, and optionally its job coaches and host sites',
    tag: TAG,
    body: CohortCreateSchema,
    response: CohortJsonSchema,
    status: 201,
  };
  app.post('/api/v1/cohorts', { config: { api: createDoc } }, async (request, reply) => {
    const input = parseInput(CohortCreateSchema, request.body);
    const v = viewer(request);
    const ctx = auditContext(request);
    const teamId = input.team_id ?? v.teamId;
    if (!teamId) throw new ValidationError({ team_id: 'You are not in a team: send team_id' });
    const body = await withApiFields(() =>
      db.transaction().execute(async (trx) => {
        const cohort = await cohorts.createCohort(trx, deps, ctx, v, {
          name: input.name,
          programmeYear: input.programme_year,
          hostEmployerId: input.host_employer_id,
          teamId,
          tutorUserId: input.tutor_user_id ?? null,
          educationProvider: input.education_provider ?? null,
          startDate: input.start_date,
          endDate: input.end_date,
          notes: input.notes ?? null,
        });
        await setTeamIfSent(trx, deps, ctx, v, cohort, input);
        return cohortJson(await cohorts.loadCohort(trx, v, cohort.id));
      }),
    );
    return reply
      .status(201)
      .header('location', `/api/v1/cohorts/${body.id as string}`)
      .send(body);
  });

  const readDoc = {
    summary:
      'One cohort with its coaches and sites, its rotations with the department of each intern in each, its interns (with whether their job meets the programme outcome), the outcome rate and the clashes in the rotation plan. The read is audited; 404 for a cohort you cannot see',
    tag: TAG,
    response: CohortDetailJsonSchema,
  };
  app.get('/api/v1/cohorts/:id', { config: { api: readDoc } }, async (request) => {
    const id = recordIdParam(request.params);
    return cohortDetailJson(await planning.viewCohort(db, deps, auditContext(request), viewer(request), id, 'api'));
  });

  const updateDoc = {
    summary:
      'Change a cohort: send the `version` you read and the fields to change; the rest keep their values. `coach_user_ids` and `site_ids` replace the lists',
    tag: TAG,
    body: CohortUpdateSchema,
    response: CohortJsonSchema,
  };
  app.patch('/api/v1/cohorts/:id', { config: { api: updateDoc } }, async (request) => {
    const id = recordIdParam(request.params);
    const input = parseInput(CohortUpdateSchema, request.body);
    const v = viewer(request);
    const ctx = auditContext(request);
    return withApiFields(() =>
      db.transaction().execute(async (trx) => {
        const current = await cohorts.loadCohort(trx, v, id);
        const cohort = await cohorts.updateCohort(trx, deps, ctx, v, id, input.version, merged(current, input));
        await setTeamIfSent(trx, deps, ctx, v, cohort, input);
        return cohortJson(await cohorts.loadCohort(trx, v, id));
      }),
    );
  });
}
