import { describe, expect, it } from 'vitest';
import { ACCESS_RULES } from './access-rules.ts';

// A commissioner sees aggregate figures only (DESIGN.md section 3): no route that answers with a
// person may let one in. Adding a route for commissioners means adding it here, on purpose.
const AGGREGATE_ONLY = [
  'GET /',
  'GET /account',
  'POST /account/tokens',
  'POST /account/tokens/:id/revoke',
  'GET /api/v1/me',
  'GET /reports',
  'GET /reports/outcomes',
  'GET /reports/outcomes/charts',
  'GET /reports/outcomes.csv',
  'GET /reports/outcomes.xlsx',
  'GET /reports/outcomes/quarterly-return.csv',
  'GET /reports/outcomes/quarterly-return.xlsx',
  'GET /api/v1/reports/outcomes',
  'GET /fidelity-reviews',
  'GET /fidelity-reviews/compare',
  'GET /fidelity-reviews/:id',
  'GET /api/v1/fidelity-reviews',
  'GET /api/v1/fidelity-reviews/:id',
];

describe('what a commissioner can reach', () => {
  it('is only their account and the aggregate reports, never a person', () => {
    const reachable = Object.entries(ACCESS_RULES)
      .filter(([, rule]) => rule.kind === 'roles' && rule.roles.includes('commissioner'))
      .map(([route]) => route);
    expect(reachable.sort()).toEqual([...AGGREGATE_ONLY].sort());
    for (const route of reachable) expect(route).not.toMatch(/participant|contact|placement|referral|people|timeline|calendar/);
  });
});
