import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTokenUser } from '../../test/factories.ts';
import { type ErrorBody, createTestApp, type TestApp } from '../../test/test-app.ts';
import type { Role } from '../users/roles.ts';

let t: TestApp;
const tokens = new Map<Role, string>();

beforeAll(async () => {
  t = await createTestApp();
  const team = await t.db.selectFrom('teams').select('id').executeTakeFirst();
  for (const role of ['practitioner', 'manager', 'clinician', 'commissioner', 'admin'] as const) {
    tokens.set(role, (await makeTokenUser(t.db, t.deps, role, team?.id ?? null)).token);
  }
});
afterAll(async () => {
  await t.close();
});

const body = {
  date: '2025-11-01',
  household: 'single',
  ages: [30],
  children: false,
  housing_costs_pence: 0,
  benefit: 'uc',
  lcwra: true,
  savings_pence: 0,
  job: { hours_per_week: 16, hourly_pay_pence: 1221, pension_percent: 0 },
};

const post = (role: Role, payload: unknown) =>
  t.app.inject({
    method: 'POST',
    url: '/api/v1/benefits/calculations',
    headers: { authorization: `Bearer ${tokens.get(role)!}` },
    payload: payload as Record<string, unknown>,
  });

describe('POST /api/v1/benefits/calculations', () => {
  it('answers the hand-checked case in pence, with the working', async () => {
    const res = await post('practitioner', body);
    expect(res.statusCode).toBe(200);
    const r = res.json<Record<string, unknown>>();
    expect(r).toMatchObject({
      tax_year: '2025/26',
      gross_pay_pence: 84656,
      net_pay_pence: 84656,
      uc_before_pence: 82341,
      uc_after_pence: 73400,
      total_out_of_work_pence: 82341,
      total_in_work_pence: 158056,
      difference_pence: 75715,
      permitted_work: null,
      needs_full_check: false,
      needs_full_check_reasons: [],
    });
    expect((r.steps as string[]).join(' ')).toContain('£684.00');
  });

  it('says savings of £10,000 need a full benefits check', async () => {
    const r = (await post('manager', { ...body, savings_pence: 1_000_000 })).json<{ needs_full_check: boolean }>();
    expect(r.needs_full_check).toBe(true);
  });

  it('names each bad field', async () => {
    const res = await post('practitioner', {
      ...body,
      date: '2025-02-30',
      ages: [30, 40],
      job: { ...body.job, hourly_pay_pence: 12.5 },
    });
    expect(res.statusCode).toBe(400);
    const fields = res.json<ErrorBody>().error.fields!;
    expect(fields.date).toBe('Date must be a real date, as YYYY-MM-DD');
    expect(fields['job.hourly_pay_pence']).toBe('Hourly pay must be a whole number of pence');
  });

  it('refuses roles that do not counsel', async () => {
    for (const role of ['clinician', 'commissioner', 'admin'] as const) {
      expect((await post(role, body)).statusCode, role).toBe(403);
    }
  });
});
