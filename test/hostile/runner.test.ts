import fc from 'fast-check';
import Fastify from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { Entries, hostileValue, toJsonText } from './arbitraries.ts';
import { fuzzRoute } from './runner.ts';

// The suite's checks can fail: a route that answers 500 to some input, one that changes data
// while refusing, and one that lets a request write onto Object.prototype are all caught.

const app = Fastify();
let rows = 0;
app.post('/crashes', async (request) => {
  const body = request.body as Record<string, unknown>;
  if (typeof body.name !== 'string') throw new Error('boom');
  return { ok: true };
});
app.post('/leaks', async (_request, reply) => {
  rows++;
  return reply.status(400).send({ error: 'refused' });
});
app.post('/pollutes', async (request) => {
  // Stands for a careless deep merge of the body into a plain object.
  const body = request.body as Record<string, unknown>;
  if (body.name === '__proto__') (Object.prototype as Record<string, unknown>).polluted = 'yes';
  return { ok: true };
});
afterAll(async () => {
  await app.close();
  delete (Object.prototype as Record<string, unknown>).polluted;
});

const send = (url: string) => (value: unknown) =>
  app.inject({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/json' },
    payload: toJsonText(new Entries([['name', value]])),
  });

describe('the hostile-input runner', () => {
  it('fails on a 500', async () => {
    await expect(fuzzRoute('crashes', hostileValue, 100, async () => 'same', send('/crashes'))).rejects.toThrow(/500/);
  });

  it('fails when a refused request changes the data', async () => {
    await expect(fuzzRoute('leaks', hostileValue, 20, async () => String(rows), send('/leaks'))).rejects.toThrow(/data changed/);
  });

  it('fails when a request pollutes Object.prototype', async () => {
    await expect(fuzzRoute('pollutes', fc.constant('__proto__'), 1, async () => 'same', send('/pollutes'))).rejects.toThrow(
      /Object.prototype/,
    );
  });
});
