import { buildApp } from '../app.ts';
import { systemClock } from '../clock.ts';
import { createDb } from '../db/create-db.ts';
import { createDeps } from '../deps.ts';
import { buildOpenApi } from './openapi.ts';

type JsonObject = Record<string, unknown>;

const text = (v: unknown): string => (typeof v === 'string' || typeof v === 'number' ? String(v) : JSON.stringify(v));

function typeOf(schema: JsonObject | undefined): string {
  if (!schema) return '';
  if (schema.$ref) return text(schema.$ref).split('/').pop() ?? '';
  if (Array.isArray(schema.enum)) return (schema.enum as unknown[]).map((v) => `\`${String(v)}\``).join(' \\| ');
  if (Array.isArray(schema.anyOf)) return (schema.anyOf as JsonObject[]).map(typeOf).filter(Boolean).join(' or ');
  if (schema.const !== undefined) return `\`${JSON.stringify(schema.const)}\``;
  const t = Array.isArray(schema.type) ? (schema.type as string[]).join(' or ') : text(schema.type ?? 'any');
  const limits = [
    schema.format ? text(schema.format) : '',
    schema.maxLength !== undefined ? `max ${text(schema.maxLength)} chars` : '',
    schema.minimum !== undefined && Number(schema.minimum) > -1e15 ? `≥ ${text(schema.minimum)}` : '',
    schema.maximum !== undefined && Number(schema.maximum) < 1e15 ? `≤ ${text(schema.maximum)}` : '',
  ].filter(Boolean);
  return limits.length ? `${t} (${limits.join(', ')})` : t;
}

function fieldTable(schema: JsonObject): string[] {
  const props = (schema.properties ?? {}) as Record<string, JsonObject>;
  const required = new Set((schema.required as string[] | undefined) ?? []);
  const rows = Object.entries(props).map(([name, s]) => `| \`${name}\` | ${typeOf(s)} | ${required.has(name) ? 'yes' : 'no'} |`);
  return rows.length ? ['| field | type | required |', '|---|---|---|', ...rows] : [];
}

/** Renders the OpenAPI description as the Markdown reference kept in docs/api.md. */
export function renderApiMarkdown(doc: JsonObject): string {
  const info = doc.info as JsonObject;
  const lines = [
    '# Stepwise API reference',
    '',
    '<!-- Generated from GET /api/v1/openapi.json by `npm run docs:api`. Do not edit by hand. -->',
    '',
    String(info.description),
    '',
    'Errors always have this shape, with `fields` naming each bad field:',
    '',
    '```json',
    '{ "error": { "code": "validation_failed", "message": "There is a problem with what was sent", "fields": { "email": "Enter an email address" } } }',
    '```',
    '',
    'Codes: `validation_failed` (400), `unauthenticated` (401), `forbidden` (403), `not_found` (404, also for records you may not see), `conflict` (409, stale `version`), `rule_refused` (422), `too_many_requests` (429), `internal_error` (500).',
    '',
  ];
  const paths = doc.paths as Record<string, Record<string, JsonObject>>;
  for (const [path, ops] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(ops)) {
      lines.push(`## ${method.toUpperCase()} \`${path}\``, '', `${String(op.summary)}. ${String(op.description)}`, '');
      const params = ((op.parameters ?? []) as JsonObject[]).filter((p) => p.in !== 'header');
      if (params.length) {
        lines.push('| parameter | in | type | required |', '|---|---|---|---|');
        for (const p of params)
          lines.push(
            `| \`${String(p.name)}\` | ${String(p.in)} | ${typeOf(p.schema as JsonObject)} | ${p.required ? 'yes' : 'no'} |`,
          );
        lines.push('');
      }
      const body = ((op.requestBody as JsonObject | undefined)?.content as Record<string, { schema: JsonObject }> | undefined)?.[
        'application/json'
      ]?.schema;
      if (body) lines.push('Request body:', '', ...fieldTable(body), '');
      const rawBody = op.requestBody as { description?: string; content: Record<string, unknown> } | undefined;
      const rawType = rawBody && !body ? Object.keys(rawBody.content)[0] : undefined;
      if (rawType) lines.push(`Request body: \`${rawType}\`. ${rawBody?.description ?? ''}`.trim(), '');
      const responses = op.responses as Record<string, JsonObject>;
      const ok = Object.keys(responses).find((c) => c.startsWith('2'));
      const okSchema = ok
        ? (responses[ok]?.content as Record<string, { schema: JsonObject }> | undefined)?.['application/json']?.schema
        : undefined;
      if (ok) {
        lines.push(`Success: ${ok}.`, '');
        const table = okSchema ? fieldTable(okSchema) : [];
        if (table.length) lines.push(...table, '');
      }
      lines.push(
        `Errors: ${Object.keys(responses)
          .filter((c) => !c.startsWith('2'))
          .join(', ')}.`,
        '',
      );
    }
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

/** Builds the app (over a throwaway in-memory database) to read its routes, and renders the reference. */
export async function generateApiMarkdown(): Promise<string> {
  const handle = createDb({ kind: 'sqlite', file: ':memory:' });
  const secret = 'api-docs-generation-secret-not-used-for-anything';
  const app = await buildApp({
    db: handle.db,
    deps: createDeps({ secret, clock: systemClock, sessionIdleMinutes: 30, sessionAbsoluteHours: 12 }),
    secret,
  });
  try {
    await app.ready();
    return renderApiMarkdown(buildOpenApi(app.registeredRoutes));
  } finally {
    await app.close();
    await handle.destroy();
  }
}
