import type { FastifyInstance, FastifyRequest } from 'fastify';
import { auditContext } from '../http/audit-context.ts';
import { pagePathId, paginationOf, requestViewer } from '../http/route-helpers.ts';
import * as participants from '../participants/service.ts';
import { displayName } from '../profiles/service.ts';
import * as revisions from './service.ts';

const PAGE = 'revisions/views/earlier-values.njk';
const PAGE_SIZE = 25;

const personId = (request: FastifyRequest) => pagePathId(request, 'id', 'Participant');

/** A page number from the query: a small whole number, anything else is the first page. */
export function pageNumberOf(query: unknown): number {
  const raw = (query as Record<string, unknown> | undefined)?.page;
  return typeof raw === 'string' && /^[1-9]\d{0,5}$/.test(raw) ? Number(raw) : 1;
}

/** The earlier values of a person's corrected details, for anyone who may see the person. */
export async function revisionRoutes(app: FastifyInstance): Promise<void> {
  const { db, deps } = app;

  app.get('/participants/:id/earlier-values', async (request, reply) => {
    const id = personId(request);
    const page = pageNumberOf(request.query);
    const p = await participants.loadVisible(db, requestViewer(request), id);
    const { items, total } = await revisions.earlierValues(db, deps, auditContext(request), p, {
      limit: PAGE_SIZE,
      offset: (page - 1) * PAGE_SIZE,
    });
    const name = displayName(p);
    return reply.render(PAGE, {
      title: `Earlier values: ${name}`,
      name,
      backHref: `/participants/${id}`,
      items,
      sensitiveHidden: !p.canSeeSensitive,
      pages: paginationOf(page, total, PAGE_SIZE, (n) => `/participants/${id}/earlier-values?page=${n}`),
    });
  });
}
