import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isRecordId } from '../db/records.ts';
import { NotFoundError, ValidationError } from '../errors.ts';
import { auditContext } from '../http/audit-context.ts';
import { parseInput } from '../http/validate.ts';
import type { Viewer } from '../participants/rules.ts';
import * as participants from '../participants/service.ts';
import { dayText, londonDate } from '../referrals/rules.ts';
import * as teams from '../teams/service.ts';
import * as capacity from './capacity.ts';
import { capacityChart } from './capacity-chart.ts';
import { CapacityQuerySchema, ContractedHoursFormSchema } from './capacity-schema.ts';
import { FULL_TIME_HOURS, fullTimeShare, minutesAsHours } from './rules.ts';

const PAGE = 'access-to-work/views/capacity.njk';
const COACH = 'access-to-work/views/capacity-coach.njk';

/** Minutes as hours for reading: 600 is "10", 675 is "11.25", 75 is "1.25". */
function hoursText(minutes: number): string {
  return minutesAsHours(minutes)
    .replace(/\.00$/, '')
    .replace(/(\.\d)0$/, '$1');
}

/** Contracted hours as typed into the form: 18.75 stays "18.75", null is empty. */
function contractedText(hours: number | null): string {
  return hours === null ? '' : String(hours);
}

function viewerOf(request: FastifyRequest): Viewer {
  if (!request.actor) throw new NotFoundError('Page not found');
  return participants.viewerOf(request.actor);
}

/** The coach capacity page's link back, keeping an administrator's chosen team. */
function capacityHref(viewer: Viewer, teamId: string | null, done?: string): string {
  const qs = new URLSearchParams();
  if (viewer.role === 'admin' && teamId) qs.set('team_id', teamId);
  if (done) qs.set('done', done);
  const s = qs.toString();
  return s ? `/access-to-work/capacity?${s}` : '/access-to-work/capacity';
}

/** Coach capacity for managers (their own team) and administrators (any team). */
export async function capacityRoutes(app: FastifyInstance): Promise<void> {
  const { db, deps } = app;

  app.get('/access-to-work/capacity', async (request, reply) => {
    const viewer = viewerOf(request);
    let errors: Record<string, string> | undefined;
    let query: { team_id?: string | undefined; done?: string | undefined } = {};
    try {
      query = parseInput(CapacityQuerySchema, request.query);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      errors = err.fields;
    }
    // A manager sees their own team; an administrator chooses one (the first by default).
    const allTeams = viewer.role === 'admin' ? await teams.listTeams(db) : [];
    let team: { id: string; name: string } | undefined;
    if (viewer.role === 'admin') {
      team = allTeams.find((t) => t.id === query.team_id) ?? allTeams[0];
      if (query.team_id && team?.id !== query.team_id) errors = { team_id: 'Select a team from the list' };
    } else if (viewer.teamId) {
      team = await teams.getTeam(db, viewer.teamId);
    }
    const base = {
      title: 'Coach capacity',
      errors,
      isAdmin: viewer.role === 'admin',
      teamItems: allTeams.map((t) => ({ value: t.id, text: t.name })),
      values: { team_id: team?.id ?? '' },
      flash: query.done === 'saved' ? 'Contracted hours saved' : undefined,
    };
    if (!team) return reply.render(PAGE, { ...base, team: null });

    const today = londonDate(deps.clock.now());
    const c = await capacity.teamCapacity(db, team.id, today);
    const f = c.forecast;
    const coachHref = (id: string) =>
      `/access-to-work/capacity/coaches/${id}${viewer.role === 'admin' ? `?team_id=${team.id}` : ''}`;
    const totalContracted = f.capacityMinutes;
    const totalCommitted = f.coaches.reduce((s, x) => s + x.committedMinutes, 0) + f.unassignedMinutes;
    const totalDelivered = f.coaches.reduce((s, x) => s + x.deliveredMinutes12Weeks, 0);
    const weeklyAverage = (minutes: number) => hoursText(Math.round(minutes / capacity.DELIVERED_WEEKS));
    return reply.render(PAGE, {
      ...base,
      columnWidth: 'full',
      team,
      statement: f.statement,
      shortfall: f.shortfallFrom !== null,
      peakShare: fullTimeShare(f.peakExcessMinutes),
      fullTimeHours: FULL_TIME_HOURS,
      deliveredWeeks: capacity.DELIVERED_WEEKS,
      forecastWeeks: capacity.FORECAST_WEEKS,
      deliveredFrom: dayText(c.deliveredFrom),
      deliveredTo: dayText(c.deliveredTo),
      coaches: f.coaches.map((x) => ({
        name: x.name,
        href: coachHref(x.id),
        contracted: x.contractedHoursPerWeek === null ? 'Not recorded' : hoursText(Math.round(x.contractedHoursPerWeek * 60)),
        committed: hoursText(x.committedMinutes),
        delivered: hoursText(x.deliveredMinutes12Weeks),
        deliveredAverage: weeklyAverage(x.deliveredMinutes12Weeks),
      })),
      unassigned: f.unassignedMinutes > 0 ? hoursText(f.unassignedMinutes) : null,
      totals: {
        contracted: hoursText(totalContracted),
        committed: hoursText(totalCommitted),
        delivered: hoursText(totalDelivered),
        deliveredAverage: weeklyAverage(totalDelivered),
      },
      others: c.others.map((o) => ({ name: o.name, href: coachHref(o.id) })),
      counts: c.counts,
      chart: capacityChart(f.weeks, { id: 'capacity-chart', teamName: team.name }),
      weeks: f.weeks.map((w) => ({
        weekStart: dayText(w.weekStart),
        demand: hoursText(w.demandMinutes),
        capacity: hoursText(w.capacityMinutes),
        difference:
          w.excessMinutes > 0
            ? `${hoursText(w.excessMinutes)} over capacity`
            : w.excessMinutes === 0
              ? 'Exactly at capacity'
              : `${hoursText(-w.excessMinutes)} to spare`,
        over: w.excessMinutes > 0,
      })),
    });
  });

  // ---- A coach's contracted hours -----------------------------------------------------------------

  const userIdOf = (request: FastifyRequest): string => {
    const id = (request.params as Record<string, unknown>).userId;
    if (!isRecordId(id)) throw new NotFoundError('Coach not found');
    return id;
  };
  const teamQuery = (request: FastifyRequest): string | null => {
    const id = (request.query as Record<string, unknown>).team_id;
    return isRecordId(id) ? id : null;
  };
  const coachContext = (viewer: Viewer, coach: capacity.Coach, request: FastifyRequest) => {
    const teamId = viewer.role === 'admin' ? (teamQuery(request) ?? coach.teamId) : coach.teamId;
    return {
      title: `Contracted hours: ${coach.name}`,
      coach,
      action: `/access-to-work/capacity/coaches/${coach.id}${viewer.role === 'admin' && teamId ? `?team_id=${teamId}` : ''}`,
      backHref: capacityHref(viewer, teamId),
      maxHours: 60,
      fullTimeHours: FULL_TIME_HOURS,
    };
  };

  app.get('/access-to-work/capacity/coaches/:userId', async (request, reply) => {
    const viewer = viewerOf(request);
    const coach = await capacity.coachFor(db, viewer, userIdOf(request));
    return reply.render(COACH, {
      ...coachContext(viewer, coach, request),
      values: { contracted_hours_per_week: contractedText(coach.contractedHoursPerWeek) },
    });
  });

  app.post('/access-to-work/capacity/coaches/:userId', async (request, reply) => {
    const viewer = viewerOf(request);
    const coach = await capacity.coachFor(db, viewer, userIdOf(request));
    const context = coachContext(viewer, coach, request);
    let input;
    try {
      input = parseInput(ContractedHoursFormSchema, request.body);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      const typed = (request.body as Record<string, unknown> | undefined)?.contracted_hours_per_week;
      return reply.status(400).render(COACH, {
        ...context,
        values: { contracted_hours_per_week: typeof typed === 'string' ? typed : '' },
        errors: err.fields,
      });
    }
    await db
      .transaction()
      .execute((trx) =>
        capacity.setContractedHours(trx, deps, auditContext(request), viewer, coach.id, input.contracted_hours_per_week),
      );
    const teamId = viewer.role === 'admin' ? (teamQuery(request) ?? coach.teamId) : coach.teamId;
    return reply.redirect(capacityHref(viewer, teamId, 'saved'));
  });
}
