import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { type RequestTransaction, openRequestTransaction } from '../db/request-transaction.ts';
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
    /** The transaction a write with an idempotency key runs in; null for any other request. */
    requestTransaction: RequestTransaction | null;
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
 *
 * The whole request runs in one transaction (src/db/request-transaction.ts) that also holds the
 * key and its answer, so the write and the answer commit together, before the answer is sent: a
 * crash leaves either both (a retry gets the first answer) or neither (a retry does the work).
 */
async function idempotencyPlugin(app: FastifyInstance, opts: { db: Db; deps: Deps }): Promise<void> {
  const { db, deps } = opts;
  app.decorateRequest('idempotencyKey', null);
  app.decorateRequest('requestTransaction', null);

  /** Replays the first answer (true), or claims the key for this request (false). */
  async function claim(request: FastifyRequest, reply: FastifyReply, key: string, userId: string): Promise<boolean> {
    const path = request.url.split('?')[0] ?? request.url;
    const now = deps.clock.now();
    // Twice at most: on PostgreSQL a repeat arriving together with the first waits at the insert
    // until the first commits, then finds its answer on the second look.
    for (let attempt = 1; ; attempt++) {
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
        // Only a key claimed by an earlier version, outside the request's transaction, can be here.
        if (Number(existing.status_code) === PENDING)
          throw new ConflictError('A request with this Idempotency-Key is still being processed');
        const stored = JSON.parse(existing.body) as Stored;
        reply.header('idempotent-replayed', 'true');
        if (stored.location) reply.header('location', stored.location);
        if (stored.contentType) reply.type(stored.contentType);
        reply.status(Number(existing.status_code)).send(stored.payload);
        return true;
      }
      if (existing) await db.deleteFrom('idempotency_keys').where('user_id', '=', userId).where('key', '=', key).execute();
      try {
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
        return false;
      } catch (err) {
        if (attempt >= 2) throw new ConflictError('A request with this Idempotency-Key is still being processed');
        request.log.debug({ err }, 'idempotency key taken meanwhile; looking again');
      }
    }
  }

  app.addHook('preHandler', (request: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void) => {
    if (!WRITES.has(request.method)) return done();
    const key = keyOf(request);
    const body = request.body as Record<string, unknown> | undefined;
    if (body && typeof body === 'object' && FORM_FIELD in body) delete body[FORM_FIELD];
    if (key === null || !request.actor) return done();
    if (!KEY.test(key))
      return done(new ValidationError({ 'Idempotency-Key': 'Idempotency-Key must be 8 to 100 letters, digits or - _ : .' }));
    const userId = request.actor.userId;
    const transaction = openRequestTransaction();
    request.requestTransaction = transaction;
    request.idempotencyKey = key;
    // The handler is called from `done`, so it runs inside the transaction too.
    transaction.run(() => {
      claim(request, reply, key, userId).then(
        (replayed) => {
          if (!replayed) done();
        },
        (err: Error) => done(err),
      );
    });
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const transaction = request.requestTransaction;
    const key = request.idempotencyKey;
    if (!transaction?.open || !key || !request.actor) return payload;
    const userId = request.actor.userId;
    const status = reply.statusCode;
    try {
      if (status >= 500) {
        // The person is told it failed, so nothing of it is kept, the key included.
        await transaction.rollback();
        return payload;
      }
      if (!reply.getHeader('idempotent-replayed')) {
        const keep = isApiRequest(request) ? status >= 200 && status < 300 : status >= 300 && status < 400;
        await transaction.run(async () => {
          if (keep && (typeof payload === 'string' || payload === null || payload === undefined)) {
            const stored: Stored = {
              contentType: (reply.getHeader('content-type') as string | undefined) ?? null,
              location: (reply.getHeader('location') as string | undefined) ?? null,
              payload: typeof payload === 'string' ? payload : '',
            };
            await db
              .updateTable('idempotency_keys')
              .set({ status_code: status, body: JSON.stringify(stored) })
              .where('user_id', '=', userId)
              .where('key', '=', key)
              .execute();
          } else {
            // Refused or not storable: forget the key so a corrected retry can use it.
            await db.deleteFrom('idempotency_keys').where('user_id', '=', userId).where('key', '=', key).execute();
          }
        });
      }
      await transaction.commit();
    } catch (err) {
      await transaction.rollback().catch(() => undefined);
      throw err;
    }
    return payload;
  });

  // A request that ended without sending (the client went away mid-handler) keeps nothing.
  app.addHook('onResponse', async (request) => {
    const transaction = request.requestTransaction;
    if (transaction?.open) await transaction.rollback();
  });
}

/** Forgets keys older than a day. */
export async function purgeIdempotencyKeys(db: Db, deps: Deps): Promise<void> {
  const before = new Date(deps.clock.now().getTime() - LIFETIME_MS).toISOString();
  await db.deleteFrom('idempotency_keys').where('created_at', '<', before).execute();
}

export const idempotency = fp(idempotencyPlugin, { name: 'idempotency', dependencies: ['identity', 'csrf'] });
