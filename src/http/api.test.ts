import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type ErrorBody, signedInAs, type TestApp } from '../../test/test-app.ts';
import { makeTokenUser } from '../../test/factories.ts';
import * as teams from '../teams/service.ts';

let t: TestApp;
let auth: { authorization: string };
beforeAll(async () => {
  t = await createTestApp();
  const { token } = await makeTokenUser(t.db, t.deps, 'admin');
  auth = { authorization: `Bearer ${token}` };
});
afterAll(async () => {
  await t.close();
});

const post = (url: string, payload: string, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url, payload, headers: { ...auth, 'content-type': 'application/json', ...headers } });

describe('bad input to the API', () => {
  it.each([
    ['malformed JSON', '{"name": ', 'body'],
    ['a JSON array instead of an object', '["North"]', 'body'],
    ['a wrong type', '{"name": 123}', 'name'],
    ['an unknown field', '{"name": "North", "colour": "blue"}', 'colour'],
    ['an over-long string', JSON.stringify({ name: 'x'.repeat(101) }), 'name'],
    ['a missing field', '{}', 'name'],
  ])('answers %s with 400 naming the field, never a 500 or a stack trace', async (_what, payload, field) => {
    const res = await post('/api/v1/teams', payload);
    expect(res.statusCode).toBe(400);
    const body = res.json<ErrorBody>();
    expect(body.error.code).toBe('validation_failed');
    expect(Object.keys(body.error.fields ?? {})).toContain(field);
    expect(res.body).not.toMatch(/\bat .+\.ts:\d+/);
  });

  it('answers an invalid id in the path with 400 naming it', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/teams/not-an-id', headers: auth });
    expect(res.statusCode).toBe(400);
    expect(res.json<ErrorBody>().error.fields).toEqual({ id: expect.any(String) as string });
  });

  it('answers an unknown record with 404 in the error shape', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/teams/6f1d3c1e-8f3a-4a57-9a39-1f0c2b7d9e11', headers: auth });
    expect(res.statusCode).toBe(404);
    expect(res.json<ErrorBody>()).toEqual({ error: { code: 'not_found', message: expect.any(String) as string } });
  });

  it('answers an unknown API path with 404 JSON, not a page', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/nothing-here', headers: auth });
    expect(res.statusCode).toBe(404);
    expect(res.json<ErrorBody>().error.code).toBe('not_found');
  });

  it('refuses an unsupported content type in the error shape', async () => {
    const res = await post('/api/v1/teams', '<team/>', { 'content-type': 'application/xml' });
    expect(res.statusCode).toBe(415);
    expect(res.json<ErrorBody>().error.code).toBe('validation_failed');
  });
});

describe('Idempotency-Key', () => {
  it('returns the first response to a repeat and creates nothing new', async () => {
    const key = 'create-team-0001';
    const first = await post('/api/v1/teams', JSON.stringify({ name: 'Idempotent Team' }), { 'idempotency-key': key });
    const again = await post('/api/v1/teams', JSON.stringify({ name: 'Idempotent Team' }), { 'idempotency-key': key });
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(201);
    expect(again.json()).toEqual(first.json());
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect((await teams.listTeams(t.db)).filter((x) => x.name === 'Idempotent Team')).toHaveLength(1);
  });

  it('lets a corrected request reuse a key whose first try failed', async () => {
    const key = 'create-team-0002';
    expect((await post('/api/v1/teams', '{}', { 'idempotency-key': key })).statusCode).toBe(400);
    expect((await post('/api/v1/teams', JSON.stringify({ name: 'Second Try' }), { 'idempotency-key': key })).statusCode).toBe(
      201,
    );
  });

  it('refuses a key reused for a different request', async () => {
    const key = 'create-team-0003';
    await post('/api/v1/teams', JSON.stringify({ name: 'Key Owner' }), { 'idempotency-key': key });
    const res = await post('/api/v1/users', JSON.stringify({ email: 'k@example.org' }), { 'idempotency-key': key });
    expect(res.statusCode).toBe(422);
    expect(res.json<ErrorBody>().error.code).toBe('rule_refused');
  });

  it('creates one record when a form is submitted twice', async () => {
    const { browser } = await signedInAs(t, 'admin');
    await browser.get('/admin/teams');
    const form = { name: 'Double Click Team', _idempotency_key: 'form-key-0000001' };
    const first = await browser.post('/admin/teams', form);
    const second = await browser.post('/admin/teams', form);
    expect(first.statusCode).toBe(302);
    expect(second.statusCode).toBe(302);
    expect(second.headers.location).toBe(first.headers.location);
    expect((await teams.listTeams(t.db)).filter((x) => x.name === 'Double Click Team')).toHaveLength(1);
  });
});
