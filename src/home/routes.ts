import type { FastifyInstance } from 'fastify';
import * as breakGlass from '../break-glass/service.ts';
import { requestViewer } from '../http/route-helpers.ts';

/** The signed-in home page and the public information pages. */
export async function homeRoutes(app: FastifyInstance): Promise<void> {
  const { db, deps } = app;

  app.get('/', async (request, reply) => {
    const v = requestViewer(request);
    // Break-glass: a manager is told of emergency access to their team's people until they review
    // it; whoever holds emergency access finds the record from here.
    const [emergencyToReview, emergencyHeld] = await Promise.all([
      breakGlass.toReview(db, deps, v),
      breakGlass.heldBy(db, deps, v),
    ]);
    return reply.render('home/views/home.njk', { title: 'Home', emergencyToReview, emergencyHeld });
  });
  app.get('/accessibility', async (_request, reply) =>
    reply.render('home/views/accessibility.njk', { title: 'Accessibility statement' }),
  );
  app.get('/privacy', async (_request, reply) => reply.render('home/views/privacy.njk', { title: 'Privacy' }));
}
