import { randomUUID } from 'node:crypto';
import { PDFParse } from 'pdf-parse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, type ErrorBody, type TestApp, createTestApp, signedInAs } from '../../test/test-app.ts';
import { makeParticipant, makeProfile, makeTeam, makeTokenUser } from '../../test/factories.ts';
import type { User } from '../users/service.ts';

// The person's hard limits (times they will never work, no weekends at all) and where they travel
// from, in the job preferences section of the vocational profile.

let t: TestApp;
let teamId: string;
let pat: User;
let patBrowser: Browser;

beforeAll(async () => {
  t = await createTestApp();
  teamId = (await makeTeam(t.db, t.deps)).id;
  ({ browser: patBrowser, user: pat } = await signedInAs(t, 'practitioner', teamId));
});
afterAll(async () => {
  await t.close();
});

async function openVersion(url: string): Promise<string> {
  const res = await patBrowser.get(url);
  expect(res.statusCode).toBe(200);
  return /name="version" value="(\d+)"/.exec(res.body)![1]!;
}

describe('the profile form', () => {
  it('saves times they will never work, no weekends and where they travel from, and shows them back', async () => {
    const person = await makeParticipant(t.db, t.deps, pat);
    const edit = `/participants/${person.id}/profile/edit?section=job_preferences`;
    let res = await patBrowser.get(edit);
    expect(res.body).toContain('Times they will never work');
    expect(res.body).toContain('They will not work weekends at all');
    expect(res.body).toContain('never shown to employers');
    const version = await openVersion(edit);

    res = await patBrowser.post(`/participants/${person.id}/profile`, {
      version,
      section: 'job_preferences',
      never_times: 'nights',
      no_weekends: 'yes',
      home_latitude: '53.4808',
      home_longitude: '-2.2426',
    });
    expect(res.statusCode).toBe(302);

    res = await patBrowser.get(`/participants/${person.id}/profile`);
    expect(res.body).toMatch(/Times they will never work\s*<\/dt>\s*<dd[^>]*>\s*Nights/);
    expect(res.body).toMatch(/They will not work weekends at all\s*<\/dt>\s*<dd[^>]*>\s*Yes/);
    expect(res.body).toContain('53.4808');
    expect(res.body).toContain('-2.2426');

    // The form opens with what was saved, so unticking is possible.
    res = await patBrowser.get(edit);
    expect(res.body).toMatch(/name="never_times" type="checkbox" value="nights" checked/);
    expect(res.body).toMatch(/name="no_weekends" type="checkbox" value="yes" checked/);
    expect(res.body).toContain('value="-2.2426"');

    // Saving the section with the box unticked lifts the limit.
    res = await patBrowser.post(`/participants/${person.id}/profile`, {
      version: '1',
      section: 'job_preferences',
      home_latitude: '53.4808',
      home_longitude: '-2.2426',
    });
    expect(res.statusCode).toBe(302);
    const api = await patBrowser.get(`/api/v1/participants/${person.id}/profile`);
    expect(api.json()).toMatchObject({ version: 2, never_times: [], no_weekends: false, home_latitude: 53.4808 });
  });

  it('keeps the typing and says what is wrong with half a location, a latitude out of range or clashing limits', async () => {
    const person = await makeParticipant(t.db, t.deps, pat);
    const version = await openVersion(`/participants/${person.id}/profile/edit?section=job_preferences`);
    let res = await patBrowser.post(`/participants/${person.id}/profile`, {
      version,
      section: 'job_preferences',
      home_latitude: '53.4808',
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Enter the longitude as well as the latitude, or neither');
    expect(res.body).toContain('value="53.4808"');

    res = await patBrowser.post(`/participants/${person.id}/profile`, {
      version,
      section: 'job_preferences',
      home_latitude: '53.4808',
      home_longitude: 'west',
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Longitude must be a number, like -2.2426');

    res = await patBrowser.post(`/participants/${person.id}/profile`, {
      version,
      section: 'job_preferences',
      home_latitude: '95',
      home_longitude: '−2.2426',
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Latitude must be between -90 and 90');
    expect(res.body).not.toContain('Longitude must be');

    res = await patBrowser.post(`/participants/${person.id}/profile`, {
      version,
      section: 'job_preferences',
      days: 'sat',
      no_weekends: 'yes',
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Saturday or Sunday is ticked in the days they can work');
    const saved = await t.db.selectFrom('profile_versions').select('id').where('participant_id', '=', person.id).execute();
    expect(saved).toHaveLength(0);
  });
});

describe('the API', () => {
  it('saves and reads the hard limits and home coordinates by their API names, and checks them', async () => {
    const { user, token } = await makeTokenUser(t.db, t.deps, 'practitioner', teamId);
    const person = await makeParticipant(t.db, t.deps, user);
    const headers = { authorization: `Bearer ${token}` };
    const url = `/api/v1/participants/${person.id}/profile`;

    let res = await t.app.inject({ method: 'GET', url, headers });
    expect(res.json()).toMatchObject({ never_times: [], no_weekends: false, home_latitude: null, home_longitude: null });

    res = await t.app.inject({
      method: 'PATCH',
      url,
      headers,
      payload: { version: 0, never_times: ['nights', 'evenings'], no_weekends: true, home_latitude: 51.5, home_longitude: -0.12 },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      version: 1,
      never_times: ['evenings', 'nights'],
      no_weekends: true,
      home_latitude: 51.5,
      home_longitude: -0.12,
    });

    res = await t.app.inject({ method: 'PATCH', url, headers, payload: { version: 1, home_latitude: 91 } });
    expect(res.statusCode).toBe(400);
    expect(res.json<ErrorBody>().error.fields?.home_latitude).toBe('Latitude must be between -90 and 90');

    res = await t.app.inject({ method: 'PATCH', url, headers, payload: { version: 1, home_longitude: null } });
    expect(res.statusCode).toBe(400);
    expect(res.json<ErrorBody>().error.fields?.home_longitude).toBe('Enter the longitude as well as the latitude, or neither');

    res = await t.app.inject({ method: 'PATCH', url, headers, payload: { version: 1, never_times: ['lunchtimes'] } });
    expect(res.statusCode).toBe(400);
    expect(Object.keys(res.json<ErrorBody>().error.fields ?? {}).join()).toMatch(/^never_times/);

    res = await t.app.inject({
      method: 'PATCH',
      url,
      headers,
      payload: { version: 1, home_latitude: null, home_longitude: null },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ version: 2, home_latitude: null, home_longitude: null, no_weekends: true });
  });

  it('reads a version saved before these fields existed with their defaults', async () => {
    const person = await makeParticipant(t.db, t.deps, pat);
    await t.db
      .insertInto('profile_versions')
      .values({
        id: randomUUID(),
        participant_id: person.id,
        version: 1,
        data: JSON.stringify({ skills: 'Joinery', times: ['mornings'], weekends_ok: false }),
        created_at: '2026-01-10T10:00:00.000Z',
        created_by_user_id: pat.id,
      })
      .execute();
    const res = await patBrowser.get(`/api/v1/participants/${person.id}/profile`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      version: 1,
      skills: 'Joinery',
      times: ['mornings'],
      never_times: [],
      no_weekends: false,
      home_latitude: null,
      home_longitude: null,
    });
    const page = await patBrowser.get(`/participants/${person.id}/profile`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(/They will not work weekends at all\s*<\/dt>\s*<dd[^>]*>\s*No/);
  });
});

describe('the one-page profile for employers', () => {
  it('says which times and weekends are ruled out, and never where the person lives', async () => {
    const person = await makeParticipant(t.db, t.deps, pat);
    await makeProfile(t.db, t.deps, pat, person.id, {
      skills: 'Stock control',
      never_times: ['nights'],
      no_weekends: true,
      home_latitude: 53.4808,
      home_longitude: -2.2426,
    });
    const res = await patBrowser.get(`/participants/${person.id}/profile.pdf`);
    expect(res.statusCode).toBe(200);
    const parser = new PDFParse({ data: res.rawPayload });
    const { text } = await parser.getText();
    await parser.destroy();
    expect(text).toContain('Times I cannot work: Nights');
    expect(text).toContain('Weekends: no');
    expect(text).not.toContain('53.48');
    expect(text).not.toContain('2.2426');
  });
});
