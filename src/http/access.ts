import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { ForbiddenError, UnauthenticatedError } from '../errors.ts';
import { type AccessRule, ruleFor } from './access-rules.ts';
import { isApiRequest } from './audit-context.ts';
import { signInRedirect } from './identity.ts';

declare module 'fastify' {
  interface FastifyRequest {
    accessRule: AccessRule | null;
  }
}

/** Applies the central access rules to every routed request; no rule means no entry. */
async function accessPlugin(app: FastifyInstance): Promise<void> {
  app.decorateRequest('accessRule', null);
  app.addHook('onRequest', async (request: FastifyRequest, reply) => {
    const url = request.routeOptions.url;
    if (url === undefined) return; // no route: the 404 handler answers
    const rule = ruleFor(request.method, url);
    if (!rule) {
      request.log.error({ route: `${request.method} ${url}` }, 'route has no access rule; refusing');
      throw new ForbiddenError();
    }
    request.accessRule = rule;
    if (rule.kind === 'public') return;
    const actor = request.actor;
    if (!actor) {
      const to = signInRedirect(request);
      if (to) return reply.redirect(to);
      throw new UnauthenticatedError();
    }
    if (actor.secondFactorPending && rule.kind !== 'partly-signed-in') {
      if (!isApiRequest(request) && request.method === 'GET') return reply.redirect('/sign-in/second-factor');
      throw new UnauthenticatedError('Finish signing in with your second factor first');
    }
    if (rule.kind === 'roles' && !rule.roles.includes(actor.role)) throw new ForbiddenError();
  });
}

export const access = fp(accessPlugin, { name: 'access', dependencies: ['identity'] });
