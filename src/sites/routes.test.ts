import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeSite } from '../../test/factories.ts';
import { createTestApp, signedInAs, type TestApp } from '../../test/test-app.ts';
import * as audit from '../audit/service.ts';
import { SYSTEM_CONTEXT } from '../audit/service.ts';
import type { Role } from '../users/roles.ts';
import * as sites from './service.ts';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

/** The error message shown beside a form field, or undefined when there is none. */
function fieldError(html: string, field: string): string | undefined {
  const m = new RegExp(`id="${field}-error"[^>]*>([\\s\\S]*?)</span>\\s*</?[a-z]`).exec(html);
  return m?.[1]
    ?.replace(/<[^>]+>/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

describe('the sites page', () => {
  it('says there are no sites yet and offers the form to add one', async () => {
    const { browser } = await signedInAs(t, 'admin');
    const res = await browser.get('/admin/sites');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('No sites yet. Add the first site below.');
    expect(res.body).toContain('Address (optional)');
  });

  it('lists sites by name with their addresses', async () => {
    await makeSite(t.db, t.deps, { name: 'St Mary’s Hospital', address: '1 Praed Street\nLondon' });
    await makeSite(t.db, t.deps, { name: 'Charing Cross Hospital' });
    const { browser } = await signedInAs(t, 'admin');
    const res = await browser.get('/admin/sites');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<div class="stepwise-table-wrap">');
    expect(res.body.indexOf('Charing Cross Hospital')).toBeLessThan(res.body.indexOf('St Mary’s Hospital'));
    expect(res.body).toContain('1 Praed Street, London');
    expect(res.body).toContain('Not given');
  });

  it('adds a site with an address, confirms it and audits site.created', async () => {
    const { browser } = await signedInAs(t, 'admin');
    await browser.get('/admin/sites');
    const res = await browser.post('/admin/sites', {
      name: ' Hammersmith  Hospital ',
      address: 'Du Cane Road\r\nLondon W12 0HS',
    });
    expect(res.statusCode).toBe(302);
    const [site] = await sites.listSites(t.db);
    expect(site).toMatchObject({ name: 'Hammersmith Hospital', address: 'Du Cane Road\nLondon W12 0HS' });
    expect(res.headers.location).toBe(`/admin/sites?added=${site?.id}`);

    const page = await browser.get(res.headers.location as string);
    expect(page.body).toContain('Hammersmith Hospital added');
    const events = await audit.listEvents(t.db, { action: 'site.created' }, 10);
    expect(events.items.map((e) => e.entityId)).toEqual([site?.id]);
  });

  it('adds a site without an address', async () => {
    const { browser } = await signedInAs(t, 'admin');
    await browser.get('/admin/sites');
    expect((await browser.post('/admin/sites', { name: 'Community base', address: '  ' })).statusCode).toBe(302);
    expect((await sites.listSites(t.db))[0]?.address).toBeNull();
  });

  it('refuses a name already used in any case, with the message next to the field and what was typed kept', async () => {
    await makeSite(t.db, t.deps, { name: 'Charing Cross Hospital' });
    const { browser } = await signedInAs(t, 'admin');
    await browser.get('/admin/sites');
    const res = await browser.post('/admin/sites', { name: 'charing cross HOSPITAL', address: 'Fulham Palace Road' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('There is a problem');
    expect(fieldError(res.body, 'name')).toBe('Error: A site with this name already exists');
    expect(res.body).toContain('value="charing cross HOSPITAL"');
    expect(res.body).toContain('Fulham Palace Road</textarea>');
    expect(await sites.listSites(t.db)).toHaveLength(1);
  });

  it('asks for a name and limits the address length', async () => {
    const { browser } = await signedInAs(t, 'admin');
    await browser.get('/admin/sites');
    const res = await browser.post('/admin/sites', { name: '', address: 'x'.repeat(501) });
    expect(res.statusCode).toBe(400);
    expect(fieldError(res.body, 'name')).toBe('Error: Enter a site name');
    expect(fieldError(res.body, 'address')).toBe('Error: Address must be 500 characters or fewer');
  });
});

describe('a site page', () => {
  it('shows the site with its address', async () => {
    const site = await makeSite(t.db, t.deps, { name: 'St Mary’s Hospital', address: '1 Praed Street\nLondon <W2>' });
    const { browser } = await signedInAs(t, 'admin');
    const res = await browser.get(`/admin/sites/${site.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<h1>St Mary’s Hospital</h1>');
    expect(res.body).toMatch(/1 Praed Street<br \/>\s*London &lt;W2&gt;/);
    expect(res.body).toContain('name="version" value="1"');
  });

  it('saves a new name and address, confirms it and audits what changed', async () => {
    const site = await makeSite(t.db, t.deps, { name: 'St Mary’s Hospital' });
    const { browser } = await signedInAs(t, 'admin');
    await browser.get(`/admin/sites/${site.id}`);
    const res = await browser.post(`/admin/sites/${site.id}`, {
      name: 'St Mary’s Hospital Paddington',
      address: 'Praed Street',
      version: '1',
    });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe(`/admin/sites/${site.id}?done=saved`);
    const page = await browser.get(res.headers.location as string);
    expect(page.body).toContain('<h1>St Mary’s Hospital Paddington</h1>');
    expect(page.body).toContain('Site details saved');
    expect(page.body).toContain('name="version" value="2"');
    const events = await audit.listEvents(t.db, { action: 'site.updated' }, 10);
    expect(events.items[0]?.details).toEqual({ changed: ['name', 'address'], from: 'St Mary’s Hospital' });
  });

  it('shows a conflict when someone else changed the site first, keeping what was typed', async () => {
    const site = await makeSite(t.db, t.deps, { name: 'St Mary’s Hospital' });
    const { browser } = await signedInAs(t, 'admin');
    await browser.get(`/admin/sites/${site.id}`);
    await sites.updateSite(t.db, t.deps, SYSTEM_CONTEXT, site.id, 1, { name: 'St Mary’s', address: null });

    const res = await browser.post(`/admin/sites/${site.id}`, { name: 'My name', address: 'My address', version: '1' });
    expect(res.statusCode).toBe(409);
    expect(fieldError(res.body, 'name')).toBe(
      'Error: Someone else changed this site after you opened it (it is now called St Mary’s). Check the details and save again',
    );
    expect(res.body).toContain('value="My name"');
    expect(res.body).toContain('My address</textarea>');
    expect(res.body).toContain('name="version" value="2"');
    expect((await sites.getSite(t.db, site.id)).name).toBe('St Mary’s');
  });

  it('refuses the name of another site', async () => {
    await makeSite(t.db, t.deps, { name: 'Charing Cross Hospital' });
    const site = await makeSite(t.db, t.deps, { name: 'St Mary’s Hospital' });
    const { browser } = await signedInAs(t, 'admin');
    await browser.get(`/admin/sites/${site.id}`);
    const res = await browser.post(`/admin/sites/${site.id}`, { name: 'CHARING CROSS hospital', address: '', version: '1' });
    expect(res.statusCode).toBe(400);
    expect(fieldError(res.body, 'name')).toBe('Error: A site with this name already exists');
  });

  it('saves nothing and audits nothing when nothing changed', async () => {
    const site = await makeSite(t.db, t.deps, { name: 'St Mary’s Hospital' });
    const { browser } = await signedInAs(t, 'admin');
    await browser.get(`/admin/sites/${site.id}`);
    const res = await browser.post(`/admin/sites/${site.id}`, { name: 'St Mary’s Hospital', address: '', version: '1' });
    expect(res.statusCode).toBe(302);
    expect((await sites.getSite(t.db, site.id)).version).toBe(1);
    expect((await audit.listEvents(t.db, { action: 'site.updated' }, 10)).items).toHaveLength(0);
  });

  it('answers 404 for a site that does not exist', async () => {
    const { browser } = await signedInAs(t, 'admin');
    const res = await browser.get('/admin/sites/00000000-0000-4000-8000-000000000000');
    expect(res.statusCode).toBe(404);
  });
});

describe('who may manage sites', () => {
  const others: Role[] = ['manager', 'practitioner', 'clinician', 'commissioner'];

  it.each(others)('refuses a %s with 403', async (role) => {
    const site = await makeSite(t.db, t.deps);
    const { browser } = await signedInAs(t, role);
    expect((await browser.get('/admin/sites')).statusCode).toBe(403);
    expect((await browser.get(`/admin/sites/${site.id}`)).statusCode).toBe(403);
    expect((await browser.post('/admin/sites', { name: 'Sneaky site' })).statusCode).toBe(403);
    expect((await browser.post(`/admin/sites/${site.id}`, { name: 'Sneaky site', version: '1' })).statusCode).toBe(403);
    expect((await sites.listSites(t.db)).map((s) => s.name)).toEqual([site.name]);
  });
});
