import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeSite, makeTeam, makeTokenUser } from '../../test/factories.ts';
import { createTestApp, signedInAs, type TestApp } from '../../test/test-app.ts';
import type { Role } from '../users/roles.ts';
import * as audit from './service.ts';
import { SYSTEM_CONTEXT } from './service.ts';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

/** How many events the audit page lists. */
const rowCount = (html: string) => html.split('<td class="nhsuk-table__cell stepwise-nowrap">').length - 1;

/** The events table alone, without the filter form's choices. */
const table = (html: string) => html.slice(html.indexOf('<table'));

/** The error message shown beside a form field, or undefined when there is none. */
function fieldError(html: string, field: string): string | undefined {
  const m = new RegExp(`id="${field}-error"[^>]*>([\\s\\S]*?)</span>\\s*</?[a-z]`).exec(html);
  return m?.[1]
    ?.replace(/<[^>]+>/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

async function api(url: string, token: string) {
  const res = await t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
  return { status: res.statusCode, body: res.json<Record<string, unknown>>() };
}

const viewsOf = async () => (await audit.listEvents(t.db, { action: 'audit.viewed' }, 100)).items;

describe('the audit trail page', () => {
  it('shows each event newest first with its UK time, who, action, record, address and details', async () => {
    const { browser, user } = await signedInAs(t, 'admin');
    t.clock.set('2026-06-30T23:30:00Z'); // 00:30 on 1 July in UK summer time
    const team = await makeTeam(t.db, t.deps, 'North IPS team');
    await audit.record(
      t.db,
      t.deps,
      { actorUserId: user.id, actorLabel: user.email, clientAddress: '203.0.113.7', requestId: 'req-1' },
      { action: 'team.renamed', entityType: 'team', entityId: team.id, details: { from: 'Old name' } },
    );

    const res = await browser.get('/admin/audit');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<h1>Audit trail</h1>');
    expect(res.body).toContain('<div class="stepwise-table-wrap">');
    expect(res.body).toContain('1 Jul 2026, 00:30');
    expect(res.body).toContain(`<a href="/admin/audit?actor=${user.id}" title="Show events by this person">${user.email}</a>`);
    expect(res.body).toContain(`<a href="/admin/teams/${team.id}">${team.id}</a>`);
    expect(res.body).toContain('203.0.113.7');
    expect(res.body).toContain('<li>from: Old name</li>');
    const events = table(res.body);
    expect(events.indexOf('team.renamed')).toBeLessThan(events.indexOf('team.created'));
    expect(events.indexOf('team.created')).toBeLessThan(events.indexOf('user.created'));
  });

  it('shows only the kind of event chosen', async () => {
    const { browser } = await signedInAs(t, 'admin');
    const team = await makeTeam(t.db, t.deps);
    const site = await makeSite(t.db, t.deps);

    const all = await browser.get('/admin/audit');
    expect(all.body).toContain(team.id);
    expect(all.body).toContain(site.id);
    expect(all.body).toContain('<option value="site.created">site.created</option>');

    const sitesOnly = await browser.get('/admin/audit?action=site.created');
    expect(sitesOnly.statusCode).toBe(200);
    expect(rowCount(sitesOnly.body)).toBe(1);
    expect(sitesOnly.body).toContain(site.id);
    expect(sitesOnly.body).not.toContain(team.id);
    expect(sitesOnly.body).toContain('<option value="site.created" selected>site.created</option>');
  });

  it('filters by record type and record id', async () => {
    const { browser } = await signedInAs(t, 'admin');
    const first = await makeTeam(t.db, t.deps);
    const second = await makeTeam(t.db, t.deps);
    await makeSite(t.db, t.deps);

    const teamsOnly = await browser.get('/admin/audit?entity_type=team');
    expect(rowCount(teamsOnly.body)).toBe(2);
    expect(teamsOnly.body).toContain(first.id);
    expect(teamsOnly.body).toContain(second.id);

    const one = await browser.get(`/admin/audit?entity_type=&entity_id=${second.id}`);
    expect(rowCount(one.body)).toBe(1);
    expect(one.body).toContain(second.id);
    expect(one.body).not.toContain(first.id);
  });

  it('filters by who, given as an email address, a user id or a recorded label', async () => {
    const { browser, user } = await signedInAs(t, 'admin');
    const me = { actorUserId: user.id, actorLabel: user.email, clientAddress: null, requestId: null };
    await audit.record(t.db, t.deps, me, { action: 'test.mine' });
    await audit.record(t.db, t.deps, SYSTEM_CONTEXT, { action: 'test.system' });

    for (const who of [user.email.toUpperCase(), user.id]) {
      const res = await browser.get(`/admin/audit?actor=${encodeURIComponent(who)}`);
      expect(table(res.body)).toContain('test.mine');
      expect(table(res.body)).not.toContain('test.system');
    }
    const system = await browser.get('/admin/audit?actor=System');
    expect(table(system.body)).toContain('test.system');
    expect(table(system.body)).not.toContain('test.mine');
  });

  it('filters by UK dates, including the whole of the last day', async () => {
    const { browser } = await signedInAs(t, 'admin');
    t.clock.set('2026-06-30T22:30:00Z'); // 23:30 on 30 June, UK time
    await audit.record(t.db, t.deps, SYSTEM_CONTEXT, { action: 'test.june' });
    t.clock.set('2026-06-30T23:30:00Z'); // 00:30 on 1 July
    await audit.record(t.db, t.deps, SYSTEM_CONTEXT, { action: 'test.july_first' });
    t.clock.set('2026-07-02T22:59:00Z'); // 23:59 on 2 July
    await audit.record(t.db, t.deps, SYSTEM_CONTEXT, { action: 'test.july_second' });

    const res = await browser.get('/admin/audit?from=2026-07-01&to=2026-07-02');
    expect(res.statusCode).toBe(200);
    expect(rowCount(res.body)).toBe(2);
    expect(table(res.body)).toContain('test.july_first');
    expect(table(res.body)).toContain('test.july_second');
    expect(table(res.body)).not.toContain('test.june');
    expect(res.body).toContain('value="2026-07-01"');

    const typed = await browser.get('/admin/audit?from=30%2F6%2F2026&to=30%2F6%2F2026');
    expect(rowCount(typed.body)).toBe(1);
    expect(table(typed.body)).toContain('test.june');
  });

  it('explains a date that is not real or a range that runs backwards, next to the field', async () => {
    const { browser } = await signedInAs(t, 'admin');
    const bad = await browser.get('/admin/audit?from=2026-02-30&actor=someone%40example.org');
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('There is a problem');
    expect(fieldError(bad.body, 'from')).toBe('Error: From date must be a real date, like 25/11/2026');
    expect(bad.body).toContain('value="someone@example.org"');
    expect(bad.body).toContain('Correct the filters above to see events.');

    const backwards = await browser.get('/admin/audit?from=2026-07-02&to=2026-07-01');
    expect(backwards.statusCode).toBe(400);
    expect(fieldError(backwards.body, 'to')).toBe('Error: To date must be the same as or after the from date');
  });

  it('refuses a name or a note typed into a filter, so it never reaches the record of the viewing', async () => {
    const { browser } = await signedInAs(t, 'admin');
    const res = await browser.get('/admin/audit?actor=Sam+Okafor&entity_id=Sam+Okafor&action=Sam+Okafor&entity_type=Sam+Okafor');
    expect(res.statusCode).toBe(400);
    expect(fieldError(res.body, 'actor')).toBe(
      'Error: Who must be an email address, a user ID or a label from the trail, like system',
    );
    expect(fieldError(res.body, 'entity_id')).toMatch(/^Error: Record ID must be a record’s ID, like /);
    expect(fieldError(res.body, 'action')).toBe('Error: Action must be one from the list, like team.created');
    expect(fieldError(res.body, 'entity_type')).toBe('Error: Record type must be one from the list, like team');
    expect(res.body).toContain('value="Sam Okafor"');
    expect(await viewsOf()).toHaveLength(0);
    const trail = await audit.listEvents(t.db, {}, 100);
    expect(JSON.stringify(trail.items)).not.toContain('Okafor');

    for (const label of ['system', 'First-run set-up', 'command line (root)']) {
      const ok = await browser.get(`/admin/audit?actor=${encodeURIComponent(label)}`);
      expect(ok.statusCode, label).toBe(200);
    }
  });

  it('says when no events match the filters', async () => {
    const { browser } = await signedInAs(t, 'admin');
    const res = await browser.get('/admin/audit?action=nothing.like.this');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('No events match these filters.');
    expect(rowCount(res.body)).toBe(0);
  });

  it('pages through older events 50 at a time, keeping the filters', async () => {
    const { browser } = await signedInAs(t, 'admin');
    for (let i = 1; i <= 60; i++) {
      await audit.record(t.db, t.deps, SYSTEM_CONTEXT, { action: 'test.bulk', details: { n: `event-${i}-x` } });
    }
    const first = await browser.get('/admin/audit?action=test.bulk');
    expect(rowCount(first.body)).toBe(50);
    expect(first.body).toContain('event-60-x');
    expect(first.body).toContain('event-11-x');
    expect(first.body).not.toContain('event-10-x');
    const older = /href="([^"]+)"[^>]*rel="next"/.exec(first.body)?.[1]?.replace(/&amp;/g, '&');
    expect(older).toMatch(/^\/admin\/audit\?action=test\.bulk&before=\d+$/);
    expect(first.body).toContain('Older events');

    const second = await browser.get(older as string);
    expect(rowCount(second.body)).toBe(10);
    expect(second.body).toContain('event-10-x');
    expect(second.body).toContain('event-1-x');
    expect(second.body).not.toContain('event-11-x');
    expect(second.body).not.toContain('rel="next"');
    expect(second.body).toContain('Newest events');
  });

  it('records each viewing of the trail with the filter used', async () => {
    const { browser, user } = await signedInAs(t, 'admin');
    await browser.get('/admin/audit?action=team.created&entity_type=');
    const [viewed] = await viewsOf();
    expect(viewed).toMatchObject({ actorUserId: user.id, details: { via: 'page', filter: { action: 'team.created' } } });
  });
});

describe('the audit events API', () => {
  it('lists events newest first in snake_case, with the same filters', async () => {
    const { token } = await makeTokenUser(t.db, t.deps, 'admin');
    const team = await makeTeam(t.db, t.deps);
    const site = await makeSite(t.db, t.deps);

    const res = await api('/api/v1/audit-events?action=site.created', token);
    expect(res.status).toBe(200);
    const items = res.body.items as Record<string, unknown>[];
    expect(items).toHaveLength(1);
    expect(Object.keys(items[0] ?? {}).sort()).toEqual(
      [
        'seq',
        'id',
        'occurred_at',
        'actor_user_id',
        'actor_label',
        'action',
        'entity_type',
        'entity_id',
        'client_address',
        'request_id',
        'details',
      ].sort(),
    );
    expect(items[0]).toMatchObject({ action: 'site.created', entity_type: 'site', entity_id: site.id, actor_label: 'system' });
    expect(res.body.next_cursor).toBeNull();

    const byRecord = await api(`/api/v1/audit-events?entity_type=team&entity_id=${team.id}`, token);
    expect((byRecord.body.items as Record<string, unknown>[]).map((i) => i.action)).toEqual(['team.created']);
  });

  it('pages with next_cursor and records one view per request', async () => {
    const { token } = await makeTokenUser(t.db, t.deps, 'admin');
    for (let i = 1; i <= 5; i++) await audit.record(t.db, t.deps, SYSTEM_CONTEXT, { action: 'test.bulk', details: { n: i } });

    const first = await api('/api/v1/audit-events?action=test.bulk&limit=3', token);
    const firstItems = first.body.items as { details: { n: number }; seq: number }[];
    expect(firstItems.map((i) => i.details.n)).toEqual([5, 4, 3]);
    expect(typeof first.body.next_cursor).toBe('string');

    const second = await api(`/api/v1/audit-events?action=test.bulk&limit=3&cursor=${String(first.body.next_cursor)}`, token);
    expect((second.body.items as { details: { n: number } }[]).map((i) => i.details.n)).toEqual([2, 1]);
    expect(second.body.next_cursor).toBeNull();

    const views = await viewsOf();
    expect(views).toHaveLength(2);
    expect(views[1]?.details).toEqual({ via: 'api', filter: { action: 'test.bulk' } });
  });

  it('refuses bad filters with 400 naming the field', async () => {
    const { token } = await makeTokenUser(t.db, t.deps, 'admin');
    const badDate = await api('/api/v1/audit-events?to=yesterday', token);
    expect(badDate.status).toBe(400);
    expect(badDate.body).toMatchObject({ error: { code: 'validation_failed', fields: { to: expect.any(String) as unknown } } });
    const badCursor = await api(`/api/v1/audit-events?cursor=${Buffer.from('abc').toString('base64url')}`, token);
    expect(badCursor.status).toBe(400);
    expect(badCursor.body).toMatchObject({ error: { fields: { cursor: 'Cursor is not valid' } } });
    const named = await api('/api/v1/audit-events?actor=Sam%20Okafor&entity_id=Sam', token);
    expect(named.status).toBe(400);
    expect(named.body).toMatchObject({
      error: { fields: { actor: expect.any(String) as unknown, entity_id: expect.any(String) as unknown } },
    });
    const unknown = await api('/api/v1/audit-events?colour=red', token);
    expect(unknown.status).toBe(400);
    expect(await viewsOf()).toHaveLength(0);
  });
});

describe('who may see the audit trail', () => {
  const others: Role[] = ['manager', 'practitioner', 'clinician', 'commissioner'];

  it.each(others)('refuses a %s with 403', async (role) => {
    const { browser } = await signedInAs(t, role);
    expect((await browser.get('/admin/audit')).statusCode).toBe(403);
    const { token } = await makeTokenUser(t.db, t.deps, role);
    expect((await api('/api/v1/audit-events', token)).status).toBe(403);
    expect(await viewsOf()).toHaveLength(0);
  });
});
