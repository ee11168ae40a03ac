import type { FastifyInstance } from 'fastify';

/** The signed-in home page and the public information pages. */
export async function homeRoutes(app: FastifyInstance): Promise<void> {
  app.get('/', async (_request, reply) => reply.render('home/views/home.njk', { title: 'Home' }));
  app.get('/accessibility', async (_request, reply) =>
    reply.render('home/views/accessibility.njk', { title: 'Accessibility statement' }),
  );
  app.get('/privacy', async (_request, reply) => reply.render('home/views/privacy.njk', { title: 'Privacy' }));
}
