import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import QRCode from 'qrcode';
import { timingSafeEqual } from 'node:crypto';
import { SETUP_LABEL } from '../audit/service.ts';
import { ValidationError } from '../errors.ts';
import { auditContext } from '../http/audit-context.ts';
import { clearSessionCookie, setSessionCookie } from '../http/identity.ts';
import { parseInput } from '../http/validate.ts';
import { FirstAdminSchema } from '../users/schema.ts';
import * as users from '../users/service.ts';
import { EnrolSchema, SecondFactorSchema, SignInSchema, safeNext } from './schema.ts';
import * as auth from './service.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** The one-time set-up token printed in the console while no account exists. */
    setupToken: string | undefined;
  }
}

function sameToken(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Starts a signed-in session cookie and a fresh CSRF secret (rotation on sign-in). */
function beginSession(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply, token: string): void {
  setSessionCookie(reply, token, app.secureCookie(request));
  reply.clearCookie('stepwise_csrf', { path: '/' });
}

function bodyString(body: unknown, key: string): string | undefined {
  const value = (body as Record<string, unknown> | undefined)?.[key];
  return typeof value === 'string' && value ? value : undefined;
}

/** Set-up, sign-in, the second factor and sign-out. */
export async function authRoutes(app: FastifyInstance): Promise<void> {
  const { db, deps } = app;

  const setupAllowed = async (token: unknown) =>
    (await users.countUsers(db)) === 0 && sameToken(typeof token === 'string' ? token : undefined, app.setupToken);

  app.get('/setup', async (request, reply) => {
    const token = (request.query as Record<string, unknown>).token;
    if ((await users.countUsers(db)) > 0) return reply.status(404).render('errors/404.njk', { title: 'Page not found' });
    if (!(await setupAllowed(token))) {
      return reply.status(403).render('auth/views/setup-link.njk', { title: 'Use the set-up link' });
    }
    return reply.render('auth/views/setup.njk', { title: 'Set up Stepwise', token, values: {} });
  });

  app.post(
    '/setup',
    {
      config: {
        form: {
          template: 'auth/views/setup.njk',
          context: (r) => ({ title: 'Set up Stepwise', token: (r.query as Record<string, unknown>).token }),
        },
      },
    },
    async (request, reply) => {
      const token = (request.query as Record<string, unknown>).token;
      if (!(await setupAllowed(token))) return reply.status(404).render('errors/404.njk', { title: 'Page not found' });
      const input = parseInput(FirstAdminSchema, request.body);
      const ctx = { ...auditContext(request), actorLabel: SETUP_LABEL };
      // The check and the insert share a transaction, so two set-up forms cannot both succeed.
      const admin = await db.transaction().execute(async (trx) => {
        if ((await users.countUsers(trx)) > 0)
          throw new ValidationError({ email: 'Stepwise has already been set up. Sign in instead' });
        return users.createUser(trx, deps, ctx, {
          email: input.email,
          name: input.name,
          role: 'admin',
          password: input.password,
        });
      });
      app.setupToken = undefined;
      const result = await auth.signIn(db, deps, auditContext(request), {
        email: admin.email,
        password: input.password,
        userAgent: request.headers['user-agent'] ?? null,
      });
      beginSession(app, request, reply, result.sessionToken);
      return reply.redirect('/');
    },
  );

  app.get('/sign-in', async (request, reply) => {
    const next = (request.query as Record<string, unknown>).next;
    if (request.actor && !request.actor.secondFactorPending)
      return reply.redirect(safeNext(typeof next === 'string' ? next : undefined));
    const needsSetup = (await users.countUsers(db)) === 0;
    return reply.render('auth/views/sign-in.njk', { title: 'Sign in', values: { next }, needsSetup });
  });

  app.post(
    '/sign-in',
    { config: { form: { template: 'auth/views/sign-in.njk', context: () => ({ title: 'Sign in' }) } } },
    async (request, reply) => {
      const input = parseInput(SignInSchema, request.body);
      const missing: Record<string, string> = {};
      if (!input.email) missing.email = 'Enter your email address';
      if (!input.password) missing.password = 'Enter your password';
      if (Object.keys(missing).length > 0) throw new ValidationError(missing);
      const result = await auth.signIn(db, deps, auditContext(request), {
        email: input.email,
        password: input.password,
        userAgent: request.headers['user-agent'] ?? null,
      });
      beginSession(app, request, reply, result.sessionToken);
      if (result.secondFactor === 'verify') return reply.redirect('/sign-in/second-factor');
      if (result.secondFactor === 'enrol') return reply.redirect('/account/second-factor');
      return reply.redirect(safeNext(input.next));
    },
  );

  app.get('/sign-in/second-factor', async (request, reply) => {
    if (!request.actor?.secondFactorPending) return reply.redirect('/');
    return reply.render('auth/views/second-factor.njk', { title: 'Enter your security code', values: {} });
  });

  app.post(
    '/sign-in/second-factor',
    { config: { form: { template: 'auth/views/second-factor.njk', context: () => ({ title: 'Enter your security code' }) } } },
    async (request, reply) => {
      const actor = request.actor;
      if (!actor?.secondFactorPending) return reply.redirect('/');
      const input = parseInput(SecondFactorSchema, request.body);
      const token = await auth.completeSecondFactor(
        db,
        deps,
        auditContext(request),
        actor,
        input.code,
        request.headers['user-agent'] ?? null,
      );
      beginSession(app, request, reply, token);
      return reply.redirect('/');
    },
  );

  const enrolContext = async (request: FastifyRequest, secret?: string) => {
    const actor = request.actor!;
    const fresh = auth.secondFactorSecret(actor.email, secret);
    const qr = await QRCode.toString(fresh.uri, { type: 'svg', margin: 1, width: 200 });
    return {
      title: 'Set up your second factor',
      secret: fresh.secret,
      secretGroups: fresh.secret.match(/.{1,4}/g)?.join(' '),
      qrSvg: qr.replace('<svg ', '<svg role="img" aria-label="QR code for your authenticator app" '),
      required: actor.secondFactorPending,
    };
  };

  app.get('/account/second-factor', async (request, reply) => {
    return reply.render('auth/views/enrol.njk', { ...(await enrolContext(request)), values: {} });
  });

  app.post(
    '/account/second-factor',
    {
      config: {
        form: {
          template: 'auth/views/enrol.njk',
          context: (r) => enrolContext(r, bodyString(r.body, 'secret')),
        },
      },
    },
    async (request, reply) => {
      const input = parseInput(EnrolSchema, request.body);
      const actor = request.actor!;
      const token = await auth.enrolSecondFactor(
        db,
        deps,
        auditContext(request),
        actor,
        input.secret,
        input.code,
        request.headers['user-agent'] ?? null,
      );
      if (token) beginSession(app, request, reply, token);
      return reply.redirect(token ? '/' : '/account?done=second-factor');
    },
  );

  app.post('/sign-out', async (request, reply) => {
    const actor = request.actor;
    if (actor?.sessionId) await auth.signOut(db, deps, auditContext(request), actor.sessionId);
    clearSessionCookie(reply);
    reply.clearCookie('stepwise_csrf', { path: '/' });
    return reply.redirect('/sign-in?signed_out=1');
  });
}
