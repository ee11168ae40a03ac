import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ConflictError } from '../errors.ts';
import { recordIdParam } from '../http/api.ts';
import { auditContext } from '../http/audit-context.ts';
import { parseInput } from '../http/validate.ts';
import { SiteCreateSchema, SiteUpdateSchema } from './schema.ts';
import * as sites from './service.ts';

/** Sites administration pages: the places where people work (admin only, see access-rules.ts). */
export async function siteRoutes(app: FastifyInstance): Promise<void> {
  const { db, deps } = app;

  const listContext = async () => ({ title: 'Sites', sites: await sites.listSites(db) });

  const siteContext = async (id: string) => {
    const site = await sites.getSite(db, id);
    return { title: site.name, backHref: '/admin/sites', site };
  };

  const siteFromRequest = (request: FastifyRequest) => siteContext(recordIdParam(request.params));

  app.get('/admin/sites', async (request, reply) => {
    const added = (request.query as Record<string, unknown>).added;
    const context = await listContext();
    const addedSite = context.sites.find((s) => s.id === added);
    return reply.render('sites/views/list.njk', {
      ...context,
      flash: addedSite ? `${addedSite.name} added` : undefined,
      values: {},
    });
  });

  app.post(
    '/admin/sites',
    { config: { form: { template: 'sites/views/list.njk', context: listContext } } },
    async (request, reply) => {
      const input = parseInput(SiteCreateSchema, request.body);
      const site = await db.transaction().execute((trx) => sites.createSite(trx, deps, auditContext(request), input));
      return reply.redirect(`/admin/sites?added=${site.id}`);
    },
  );

  app.get('/admin/sites/:id', async (request, reply) => {
    const done = (request.query as Record<string, unknown>).done;
    return reply.render('sites/views/show.njk', {
      ...(await siteFromRequest(request)),
      flash: done === 'saved' ? 'Site details saved' : undefined,
      values: {},
    });
  });

  app.post(
    '/admin/sites/:id',
    { config: { form: { template: 'sites/views/show.njk', context: siteFromRequest } } },
    async (request, reply) => {
      const id = recordIdParam(request.params);
      const input = parseInput(SiteUpdateSchema, request.body);
      try {
        await db.transaction().execute((trx) => sites.updateSite(trx, deps, auditContext(request), id, input.version, input));
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err;
        // Keep what they typed, and take the current version so a second save is a deliberate overwrite.
        const context = await siteContext(id);
        return reply.status(409).render('sites/views/show.njk', {
          ...context,
          values: { name: input.name, address: input.address ?? '', version: context.site.version },
          errors: { name: `${err.message}. Check the details and save again` },
        });
      }
      return reply.redirect(`/admin/sites/${id}?done=saved`);
    },
  );
}
