import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/test-app.ts';
import { generateApiMarkdown } from './api-docs.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('API description', () => {
  it('describes every /api/v1 route, with the error shape and who may call it', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json<{
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
      components: { schemas: { Error: { properties: { error: { required: string[] } } } } };
    }>();
    expect(doc.openapi).toBe('3.1.0');
    const described = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`));
    const registered = t.app.registeredRoutes
      .filter((r) => r.url.startsWith('/api/v1/'))
      .map((r) => `${r.method} ${r.url.replace(/:([A-Za-z_]+)/g, '{$1}')}`);
    expect(described.sort()).toEqual(registered.sort());
    expect(doc.components.schemas.Error.properties.error.required).toEqual(['code', 'message']);
    const missingSummary = t.app.registeredRoutes
      .filter((r) => r.url.startsWith('/api/v1/') && !r.api)
      .map((r) => `${r.method} ${r.url}`);
    expect(missingSummary).toEqual([]);
  });

  it('docs/api.md matches the running API (regenerate with npm run docs:api)', async () => {
    const onDisk = readFileSync(new URL('../../docs/api.md', import.meta.url), 'utf8');
    expect(onDisk).toBe(await generateApiMarkdown());
  });
});
