import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { NotFoundError, ValidationError } from '../errors.ts';

/** The first place in a parsed body, query or path where a NUL character appears, or null. */
function nulAt(value: unknown, path: string, depth = 0): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path || 'body' : null;
  if (depth > 20 || value === null || typeof value !== 'object') return null;
  for (const [k, v] of Object.entries(value)) {
    const here = path ? `${path}.${k}` : k;
    if (k.includes('\u0000')) return path || 'body';
    const found = nulAt(v, here, depth + 1);
    if (found) return found;
  }
  return null;
}

/**
 * Refuses text holding a NUL character (U+0000) with a 400 before any route sees it: no form or
 * API field needs one, and PostgreSQL cannot store one in text (it failed as a 500 there, found by
 * the hostile-input suite, test/hostile).
 */
async function textGuardPlugin(app: FastifyInstance): Promise<void> {
  app.addHook('preValidation', async (request: FastifyRequest) => {
    // A path holding one names nothing that exists.
    if (nulAt(request.params, '')) throw new NotFoundError();
    const field = nulAt(request.query, '') ?? nulAt(request.body, '');
    if (field) throw new ValidationError({ [field]: `${field} contains a character that cannot be stored (NUL): remove it` });
  });
}

export const textGuard = fp(textGuardPlugin, { name: 'text-guard' });
