import csrfProtection from '@fastify/csrf-protection';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Every state-changing request made with a browser's cookies must carry the CSRF token (a form's
 * hidden `_csrf` field, or the `x-csrf-token` header). Bearer-token calls carry no cookies and
 * are exempt. Checked as a preHandler, once the form body is parsed.
 */
async function csrfPlugin(app: FastifyInstance, opts: { secureCookies?: 'auto' | 'always' | 'never' }): Promise<void> {
  const secure = opts.secureCookies === 'always' ? true : opts.secureCookies === 'never' ? false : ('auto' as const);
  await app.register(csrfProtection, {
    cookieKey: 'stepwise_csrf',
    cookieOpts: { path: '/', httpOnly: true, sameSite: 'lax', signed: true, secure },
    sessionPlugin: '@fastify/cookie',
  });
  app.addHook('preHandler', (request, reply, done) => {
    if (!UNSAFE.has(request.method) || request.actor?.via === 'token') return done();
    app.csrfProtection(request, reply, done);
  });
}

export const csrf = fp(csrfPlugin, { name: 'csrf', dependencies: ['@fastify/cookie', 'identity'] });
