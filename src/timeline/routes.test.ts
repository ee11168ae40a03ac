import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Browser, createTestApp, signedInAs, type TestApp } from '../../test/test-app.ts';
import {
  insertEmployerContact,
  makeContact,
  makeEmployer,
  makeParticipant,
  makeProfile,
  makeReferral,
  makeTeam,
  makeUser,
  referFromClinicalTeam,
} from '../../test/factories.ts';
import { SYSTEM_CONTEXT } from '../audit/service.ts';
import type { EmployerContactsTable } from '../db/types.ts';
import * as participants from '../participants/service.ts';
import type { User } from '../users/service.ts';

// The test clock stands at 2026-11-25 10:00 UTC (10:00 in London, a Wednesday).

let t: TestApp;
let north: string;
let pat: User;
let patBrowser: Browser;

beforeEach(async () => {
  t = await createTestApp();
  north = (await makeTeam(t.db, t.deps, 'North IPS')).id;
  ({ browser: patBrowser, user: pat } = await signedInAs(t, 'practitioner', north));
});
afterEach(async () => {
  await t.close();
});

const asViewer = (u: User) => participants.viewerOf({ userId: u.id, role: u.role, teamId: u.teamId });

/** The headings of the timeline's entries, in the order shown. */
function headings(html: string): string[] {
  return [...html.matchAll(/<h2[^>]*class="nhsuk-card__heading[^"]*">\s*([^<]+?)\s*<\/h2>/g)].map((m) => m[1]!);
}

describe('timeline', () => {
  it('shows contacts, status changes, referrals and profile versions together, newest first, and audits the read', async () => {
    t.clock.set('2026-11-01T09:00:00Z');
    const p = await makeParticipant(t.db, t.deps, pat);
    t.clock.set('2026-11-02T12:00:00Z');
    await makeReferral(t.db, t.deps, pat, p.id, { receivedDate: '2026-11-02' });
    t.clock.set('2026-11-10T09:00:00Z');
    await makeContact(t.db, t.deps, pat, p.id, { startedAt: '2026-11-05T10:00:00Z', purpose: 'engagement' });
    await makeProfile(t.db, t.deps, pat, p.id, { aspirations: 'Work outdoors' });
    const current = await participants.loadVisible(t.db, asViewer(pat), p.id);
    await participants.changeStatus(t.db, t.deps, SYSTEM_CONTEXT, asViewer(pat), p.id, current.version, 'engaged');
    await makeContact(t.db, t.deps, pat, p.id, { startedAt: '2026-11-24T19:30:00Z', purpose: 'job_search' });
    t.clock.set('2026-11-25T10:00:00Z');

    const res = await patBrowser.get(`/participants/${p.id}/timeline`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Timeline');
    const shown = headings(res.body);
    expect(shown[0]).toBe('Contact: Job search');
    expect(shown).toContain('Status changed from Referred to Engaged');
    expect(shown).toContain('Vocational profile saved (version 1)');
    expect(shown).toContain('Contact: Engagement');
    expect(shown).toContain('Referral received');
    expect(shown.indexOf('Contact: Engagement')).toBeLessThan(shown.indexOf('Referral received'));
    expect(res.body).toContain('Out of hours');
    expect(res.body).toContain('Log a contact');
    const audited = await t.db
      .selectFrom('audit_events')
      .select(['details', 'entity_id'])
      .where('action', '=', 'participant.timeline_viewed')
      .execute();
    expect(audited).toHaveLength(1);
    expect(audited[0]?.entity_id).toBe(p.id);
  });

  it('filters by kind and keeps the filter in the page links', async () => {
    const p = await makeParticipant(t.db, t.deps, pat);
    await makeContact(t.db, t.deps, pat, p.id, { notes: 'A contact note' });
    await makeProfile(t.db, t.deps, pat, p.id, { aspirations: 'Work outdoors' });

    const onlyProfile = await patBrowser.get(`/participants/${p.id}/timeline?kind=profile`);
    expect(onlyProfile.statusCode).toBe(200);
    expect(headings(onlyProfile.body)).toEqual(['Vocational profile saved (version 1)']);
    expect(onlyProfile.body).toMatch(/value="profile" checked/);

    const two = await patBrowser.get(`/participants/${p.id}/timeline?kind=contact&kind=status`);
    const shown = headings(two.body);
    expect(shown).toContain('Contact: Engagement');
    expect(shown).toContain('Status: Referred');
    expect(shown).not.toContain('Vocational profile saved (version 1)');

    const bad = await patBrowser.get(`/participants/${p.id}/timeline?kind=gossip`);
    expect(bad.statusCode).toBe(200);
    expect(bad.body).toContain('Select what to show from the list');
    expect(headings(bad.body)).toHaveLength(3);
  });

  it('pages 25 at a time', async () => {
    const p = await makeParticipant(t.db, t.deps, pat);
    for (let day = 1; day <= 30; day++) {
      await makeContact(t.db, t.deps, pat, p.id, {
        startedAt: `2026-10-${String(day).padStart(2, '0')}T10:00:00Z`,
        notes: `Visit on day ${day}`,
      });
    }
    // 30 contacts and the status "referred" when the record was made: 31 entries.
    const first = await patBrowser.get(`/participants/${p.id}/timeline?kind=contact&kind=status`);
    expect(first.body).toContain('Showing 1 to 25 of 31');
    // The record was made today, after every contact: its first status is the newest entry.
    expect(headings(first.body)[0]).toBe('Status: Referred');
    expect(first.body).toContain('Visit on day 30');
    expect(first.body).not.toContain('Visit on day 5<');
    expect(first.body).toContain(`href="/participants/${p.id}/timeline?kind=contact&amp;kind=status&amp;page=2"`);
    const second = await patBrowser.get(`/participants/${p.id}/timeline?kind=contact&kind=status&page=2`);
    expect(second.body).toContain('Showing 26 to 31 of 31');
    expect(headings(second.body)).toHaveLength(6);
    expect(second.body).toContain('Visit on day 5<');
    expect(second.body).toContain('Visit on day 1<');
    const beyond = await patBrowser.get(`/participants/${p.id}/timeline?page=9`);
    expect(beyond.body).toContain('Go to the first page');
  });

  it('shows a referral that was closed', async () => {
    const p = await makeParticipant(t.db, t.deps, pat);
    const referral = await makeReferral(t.db, t.deps, pat, p.id, { receivedDate: '2026-11-20' });
    await t.db
      .updateTable('referrals')
      .set({ status: 'closed', closed_date: '2026-11-24', close_reason: 'person_choice' })
      .where('id', '=', referral.id)
      .execute();
    const res = await patBrowser.get(`/participants/${p.id}/timeline?kind=referral`);
    expect(headings(res.body)).toEqual(['Referral closed', 'Referral received']);
    expect(res.body).toContain('24 November 2026');
  });

  it('gives 404 to another team and 403 to a commissioner or an administrator', async () => {
    const p = await makeParticipant(t.db, t.deps, pat);
    const south = (await makeTeam(t.db, t.deps, 'South IPS')).id;
    const { browser: other } = await signedInAs(t, 'practitioner', south);
    expect((await other.get(`/participants/${p.id}/timeline`)).statusCode).toBe(404);
    for (const role of ['commissioner', 'admin'] as const) {
      const { browser } = await signedInAs(t, role);
      expect((await browser.get(`/participants/${p.id}/timeline`)).statusCode).toBe(403);
    }
  });
});

describe('employer contacts on the timeline', () => {
  let employerId: string;
  beforeEach(async () => {
    employerId = (await makeEmployer(t.db, t.deps, pat, { name: 'Northern Bakery' })).id;
  });

  /** Pat's face-to-face employer contact on someone's behalf. */
  const employerContact = (participantId: string | null, contactedAt: string, overrides: Partial<EmployerContactsTable> = {}) =>
    insertEmployerContact(t.db, t.deps, employerId, pat.id, contactedAt, {
      participant_id: participantId,
      purpose: 'on_behalf',
      ...overrides,
    });

  it('shows those made on the person’s behalf to their practitioner and manager, with what happened and a link to the employer', async () => {
    const p = await makeParticipant(t.db, t.deps, pat);
    const other = await makeParticipant(t.db, t.deps, pat);
    await employerContact(p.id, '2026-11-20T14:00:00.000Z', {
      outcome: 'Manager keen to meet her',
      next_step: 'Arrange a working interview',
      next_step_due: '2026-12-01',
    });
    await employerContact(p.id, '2026-11-21T10:00:00.000Z', { deleted_at: '2026-11-21T11:00:00.000Z', outcome: 'Logged twice' });
    await employerContact(other.id, '2026-11-22T10:00:00.000Z', { outcome: 'About someone else' });
    await employerContact(null, '2026-11-23T10:00:00.000Z', { outcome: 'Not on anyone’s behalf' });

    const res = await patBrowser.get(`/participants/${p.id}/timeline`);
    expect(res.statusCode).toBe(200);
    // The record was made today, after the employer contact.
    expect(headings(res.body)).toEqual(['Status: Referred', 'Employer contact: Northern Bakery']);
    expect(res.body).toContain('Face to face visit. On behalf of a person (an introduction or application).');
    expect(res.body).toContain('Outcome: Manager keen to meet her');
    expect(res.body).toContain('Next step: Arrange a working interview (by 1 December 2026)');
    expect(res.body).toContain(`By ${pat.name}`);
    expect(res.body).toContain(`href="/employers/${employerId}"`);
    expect(res.body).toContain('Showing 1 to 2 of 2');
    for (const hidden of ['Logged twice', 'About someone else', 'Not on anyone']) expect(res.body).not.toContain(hidden);

    const only = await patBrowser.get(`/participants/${p.id}/timeline?kind=employer_contact`);
    expect(headings(only.body)).toEqual(['Employer contact: Northern Bakery']);
    expect(only.body).toMatch(/value="employer_contact" checked/);
    const audited = await t.db
      .selectFrom('audit_events')
      .select('details')
      .where('action', '=', 'participant.timeline_viewed')
      .where('entity_id', '=', p.id)
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(audited.details!)).toMatchObject({ kinds: ['employer_contact'] });

    const { browser: manager } = await signedInAs(t, 'manager', north);
    expect(headings((await manager.get(`/participants/${p.id}/timeline`)).body)).toContain('Employer contact: Northern Bakery');
  });

  it('pages employer contacts with everything else', async () => {
    const p = await makeParticipant(t.db, t.deps, pat);
    for (let day = 1; day <= 26; day++) {
      await employerContact(p.id, `2026-10-${String(day).padStart(2, '0')}T10:00:00.000Z`, { outcome: `Visit on day ${day}` });
    }
    const first = await patBrowser.get(`/participants/${p.id}/timeline`);
    expect(first.body).toContain('Showing 1 to 25 of 27');
    expect(first.body).not.toContain('Visit on day 1<');
    const second = await patBrowser.get(`/participants/${p.id}/timeline?page=2`);
    expect(second.body).toContain('Showing 26 to 27 of 27');
    expect(second.body).toContain('Visit on day 2<');
    expect(second.body).toContain('Visit on day 1<');
  });

  it('never shows them to a clinician of the referring clinical team, nor offers them in the filter', async () => {
    const clinic = await makeTeam(t.db, t.deps, 'Community mental health team');
    const clinician = await makeUser(t.db, t.deps, { role: 'clinician', teamId: clinic.id });
    const p = await makeParticipant(t.db, t.deps, pat);
    await referFromClinicalTeam(t.db, p.id, clinic.id);
    await employerContact(p.id, '2026-11-20T14:00:00.000Z', { outcome: 'Manager keen to meet her' });
    const b = new Browser(t.app);
    await b.signIn(clinician.email);

    const res = await b.get(`/participants/${p.id}/timeline`);
    expect(res.statusCode).toBe(200);
    expect(headings(res.body)).toEqual(['Status: Referred', 'Referral received']);
    expect(res.body).not.toContain('Northern Bakery');
    expect(res.body).not.toContain('value="employer_contact"');
    const asked = await b.get(`/participants/${p.id}/timeline?kind=employer_contact`);
    expect(asked.statusCode).toBe(200);
    expect(asked.body).not.toContain('Northern Bakery');
    expect(asked.body).not.toContain('Manager keen');
  });
});
