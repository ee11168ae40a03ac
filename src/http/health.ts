import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';

/** `GET /healthz`: 200 when the database answers, 503 when it does not. */
export async function healthRoutes(app: FastifyInstance): Promise<void> {
  app.get('/healthz', async (request, reply) => {
    try {
      await sql`select 1`.execute(app.db);
      return reply.send({ status: 'ok', database: 'reachable' });
    } catch (err) {
      request.log.error({ err }, 'health check: database unreachable');
      return reply.status(503).send({ status: 'unavailable', database: 'unreachable' });
    }
  });
}
