import type { FastifyRequest } from 'fastify';
import type { AuditContext } from '../audit/service.ts';

/** Who is acting and from where, for the audit trail. */
export function auditContext(request: FastifyRequest): AuditContext {
  return {
    actorUserId: request.actor?.userId ?? null,
    actorLabel: request.actor?.email ?? null,
    clientAddress: request.ip ?? null,
    requestId: request.id,
  };
}

/** True for JSON API requests, which get JSON errors instead of pages. */
export function isApiRequest(request: FastifyRequest): boolean {
  return request.url.startsWith('/api/');
}
