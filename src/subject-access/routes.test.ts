import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_CONTEXT } from '../audit/service.ts';
import * as contacts from '../contacts/service.ts';
import { pdfPlainText } from '../../test/pdf-text.ts';
import {
  insertEmployerContact,
  makeAppointment,
  makeContact,
  makeEmployer,
  makeJob,
  makeParticipant,
  makeProfile,
  makeReferral,
  makeTeam,
  makeUser,
} from '../../test/factories.ts';
import { type Browser, createTestApp, signedInAs, type TestApp } from '../../test/test-app.ts';
import { TEST_DIALECT } from '../../test/test-db.ts';
import type { Participant } from '../participants/service.ts';
import type { SubjectAccessExport } from './service.ts';

// Subject access through the pages: only a manager of the person's team may export, everyone
// else who can see the person is refused, and no one else learns the person exists. Each export
// is audited with its format; the JSON holds the person's rows and no one else's; the PDF reads.

let t: TestApp;
let person: Participant;
let other: Participant;
let contactId: string;
let manager: Browser;
const url = (id: string) => `/participants/${id}/subject-access`;

beforeAll(async () => {
  t = await createTestApp();
  const team = await makeTeam(t.db, t.deps);
  const clinical = await makeTeam(t.db, t.deps);
  const practitioner = await makeUser(t.db, t.deps, { role: 'practitioner', teamId: team.id });
  person = await makeParticipant(t.db, t.deps, practitioner, {
    givenName: 'Zoë',
    familyName: 'Okonkwo-Marsh',
    phone: '07700 900123',
  });
  other = await makeParticipant(t.db, t.deps, practitioner, { givenName: 'Someone', familyName: 'Else' });
  await makeReferral(t.db, t.deps, practitioner, person.id, {
    source: 'clinical_team',
    clinicalTeamId: clinical.id,
    notes: 'Wants kitchen work',
  });
  await makeProfile(t.db, t.deps, practitioner, person.id, {});
  const contact = await makeContact(t.db, t.deps, practitioner, person.id, { notes: 'First meeting at the café' });
  contactId = contact.id;
  const viewer = { userId: practitioner.id, role: practitioner.role, teamId: practitioner.teamId };
  await contacts.editContact(t.db, t.deps, SYSTEM_CONTEXT, viewer, person.id, contact.id, contact.version, {
    notes: 'First meeting at the café, went well',
  });
  await makeContact(t.db, t.deps, practitioner, other.id, { notes: 'Not theirs' });
  await makeAppointment(t.db, t.deps, practitioner, person.id);
  await makeJob(t.db, t.deps, practitioner, person.id, { startDate: '2026-10-01' });
  const employer = await makeEmployer(t.db, t.deps, practitioner);
  await insertEmployerContact(t.db, t.deps, employer.id, practitioner.id, '2026-11-20T10:00:00.000Z', {
    participant_id: person.id,
  });
  manager = (await signedInAs(t, 'manager', team.id)).browser;
}, 60_000);
afterAll(async () => {
  await t.close();
});

describe(`subject access pages on ${TEST_DIALECT}`, () => {
  it('shows a manager of the team what is included, with both downloads, and links it from the person’s page', async () => {
    const res = await manager.get(url(person.id));
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Subject access request');
    expect(res.body).toContain('Earlier versions of edited contacts');
    expect(res.body).toContain(`href="${url(person.id)}.pdf"`);
    expect(res.body).toContain(`href="${url(person.id)}.json"`);
    expect((await manager.get(`/participants/${person.id}`)).body).toContain(`href="${url(person.id)}"`);
  });

  it('exports everything held about the person as JSON, and nothing about anyone else', async () => {
    const res = await manager.get(`${url(person.id)}.json`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['content-disposition']).toMatch(
      /^attachment; filename="subject-access-zoe-okonkwo-marsh-\d{4}-\d{2}-\d{2}\.json"$/,
    );
    const data = JSON.parse(res.body) as SubjectAccessExport;
    expect(data.participant).toMatchObject({ id: person.id, given_name: 'Zoë', phone: '07700 900123' });
    expect(data.tables.referrals?.map((r) => r.notes)).toEqual(['Wants kitchen work']);
    expect(data.tables.contacts?.map((c) => c.notes)).toEqual(['First meeting at the café, went well']);
    expect(data.tables.contact_revisions).toHaveLength(1);
    expect(data.tables.contact_revisions?.[0]?.contact_id).toBe(contactId);
    expect(data.tables.appointments).toHaveLength(1);
    expect(data.tables.placements).toHaveLength(1);
    expect(data.tables.employer_contacts).toHaveLength(1);
    expect(data.tables.profile_versions?.length).toBeGreaterThanOrEqual(1);
    expect(res.body).not.toContain(other.id);
    expect(res.body).not.toContain('Not theirs');
    // Who changed the record: the contact edit, the referrals (by id) and the page view are there.
    const actions = data.audit.map((e) => e.action);
    expect(actions).toContain('participant.created');
    expect(actions).toContain('referral.created');
    expect(actions).toContain('participant.viewed');
    expect(data.audit.every((e) => !('hash' in e) && !('client_address' in e))).toBe(true);
  });

  it('records each export, with its format, on the person', async () => {
    for (const format of ['json', 'pdf'] as const) {
      expect((await manager.get(`${url(person.id)}.${format}`)).statusCode).toBe(200);
      const last = await t.db.selectFrom('audit_events').selectAll().orderBy('seq', 'desc').executeTakeFirstOrThrow();
      expect(last).toMatchObject({ action: 'subject_access.exported', entity_type: 'participant', entity_id: person.id });
      expect(JSON.parse(last.details!)).toMatchObject({ format });
    }
  });

  it('exports a readable PDF with the person’s name, a heading per section and page numbers', async () => {
    const res = await manager.get(`${url(person.id)}.pdf`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="subject-access-zoe-okonkwo-marsh-.*\.pdf"$/);
    const text = pdfPlainText(res.rawPayload);
    expect(text).toContain('Everything Stepwise holds about Zoë Okonkwo');
    expect(text).toContain('Family name: Okonkwo-Marsh');
    for (const h of [
      'Personal details',
      'Referrals',
      'Contacts (meetings, calls and messages)',
      'Earlier versions of edited contacts',
      'Jobs',
      'Who viewed or changed the record',
    ])
      expect(text).toContain(h);
    expect(text).toContain('Given name: Zoë');
    expect(text).toContain('First meeting at the café, went well');
    expect(text).toMatch(/Page 1 of (\d+)/);
    expect(text).not.toContain('Not theirs');
  });

  it('refuses everyone but a manager of the team: 404 to those who cannot see the person, 403 to those who can', async () => {
    const team = person.teamId;
    const clinicalTeam = (
      await t.db
        .selectFrom('referrals')
        .select('clinical_team_id')
        .where('participant_id', '=', person.id)
        .where('clinical_team_id', 'is not', null)
        .executeTakeFirstOrThrow()
    ).clinical_team_id;
    const cases: [string, Browser, number][] = [
      ['practitioner of the team', (await signedInAs(t, 'practitioner', team)).browser, 403],
      ['clinician of the referring team', (await signedInAs(t, 'clinician', clinicalTeam)).browser, 403],
      ['manager of another team', (await signedInAs(t, 'manager', (await makeTeam(t.db, t.deps)).id)).browser, 404],
      ['practitioner of another team', (await signedInAs(t, 'practitioner', (await makeTeam(t.db, t.deps)).id)).browser, 404],
      ['clinician of another team', (await signedInAs(t, 'clinician', (await makeTeam(t.db, t.deps)).id)).browser, 404],
      ['administrator', (await signedInAs(t, 'admin')).browser, 403],
      ['commissioner', (await signedInAs(t, 'commissioner')).browser, 403],
    ];
    const before = await t.db
      .selectFrom('audit_events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('action', '=', 'subject_access.exported')
      .executeTakeFirstOrThrow();
    for (const [who, b, status] of cases) {
      for (const path of [url(person.id), `${url(person.id)}.json`, `${url(person.id)}.pdf`]) {
        const res = await b.get(path);
        expect(res.statusCode, `${who} ${path}`).toBe(status);
        expect(res.body, `${who} ${path}`).not.toContain('Okonkwo');
      }
      expect((await b.get(`/participants/${person.id}`)).body).not.toContain(url(person.id));
    }
    const after = await t.db
      .selectFrom('audit_events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('action', '=', 'subject_access.exported')
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
    expect((await manager.get(`${url('00000000-0000-4000-8000-000000000000')}.json`)).statusCode).toBe(404);
  });
});
