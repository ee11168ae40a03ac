import type { FastifyInstance, FastifyRequest } from 'fastify';
import * as audit from '../audit/service.ts';
import { auditContext } from '../http/audit-context.ts';
import { pagePathId, requestViewer } from '../http/route-helpers.ts';
import { displayName } from '../profiles/service.ts';
import { renderSubjectAccessPdf } from './pdf.ts';
import { COVERED_TABLES, loadForSubjectAccess, subjectAccessExport, valueText } from './service.ts';

const PAGE = 'subject-access/views/subject-access.njk';

const personId = (request: FastifyRequest) => pagePathId(request, 'id', 'Participant');
const base = (id: string) => `/participants/${id}/subject-access`;

/** A file name from the person's name, in plain letters only. */
function fileName(name: string, day: string, ext: string): string {
  const slug = name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return `subject-access-${slug || 'participant'}-${day}.${ext}`;
}

export async function subjectAccessRoutes(app: FastifyInstance): Promise<void> {
  const { db, deps } = app;

  app.get('/participants/:id/subject-access', async (request, reply) => {
    const id = personId(request);
    const p = await loadForSubjectAccess(db, requestViewer(request), id);
    await audit.record(db, deps, auditContext(request), {
      action: 'participant.viewed',
      entityType: 'participant',
      entityId: id,
      details: { page: 'subject_access' },
    });
    const name = displayName(p);
    return reply.render(PAGE, {
      title: `Subject access: ${name}`,
      name,
      backHref: `/participants/${id}`,
      headings: [...COVERED_TABLES.map((c) => c.heading), 'Who viewed or changed the record'],
      jsonHref: `${base(id)}.json`,
      pdfHref: `${base(id)}.pdf`,
    });
  });

  app.get('/participants/:id/subject-access.json', async (request, reply) => {
    const id = personId(request);
    const data = await subjectAccessExport(db, deps, auditContext(request), requestViewer(request), id, 'json');
    const p = data.participant;
    const name = `${valueText(p.given_name)} ${valueText(p.family_name)}`;
    return reply
      .header('content-type', 'application/json; charset=utf-8')
      .header('content-disposition', `attachment; filename="${fileName(name, data.generated_at.slice(0, 10), 'json')}"`)
      .header('cache-control', 'no-store')
      .send(JSON.stringify(data, null, 2));
  });

  app.get('/participants/:id/subject-access.pdf', async (request, reply) => {
    const id = personId(request);
    const viewer = requestViewer(request);
    const data = await subjectAccessExport(db, deps, auditContext(request), viewer, id, 'pdf');
    const p = data.participant;
    const name = `${valueText(p.given_name)} ${valueText(p.family_name)}`;
    const by = await db.selectFrom('users').select('name').where('id', '=', viewer.userId).executeTakeFirst();
    const pdf = await renderSubjectAccessPdf(data, name, by?.name ?? 'a manager');
    return reply
      .header('content-type', 'application/pdf')
      .header('content-disposition', `attachment; filename="${fileName(name, data.generated_at.slice(0, 10), 'pdf')}"`)
      .header('cache-control', 'no-store')
      .send(pdf);
  });
}
