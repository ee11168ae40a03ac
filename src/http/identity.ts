import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import * as auth from '../auth/service.ts';
import type { Db } from '../db/types.ts';
import type { Deps } from '../deps.ts';
import { UnauthenticatedError } from '../errors.ts';
import { isApiRequest } from './audit-context.ts';

export const SESSION_COOKIE = 'stepwise_session';

/** Resolves who is calling: a bearer token first, else the session cookie. */
async function identityPlugin(app: FastifyInstance, opts: { db: Db; deps: Deps }): Promise<void> {
  app.decorateRequest('actor', null);
  app.addHook('onRequest', async (request: FastifyRequest) => {
    const header = request.headers.authorization;
    if (header !== undefined) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
      const actor = match?.[1] ? await auth.resolveApiToken(opts.db, opts.deps, match[1]) : null;
      // A bad token is refused outright rather than treated as anonymous.
      if (!actor) throw new UnauthenticatedError('The API token is missing, wrong or revoked');
      request.actor = actor;
      return;
    }
    const cookie = request.cookies[SESSION_COOKIE];
    if (cookie) request.actor = await auth.resolveSession(opts.db, opts.deps, cookie);
  });
}

/** Sets the session cookie: HttpOnly, SameSite=Lax, Secure behind HTTPS. */
export function setSessionCookie(reply: FastifyReply, token: string, secure: boolean): void {
  reply.setCookie(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', secure });
}

export function clearSessionCookie(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
}

/** Where to send someone who must sign in first. */
export function signInRedirect(request: FastifyRequest): string | null {
  if (isApiRequest(request) || request.method !== 'GET') return null;
  return `/sign-in?next=${encodeURIComponent(request.url)}`;
}

export const identity = fp(identityPlugin, { name: 'identity', dependencies: ['@fastify/cookie'] });
