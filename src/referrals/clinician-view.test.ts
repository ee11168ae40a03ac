import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/test-app.ts';
import { makeParticipant, makeReferral, makeTeam, makeUser } from '../../test/factories.ts';
import { SYSTEM_CONTEXT } from '../audit/service.ts';
import * as referrals from './service.ts';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

describe('what a clinician sees of referrals', () => {
  it('shows their own clinical team’s referral text, and no practitioner working notes or other teams’ text', async () => {
    const ips = await makeTeam(t.db, t.deps, 'IPS');
    const cmhtA = await makeTeam(t.db, t.deps, 'CMHT A');
    const cmhtB = await makeTeam(t.db, t.deps, 'CMHT B');
    const pat = await makeUser(t.db, t.deps, { role: 'practitioner', teamId: ips.id });
    const clinA = await makeUser(t.db, t.deps, { role: 'clinician', teamId: cmhtA.id });
    const clinB = await makeUser(t.db, t.deps, { role: 'clinician', teamId: cmhtB.id });
    const p = await makeParticipant(t.db, t.deps, pat);
    const r = await makeReferral(t.db, t.deps, pat, p.id, {
      source: 'clinical_team',
      clinicalTeamId: cmhtA.id,
      notes: 'Referral notes from CMHT A',
      whatTheyWant: 'Work in a garden centre',
    });
    await referrals.recordContactAttempt(
      t.db,
      t.deps,
      SYSTEM_CONTEXT,
      { userId: pat.id, role: 'practitioner', teamId: ips.id },
      p.id,
      r.id,
      r.version,
      {
        attemptedAt: new Date('2026-11-25T09:00:00Z'),
        method: 'phone',
        note: 'Practitioner working note',
      },
    );
    const [own] = await referrals.listReferrals(t.db, t.deps, { userId: clinA.id, role: 'clinician', teamId: cmhtA.id }, p.id);
    expect(own).toMatchObject({ notes: 'Referral notes from CMHT A', whatTheyWant: 'Work in a garden centre' });
    expect(own?.contactAttempts.map((a) => a.note)).toEqual([null]);
    const asPractitioner = await referrals.listReferrals(
      t.db,
      t.deps,
      { userId: pat.id, role: 'practitioner', teamId: ips.id },
      p.id,
    );
    expect(asPractitioner[0]?.contactAttempts[0]?.note).toBe('Practitioner working note');
    const other = referrals.forViewer({ userId: clinB.id, role: 'clinician', teamId: cmhtB.id }, asPractitioner);
    expect(other[0]).toMatchObject({ notes: null, whatTheyWant: null, closeNote: null });
  });
});
