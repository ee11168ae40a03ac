import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, signedInAs, type TestApp } from '../../test/test-app.ts';
import * as audit from '../audit/service.ts';
import type { Role } from '../users/roles.ts';
import * as settings from './service.ts';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

const settingsEvents = async () => (await audit.listEvents(t.db, { action: 'settings.updated' }, 10)).items;

describe('the settings page', () => {
  it('shows whether a second factor is required, off by default', async () => {
    const { browser } = await signedInAs(t, 'admin');
    const res = await browser.get('/admin/settings');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Require a second factor for everyone?');
    expect(res.body).toMatch(
      /<input class="nhsuk-radios__input" id="require_second_factor-2" name="require_second_factor" type="radio" value="no" checked/,
    );
  });

  it('saves the change, confirms it, keeps it and audits it', async () => {
    const { browser, user } = await signedInAs(t, 'admin');
    await browser.get('/admin/settings');
    const res = await browser.post('/admin/settings', { require_second_factor: 'yes' });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/admin/settings?done=saved');

    const page = await browser.get(res.headers.location as string);
    expect(page.body).toContain('Settings saved');
    expect(page.body).toMatch(/type="radio" value="yes" checked/);
    expect(await settings.getSettings(t.db)).toEqual({ requireSecondFactor: true });
    const [event] = await settingsEvents();
    expect(event).toMatchObject({ actorUserId: user.id, details: { require_second_factor: true } });

    await browser.post('/admin/settings', { require_second_factor: 'no' });
    expect(await settings.getSettings(t.db)).toEqual({ requireSecondFactor: false });
    expect(await settingsEvents()).toHaveLength(2);
  });

  it('does not audit a save that changes nothing', async () => {
    const { browser } = await signedInAs(t, 'admin');
    await browser.get('/admin/settings');
    expect((await browser.post('/admin/settings', { require_second_factor: 'no' })).statusCode).toBe(302);
    expect(await settingsEvents()).toHaveLength(0);
  });

  it('asks for a choice when none is made', async () => {
    const { browser } = await signedInAs(t, 'admin');
    await browser.get('/admin/settings');
    const res = await browser.post('/admin/settings', {});
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('There is a problem');
    expect(res.body).toContain('Select yes if everyone must use a second factor');
  });
});

describe('who may change settings', () => {
  const others: Role[] = ['manager', 'practitioner', 'clinician', 'commissioner'];

  it.each(others)('refuses a %s with 403', async (role) => {
    const { browser } = await signedInAs(t, role);
    expect((await browser.get('/admin/settings')).statusCode).toBe(403);
    expect((await browser.post('/admin/settings', { require_second_factor: 'yes' })).statusCode).toBe(403);
    expect(await settings.getSettings(t.db)).toEqual({ requireSecondFactor: false });
  });
});
