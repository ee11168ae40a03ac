import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Db } from '../db/types.ts';
import type { Deps } from '../deps.ts';
import { ConflictError, RuleError, ValidationError } from '../errors.ts';
import { isApiRequest } from './audit-context.ts';

const WRITES = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);
const FORM_FIELD = '_idempotency_key';
const KEY = /^[A-Za-z0-9_\-:.]{8,100}$/;
// Keys are remembered for a day; a retry after that is treated as new.
const LIFETIME_MS = 24 * 3_600_000;
const PENDING = 0;

interface Stored {
  contentType: string | null;
  location: string | null;
  payload: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    idempotencyKey: string | null;
  }
}

function keyOf(request: FastifyRequest): string | null {
  const header = request.headers['idempotency-key'];
  if (typeof header === 'string') return header;
  const body = request.body as Record<string, unknown> | undefined;
  if (body && typeof body === 'object' && typeof body[FORM_FIELD] === 'string') return body[FORM_FIELD];
  return null;
}

/**
 * A write repeated with the same `Idempotency-Key` header (or a form's hidden `_idempotency_key`)
 * by the same person returns the first response and changes nothing. A successful API response is
 * kept; for forms only the redirect is kept, so no page holding a secret is ever stored.
 */
async function idempotencyPlugin(app: FastifyInstance, opts: { db: Db; deps: Deps }): Promise<void> {
  const { db, deps } = opts;
  app.decorateRequest('idempotencyKey', null);

  app.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
    if (!WRITES.has(request.method)) return;
    const key = keyOf(request);
    const body = request.body as Record<string, unknown> | undefined;
    if (body && typeof body === 'object' && FORM_FIELD in body) delete body[FORM_FIELD];
    if (key === null || !request.actor) return;
    if (!KEY.test(key))
      throw new ValidationError({ 'Idempotency-Key': 'Idempotency-Key must be 8 to 100 letters, digits or - _ : .' });
    const userId = request.actor.userId;
    const path = request.url.split('?')[0] ?? request.url;
    const now = deps.clock.now();
    const existing = await db
      .selectFrom('idempotency_keys')
      .selectAll()
      .where('user_id', '=', userId)
      .where('key', '=', key)
      .executeTakeFirst();
    if (existing && now.getTime() - new Date(existing.created_at).getTime() < LIFETIME_MS) {
      if (existing.method !== request.method || existing.path !== path) {
        throw new RuleError('This Idempotency-Key was already used for a different request');
      }
      if (Number(existing.status_code) === PENDING)
        throw new ConflictError('A request with this Idempotency-Key is still being processed');
      const stored = JSON.parse(existing.body) as Stored;
      reply.header('idempotent-replayed', 'true');
      if (stored.location) reply.header('location', stored.location);
      if (stored.contentType) reply.type(stored.contentType);
      return reply.status(Number(existing.status_code)).send(stored.payload);
    }
    if (existing) await db.deleteFrom('idempotency_keys').where('user_id', '=', userId).where('key', '=', key).execute();
    try {
      // Claimed before the work starts, so two simultaneous repeats cannot both run it.
      await db
        .insertInto('idempotency_keys')
        .values({
          user_id: userId,
          key,
          method: request.method,
          path,
          status_code: PENDING,
          body: '',
          created_at: now.toISOString(),
        })
        .execute();
    } catch {
      throw new ConflictError('A request with this Idempotency-Key is still being processed');
    }
    request.idempotencyKey = key;
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const key = request.idempotencyKey;
    if (!key || !request.actor || reply.getHeader('idempotent-replayed')) return payload;
    const status = reply.statusCode;
    const keep = isApiRequest(request) ? status >= 200 && status < 300 : status >= 300 && status < 400;
    if (keep && (typeof payload === 'string' || payload === null || payload === undefined)) {
      const stored: Stored = {
        contentType: (reply.getHeader('content-type') as string | undefined) ?? null,
        location: (reply.getHeader('location') as string | undefined) ?? null,
        payload: typeof payload === 'string' ? payload : '',
      };
      await db
        .updateTable('idempotency_keys')
        .set({ status_code: status, body: JSON.stringify(stored) })
        .where('user_id', '=', request.actor.userId)
        .where('key', '=', key)
        .execute();
    } else {
      // Failed or not storable: forget the key so a corrected retry can use it.
      await db.deleteFrom('idempotency_keys').where('user_id', '=', request.actor.userId).where('key', '=', key).execute();
    }
    return payload;
  });
}

/** Forgets keys older than a day. */
export async function purgeIdempotencyKeys(db: Db, deps: Deps): Promise<void> {
  const before = new Date(deps.clock.now().getTime() - LIFETIME_MS).toISOString();
  await db.deleteFrom('idempotency_keys').where('created_at', '<', before).execute();
}

export const idempotency = fp(idempotencyPlugin, { name: 'idempotency', dependencies: ['identity', 'csrf'] });
