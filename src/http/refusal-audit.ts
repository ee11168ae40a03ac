import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { record } from '../audit/service.ts';
import { isRecordId } from '../db/records.ts';
import { auditContext } from './audit-context.ts';

// The record a refused route names, by the path segment before its `:id`. Only these are obvious
// enough to name; anything else is recorded against no record.
const ENTITY_BY_SEGMENT: Readonly<Record<string, string>> = {
  participants: 'participant',
  placements: 'placement',
  appointments: 'appointment',
  employers: 'employer',
  vacancies: 'vacancy',
  cohorts: 'cohort',
  'fidelity-reviews': 'fidelity_review',
  'task-analyses': 'task_analysis',
  users: 'user',
  teams: 'team',
  sites: 'site',
};

/** The record a refused request was aimed at, judged from its route pattern: the participant first. */
export function refusedEntity(
  routeUrl: string,
  params: unknown,
): { entityType: string; entityId: string } | Record<string, never> {
  const segments = routeUrl.split('/');
  const at = segments.indexOf(':id');
  if (at < 1) return {};
  const entityType = ENTITY_BY_SEGMENT[segments[at - 1]!];
  const id = (params as Record<string, unknown> | null | undefined)?.id;
  // An id that is not a record id names nothing, and may be anything an attacker typed.
  if (!entityType || !isRecordId(id)) return {};
  return { entityType, entityId: id.toLowerCase() };
}

/**
 * Writes one `access.refused` audit event for every routed request a signed-in person was refused
 * (403, or 404 for a record they may not see), before the answer goes, so the refusal is on record
 * by the time anyone sees it. It is registered after the idempotency plugin, whose transaction has
 * ended by then, so it is written on its own; an audit failure is logged and the answer stands.
 */
async function refusalAuditPlugin(app: FastifyInstance): Promise<void> {
  app.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const status = reply.statusCode;
    if (status !== 403 && status !== 404) return payload;
    const route = request.routeOptions.url;
    if (route === undefined || !request.actor || request.actor.secondFactorPending) return payload;
    try {
      await record(app.db, app.deps, auditContext(request), {
        action: 'access.refused',
        ...refusedEntity(route, request.params),
        // The pattern, never the raw URL: no query strings, bodies or names.
        details: { method: request.method, route, status, code: status === 403 ? 'forbidden' : 'not_found' },
      });
    } catch (err) {
      request.log.error({ err, reqId: request.id }, 'could not record a refused request in the audit trail');
    }
    return payload;
  });
}

export const refusalAudit = fp(refusalAuditPlugin, { name: 'refusal-audit', dependencies: ['access', 'idempotency'] });
