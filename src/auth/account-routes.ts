import type { FastifyInstance } from 'fastify';
import { auditContext } from '../http/audit-context.ts';
import { parseInput } from '../http/validate.ts';
import { recordIdParam } from '../http/api.ts';
import * as users from '../users/service.ts';
import { TokenCreateSchema } from './schema.ts';
import * as auth from './service.ts';

/** "Your account": details, second factor and your own API tokens. */
export async function accountRoutes(app: FastifyInstance): Promise<void> {
  const { db, deps } = app;

  const accountContext = async (userId: string) => ({
    title: 'Your account',
    user: await users.getUser(db, userId),
    tokens: await auth.listApiTokens(db, userId),
  });

  app.get('/account', async (request, reply) => {
    const done = (request.query as Record<string, unknown>).done;
    const flash = done === 'second-factor' ? 'Second factor turned on' : done === 'revoked' ? 'Token revoked' : undefined;
    return reply.render('auth/views/account.njk', { ...(await accountContext(request.actor!.userId)), flash, values: {} });
  });

  app.post(
    '/account/tokens',
    { config: { form: { template: 'auth/views/account.njk', context: (r) => accountContext(r.actor!.userId) } } },
    async (request, reply) => {
      const input = parseInput(TokenCreateSchema, request.body);
      const actor = request.actor!;
      const created = await auth.createApiToken(db, deps, auditContext(request), actor.userId, input.name);
      // Shown once, on this response only; it is never stored in readable form.
      return reply.render('auth/views/account.njk', {
        ...(await accountContext(actor.userId)),
        newToken: created.token,
        values: {},
      });
    },
  );

  app.post('/account/tokens/:id/revoke', async (request, reply) => {
    const id = recordIdParam(request.params);
    await auth.revokeApiToken(db, deps, auditContext(request), request.actor!.userId, id);
    return reply.redirect('/account?done=revoked');
  });
}
