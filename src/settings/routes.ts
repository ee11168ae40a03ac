import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { auditContext } from '../http/audit-context.ts';
import { parseInput } from '../http/validate.ts';
import * as settings from './service.ts';

/** The service settings form. */
const SettingsUpdateSchema = z.strictObject({
  require_second_factor: z.enum(['yes', 'no'], { error: 'Select yes if everyone must use a second factor' }),
  _csrf: z.string().optional(),
});

/** Service-wide settings (admin only, see access-rules.ts). */
export async function settingsRoutes(app: FastifyInstance): Promise<void> {
  const { db, deps } = app;

  app.get('/admin/settings', async (request, reply) => {
    const current = await settings.getSettings(db);
    const saved = (request.query as Record<string, unknown>).done === 'saved';
    return reply.render('settings/views/settings.njk', {
      title: 'Settings',
      flash: saved ? 'Settings saved' : undefined,
      values: { require_second_factor: current.requireSecondFactor ? 'yes' : 'no' },
    });
  });

  app.post(
    '/admin/settings',
    { config: { form: { template: 'settings/views/settings.njk', context: () => ({ title: 'Settings' }) } } },
    async (request, reply) => {
      const input = parseInput(SettingsUpdateSchema, request.body);
      await db.transaction().execute((trx) =>
        settings.updateSettings(trx, deps, auditContext(request), {
          requireSecondFactor: input.require_second_factor === 'yes',
        }),
      );
      return reply.redirect('/admin/settings?done=saved');
    },
  );
}
