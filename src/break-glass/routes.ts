import type { FastifyInstance, FastifyRequest } from 'fastify';
import { auditContext } from '../http/audit-context.ts';
import { pagePathId, requestViewer } from '../http/route-helpers.ts';
import { parseInput } from '../http/validate.ts';
import { formatNhsNumber } from '../participants/rules.ts';
import { DEFAULT_GRANT_HOURS, GRANT_HOURS, GRANT_STATE_LABELS } from './rules.ts';
import { BreakGlassActionFormSchema, BreakGlassGrantFormSchema } from './schema.ts';
import * as breakGlass from './service.ts';

const INDEX = 'break-glass/views/index.njk';
const NEW = 'break-glass/views/new.njk';

const DONE_MESSAGES: Record<string, string> = {
  granted: 'Emergency access granted. It ends by itself at the time shown',
  revoked: 'Emergency access revoked',
  reviewed: 'Emergency access marked as reviewed',
};

const hourItems = GRANT_HOURS.map((h) => ({ value: String(h), text: h === 1 ? '1 hour' : `${h} hours` }));

/** Break-glass: managers grant, revoke and review time-limited read access to one person's record. */
export async function breakGlassRoutes(app: FastifyInstance): Promise<void> {
  const { db, deps } = app;

  const newContext = async () => ({
    title: 'Grant emergency access',
    backHref: '/break-glass',
    granteeItems: await breakGlass.granteeChoices(db),
    hourItems,
    defaultHours: String(DEFAULT_GRANT_HOURS),
  });

  app.get('/break-glass', async (request, reply) => {
    const v = requestViewer(request);
    const [toReview, granted] = await Promise.all([breakGlass.toReview(db, deps, v), breakGlass.grantedBy(db, deps, v)]);
    const done = (request.query as Record<string, unknown>).done;
    const flash = typeof done === 'string' ? (DONE_MESSAGES[done] ?? null) : null;
    return reply.render(INDEX, {
      title: 'Emergency access',
      flash,
      hasTeam: v.teamId !== null,
      toReview,
      granted: granted.map((g) => ({
        ...g,
        nhsNumberText: formatNhsNumber(g.participantNhsNumber),
        stateText: GRANT_STATE_LABELS[g.state],
      })),
    });
  });

  app.get('/break-glass/new', async (_request, reply) =>
    reply.render(NEW, { ...(await newContext()), values: { hours: String(DEFAULT_GRANT_HOURS) } }),
  );

  app.post('/break-glass', { config: { form: { template: NEW, context: newContext } } }, async (request, reply) => {
    const input = parseInput(BreakGlassGrantFormSchema, request.body);
    const v = requestViewer(request);
    await db.transaction().execute((trx) =>
      breakGlass.grantAccess(trx, deps, auditContext(request), v, {
        nhsNumber: input.nhs_number,
        grantedToUserId: input.granted_to_user_id,
        hours: input.hours,
        reason: input.reason,
      }),
    );
    return reply.redirect('/break-glass?done=granted');
  });

  const grantId = (request: FastifyRequest) => pagePathId(request, 'id', 'Emergency access grant');

  app.post('/break-glass/:id/revoke', async (request, reply) => {
    parseInput(BreakGlassActionFormSchema, request.body);
    const id = grantId(request);
    await db
      .transaction()
      .execute((trx) => breakGlass.revokeAccess(trx, deps, auditContext(request), requestViewer(request), id));
    return reply.redirect('/break-glass?done=revoked');
  });

  app.post('/break-glass/:id/review', async (request, reply) => {
    parseInput(BreakGlassActionFormSchema, request.body);
    const id = grantId(request);
    await db
      .transaction()
      .execute((trx) => breakGlass.markReviewed(trx, deps, auditContext(request), requestViewer(request), id));
    return reply.redirect('/break-glass?done=reviewed');
  });
}
