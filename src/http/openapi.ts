import type { FastifyInstance } from 'fastify';

/** `GET /api/v1/openapi.json`: the API description (filled in by the openapi task). */
export async function openApiRoutes(app: FastifyInstance): Promise<void> {
  app.get('/api/v1/openapi.json', async () => ({ openapi: '3.1.0', info: { title: 'Stepwise API', version: '1' }, paths: {} }));
}
