// The ceiling for `npm run bench`: a bare Fastify app on the same database as the server under
// test, answering one indexed read of a participant row as JSON. No sessions, access rules,
// audit or templates: what this machine, Node, Fastify and the database driver can do at most.
// Started by bench/http.ts with the server's DATABASE_URL / STEPWISE_DATA_DIR and a PORT.
import Fastify from 'fastify';
import { loadConfig } from '../src/config.ts';
import { createDb } from '../src/db/create-db.ts';

const config = loadConfig();
const handle = createDb(config.database);
const app = Fastify({ logger: false });

app.get<{ Params: { id: string } }>('/participants/:id', async (request, reply) => {
  const row = await handle.db.selectFrom('participants').selectAll().where('id', '=', request.params.id).executeTakeFirst();
  if (!row) return reply.status(404).send({ error: 'not found' });
  return row;
});

const stop = () => {
  void app
    .close()
    .then(() => handle.destroy())
    .finally(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
await app.listen({ port: config.port, host: config.host });
