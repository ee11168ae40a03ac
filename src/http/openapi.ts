import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { RegisteredRoute } from '../app.ts';
import { ruleFor } from './access-rules.ts';

type JsonObject = Record<string, unknown>;

const ERROR_SCHEMA = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: {
          type: 'string',
          enum: [
            'validation_failed',
            'unauthenticated',
            'forbidden',
            'not_found',
            'conflict',
            'rule_refused',
            'too_many_requests',
            'internal_error',
          ],
        },
        message: { type: 'string' },
        fields: {
          type: 'object',
          additionalProperties: { type: 'string' },
          description: 'A message for each field that was wrong',
        },
      },
    },
  },
};

const ERRORS: Record<string, string> = {
  '400': 'Bad input: malformed JSON, wrong types, unknown fields, over-long strings or invalid ids (`fields` names each)',
  '401': 'No valid token or session',
  '403': 'Your role may not do this',
  '404': 'Not found, or a record you may not see',
};

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonObject {
  const out = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonObject;
  delete out.$schema;
  return out;
}

function queryParameters(schema: z.ZodType | undefined): JsonObject[] {
  if (!schema) return [];
  const js = jsonSchema(schema, 'input');
  const props = (js.properties ?? {}) as Record<string, JsonObject>;
  const required = new Set((js.required as string[] | undefined) ?? []);
  return Object.entries(props).map(([name, s]) => ({ name, in: 'query', required: required.has(name), schema: s }));
}

function roleText(method: string, url: string): string {
  const rule = ruleFor(method, url);
  if (!rule) return 'Refused to everyone (no access rule).';
  if (rule.kind === 'public') return 'Open to anyone.';
  if (rule.kind === 'partly-signed-in') return 'Any signed-in user.';
  return `Roles: ${rule.roles.join(', ')}.`;
}

/** The OpenAPI 3.1 description of every `/api/v1` route, built from the routes' own zod schemas. */
export function buildOpenApi(routes: readonly RegisteredRoute[]): JsonObject {
  const paths: Record<string, Record<string, JsonObject>> = {};
  const sorted = [...routes]
    .filter((r) => r.url.startsWith('/api/v1/'))
    .sort((a, b) => a.url.localeCompare(b.url) || a.method.localeCompare(b.method));
  for (const r of sorted) {
    const path = r.url.replace(/:([A-Za-z_]+)/g, '{$1}');
    const pathParams = [...r.url.matchAll(/:([A-Za-z_]+)/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: { type: 'string', format: 'uuid' },
    }));
    const api = r.api;
    const status = String(api?.status ?? (r.method === 'POST' ? 201 : 200));
    const responses: Record<string, JsonObject> = {
      [status]: {
        description: 'Success',
        content: { 'application/json': { schema: api?.response ? jsonSchema(api.response, 'output') : { type: 'object' } } },
      },
    };
    for (const [code, description] of Object.entries(ERRORS)) {
      responses[code] = { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
    }
    if (r.method === 'PATCH' || r.method === 'PUT')
      responses['409'] = {
        description: 'Stale `version`: someone changed the record first; nothing was changed',
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
      };
    if (r.method === 'POST' || r.method === 'PATCH' || r.method === 'PUT')
      responses['422'] = {
        description: 'A rule refused the change',
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
      };
    const operation: JsonObject = {
      summary: api?.summary ?? `${r.method} ${r.url}`,
      description: roleText(r.method, r.url),
      tags: [api?.tag ?? 'other'],
      parameters: [
        ...pathParams,
        ...queryParameters(api?.query),
        ...(r.method === 'POST' || r.method === 'PATCH' || r.method === 'PUT'
          ? [
              {
                name: 'Idempotency-Key',
                in: 'header',
                required: false,
                schema: { type: 'string', minLength: 8, maxLength: 100 },
                description: 'A repeat with the same key returns the first response and creates nothing new',
              },
            ]
          : []),
      ],
      responses,
    };
    if (api?.body)
      operation.requestBody = { required: true, content: { 'application/json': { schema: jsonSchema(api.body, 'input') } } };
    if (api?.bodyMediaType)
      operation.requestBody = {
        required: true,
        description: api.bodyMediaType.description,
        content: { [api.bodyMediaType.type]: { schema: { type: 'string' } } },
      };
    if (r.url === '/api/v1/openapi.json') operation.security = [];
    (paths[path] ??= {})[r.method.toLowerCase()] = operation;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Stepwise API',
      version: '1',
      description:
        'Case management for supported-employment services. Authenticate with `Authorization: Bearer <token>` (from `stepwise tokens create`) or a browser session. Lists take `?limit=&cursor=` and answer `{ "items": [...], "next_cursor": "..." }`. Money is integer pence; calendar dates `YYYY-MM-DD`; instants ISO-8601.',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: { Error: ERROR_SCHEMA },
    },
    paths,
  };
}

/** `GET /api/v1/openapi.json`. */
export async function openApiRoutes(app: FastifyInstance): Promise<void> {
  let cached: JsonObject | undefined;
  app.get(
    '/api/v1/openapi.json',
    { config: { api: { summary: 'This API description (OpenAPI 3.1)', tag: 'meta', status: 200 } } },
    async () => {
      cached ??= buildOpenApi(app.registeredRoutes);
      return cached;
    },
  );
}
