import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/test-app.ts';
import { makeContact, makeParticipant, makeReferral, makeTeam, makeUser } from '../../test/factories.ts';
import * as referrals from './service.ts';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp({ now: '2026-11-28T10:00:00Z' });
});
afterEach(async () => {
  await t.close();
});

describe('days to first contact', () => {
  it('counts from the date received to the first contact in the contact log', async () => {
    const team = await makeTeam(t.db, t.deps);
    const pat = await makeUser(t.db, t.deps, { role: 'practitioner', teamId: team.id });
    const viewer = { userId: pat.id, role: pat.role, teamId: pat.teamId };
    const p = await makeParticipant(t.db, t.deps, pat);
    await makeReferral(t.db, t.deps, pat, p.id, { receivedDate: '2026-11-20' });
    const [waiting] = await referrals.listReferrals(t.db, t.deps, viewer, p.id);
    expect(waiting).toMatchObject({ daysToFirstContact: 8, firstContactOverdue: true, firstContactDate: null });

    // A contact before the referral does not count; the first one after it does.
    await makeContact(t.db, t.deps, pat, p.id, { startedAt: '2026-11-19T10:00:00Z' });
    await makeContact(t.db, t.deps, pat, p.id, { startedAt: '2026-11-23T10:00:00Z' });
    await makeContact(t.db, t.deps, pat, p.id, { startedAt: '2026-11-26T10:00:00Z' });
    const [made] = await referrals.listReferrals(t.db, t.deps, viewer, p.id);
    expect(made).toMatchObject({ daysToFirstContact: 3, firstContactOverdue: false, firstContactDate: '2026-11-23' });
  });
});
