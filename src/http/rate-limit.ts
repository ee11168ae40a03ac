import { createHash } from 'node:crypto';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { TooManyRequestsError } from '../errors.ts';

export interface ApiRateLimitOptions {
  /** Requests allowed per window for one API token (or, without one, one address); 0 turns the limit off. */
  max: number;
  timeWindowMs: number;
}

const isApi = (request: FastifyRequest) => request.url.startsWith('/api/');

/** One bucket per bearer token (kept as a hash, never the token itself), else per address. */
function keyOf(request: FastifyRequest): string {
  const auth = request.headers.authorization;
  if (typeof auth === 'string' && auth.length > 0) return `token:${createHash('sha256').update(auth).digest('base64url')}`;
  return `ip:${request.ip}`;
}

/**
 * A rate limit on the JSON API (`/api/*`): past `max` requests in the window the caller gets 429
 * in the API's error shape, with `Retry-After`. Pages are not limited here; signing in has its own
 * throttle (src/auth/service.ts).
 */
async function apiRateLimitPlugin(app: FastifyInstance, opts: ApiRateLimitOptions): Promise<void> {
  if (opts.max <= 0) return;
  await app.register(rateLimit, {
    // Not per route (those hooks run after the sign-in check): one hook here, ahead of the token
    // lookup, so guessing at tokens is limited too.
    global: false,
    max: opts.max,
    timeWindow: opts.timeWindowMs,
    allowList: (request) => !isApi(request),
    keyGenerator: keyOf,
    errorResponseBuilder: (_request, context) => new TooManyRequestsError(`Too many requests. Try again in ${context.after}`),
  });
  app.addHook('onRequest', app.rateLimit());
}

export const apiRateLimit = fp(apiRateLimitPlugin, { name: 'api-rate-limit' });
