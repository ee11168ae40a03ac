import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import * as audit from '../audit/service.ts';
import type { Deps } from '../deps.ts';
import { EMERGENCY_GRANTEE_ROLES } from '../participants/rules.ts';
import { auditContext } from './audit-context.ts';

/**
 * Break-glass for each request (issue 12, point 5): once the actor is known, gives them the
 * instant the request is judged at, from the injected clock, and a record of the grants it uses.
 * The participants service decides with it (`loadVisible`); the layout shows the warning on every
 * page that used a grant; each use is written to the audit trail as `break_glass.viewed`.
 */
async function emergencyAccessPlugin(app: FastifyInstance, opts: { deps: Deps }): Promise<void> {
  app.addHook('onRequest', async (request: FastifyRequest) => {
    const actor = request.actor;
    if (!actor || actor.secondFactorPending || !EMERGENCY_GRANTEE_ROLES.includes(actor.role)) return;
    actor.emergency = {
      at: opts.deps.clock.now().toISOString(),
      used: [],
      recordUse: (db, use) =>
        audit.record(db, opts.deps, auditContext(request), {
          action: 'break_glass.viewed',
          entityType: 'participant',
          entityId: use.participantId,
          details: { breakGlassGrantId: use.grantId },
        }),
    };
  });
}

export const emergencyAccess = fp(emergencyAccessPlugin, { name: 'emergency-access', dependencies: ['identity'] });
