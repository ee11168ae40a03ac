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

/** The form as it comes back with nothing changed. */
const DEFAULT_FORM = {
  require_second_factor: 'no',
  caseload_limit: '20',
  first_contact_target_days: '7',
  no_contact_alert_days: '14',
  job_search_employer_contact_days: '30',
  support_review_days: '28',
  employer_face_to_face_target: '6',
  mastery_sessions: '3',
  support_review_months: '9',
  atw_renewal_weeks: '12',
  atw_claim_limit_months: '9',
  disclosure_threshold: '5',
};

/** The error message shown beside a form field, or undefined when there is none. */
function fieldError(html: string, field: string): string | undefined {
  const m = new RegExp(`id="${field}-error"[^>]*>([\\s\\S]*?)</span>\\s*</?[a-z]`).exec(html);
  return m?.[1]
    ?.replace(/<[^>]+>/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

describe('the settings page', () => {
  it('shows the current settings: no second factor required, a caseload limit of 20, first contact within 7 days', async () => {
    const { browser } = await signedInAs(t, 'admin');
    const res = await browser.get('/admin/settings');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Require a second factor for everyone?');
    expect(res.body).toMatch(
      /<input class="nhsuk-radios__input" id="require_second_factor-2" name="require_second_factor" type="radio" value="no" checked/,
    );
    expect(res.body).toContain('Caseload limit');
    expect(res.body).toMatch(/id="caseload_limit" name="caseload_limit" type="text" value="20"/);
    expect(res.body).toContain('First contact target');
    expect(res.body).toMatch(/id="first_contact_target_days" name="first_contact_target_days" type="text" value="7"/);
  });

  it('saves the change, confirms it, keeps it and audits each changed setting with its old and new value', async () => {
    const { browser, user } = await signedInAs(t, 'admin');
    await browser.get('/admin/settings');
    const res = await browser.post('/admin/settings', { ...DEFAULT_FORM, require_second_factor: 'yes', caseload_limit: '25' });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/admin/settings?done=saved');

    const page = await browser.get(res.headers.location as string);
    expect(page.body).toContain('Settings saved');
    expect(page.body).toMatch(/type="radio" value="yes" checked/);
    expect(page.body).toMatch(/name="caseload_limit" type="text" value="25"/);
    expect(await settings.getSettings(t.db)).toEqual({
      ...settings.DEFAULT_SETTINGS,
      requireSecondFactor: true,
      caseloadLimit: 25,
      firstContactTargetDays: 7,
    });
    const [event] = await settingsEvents();
    expect(event).toMatchObject({
      actorUserId: user.id,
      details: { require_second_factor: { from: false, to: true }, caseload_limit: { from: 20, to: 25 } },
    });
    expect(event?.details).not.toHaveProperty('first_contact_target_days');

    await browser.post('/admin/settings', { ...DEFAULT_FORM, first_contact_target_days: ' 10 ' });
    expect(await settings.getSettings(t.db)).toEqual({
      ...settings.DEFAULT_SETTINGS,
      requireSecondFactor: false,
      caseloadLimit: 20,
      firstContactTargetDays: 10,
    });
    expect(await settingsEvents()).toHaveLength(2);
  });

  it('does not audit a save that changes nothing', async () => {
    const { browser } = await signedInAs(t, 'admin');
    await browser.get('/admin/settings');
    expect((await browser.post('/admin/settings', DEFAULT_FORM)).statusCode).toBe(302);
    expect(await settingsEvents()).toHaveLength(0);
  });

  it('asks for every answer that is missing', async () => {
    const { browser } = await signedInAs(t, 'admin');
    await browser.get('/admin/settings');
    const res = await browser.post('/admin/settings', {});
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('There is a problem');
    expect(res.body).toContain('Select yes if everyone must use a second factor');
    expect(fieldError(res.body, 'caseload_limit')).toBe('Error: Enter the caseload limit');
    expect(fieldError(res.body, 'first_contact_target_days')).toBe('Error: Enter the first contact target');
    expect(fieldError(res.body, 'no_contact_alert_days')).toBe('Error: Enter the no contact alert');
  });

  it.each([
    ['caseload_limit', '0', 'Caseload limit must be between 1 and 200'],
    ['caseload_limit', '201', 'Caseload limit must be between 1 and 200'],
    ['caseload_limit', '20.5', 'Caseload limit must be a whole number, like 20'],
    ['caseload_limit', 'twenty', 'Caseload limit must be a whole number, like 20'],
    ['first_contact_target_days', '91', 'First contact target must be between 1 and 90'],
    ['first_contact_target_days', '-3', 'First contact target must be between 1 and 90'],
    ['job_search_employer_contact_days', '0', 'Employer contact in job search must be between 1 and 365'],
    ['employer_face_to_face_target', '51', 'Face-to-face employer contact target must be between 1 and 50'],
    ['employer_face_to_face_target', '0', 'Face-to-face employer contact target must be between 1 and 50'],
    ['employer_face_to_face_target', '6.5', 'Face-to-face employer contact target must be a whole number, like 6'],
  ])('refuses %s of %s and keeps what was typed', async (field, value, message) => {
    const { browser } = await signedInAs(t, 'admin');
    await browser.get('/admin/settings');
    const res = await browser.post('/admin/settings', { ...DEFAULT_FORM, require_second_factor: 'yes', [field]: value });
    expect(res.statusCode).toBe(400);
    expect(fieldError(res.body, field)).toBe(`Error: ${message}`);
    expect(res.body).toContain(`value="${value}"`);
    expect(res.body).toMatch(/type="radio" value="yes" checked/);
    expect(await settings.getSettings(t.db)).toEqual(settings.DEFAULT_SETTINGS);
    expect(await settingsEvents()).toHaveLength(0);
  });
});

describe('who may change settings', () => {
  const others: Role[] = ['manager', 'practitioner', 'clinician', 'commissioner'];

  it.each(others)('refuses a %s with 403', async (role) => {
    const { browser } = await signedInAs(t, role);
    expect((await browser.get('/admin/settings')).statusCode).toBe(403);
    expect((await browser.post('/admin/settings', { ...DEFAULT_FORM, require_second_factor: 'yes' })).statusCode).toBe(403);
    expect(await settings.getSettings(t.db)).toEqual(settings.DEFAULT_SETTINGS);
  });
});

describe('caseload alert settings', () => {
  it('shows the alert thresholds with their defaults and saves a change', async () => {
    const { browser } = await signedInAs(t, 'admin');
    const page = await browser.get('/admin/settings');
    expect(page.body).toMatch(/name="no_contact_alert_days" type="text" value="14"/);
    expect(page.body).toMatch(/name="job_search_employer_contact_days" type="text" value="30"/);
    expect(page.body).toMatch(/name="support_review_days" type="text" value="28"/);
    const res = await browser.post('/admin/settings', {
      ...DEFAULT_FORM,
      no_contact_alert_days: '10',
      support_review_days: '21',
    });
    expect(res.statusCode).toBe(302);
    expect(await settings.getSettings(t.db)).toMatchObject({
      noContactAlertDays: 10,
      jobSearchEmployerContactDays: 30,
      supportReviewDays: 21,
    });
  });
});

describe('employer contact target', () => {
  it('shows the weekly face-to-face employer contact target, 6 by default, and saves a change with an audit', async () => {
    const { browser } = await signedInAs(t, 'admin');
    const page = await browser.get('/admin/settings');
    expect(page.body).toContain('Face-to-face employer contacts a week, per practitioner');
    expect(page.body).toMatch(/name="employer_face_to_face_target" type="text" value="6"/);
    const res = await browser.post('/admin/settings', { ...DEFAULT_FORM, employer_face_to_face_target: '8' });
    expect(res.statusCode).toBe(302);
    expect((await settings.getSettings(t.db)).employerFaceToFaceTarget).toBe(8);
    expect((await browser.get('/admin/settings')).body).toMatch(/name="employer_face_to_face_target" type="text" value="8"/);
    const [event] = await settingsEvents();
    expect(event?.details).toEqual({ employer_face_to_face_target: { from: 6, to: 8 } });
  });
});

describe('email reminders notice', () => {
  it('tells the administrator when no mail server is set, so no digest is sent', async () => {
    const t2 = await createTestApp();
    try {
      const { browser } = await signedInAs(t2, 'admin');
      const page = await browser.get('/admin/settings');
      expect(page.body).toContain('Email reminders are not being sent');
      expect(page.body).toContain('SMTP_URL');
    } finally {
      await t2.close();
    }
  });
});

describe('task mastery setting', () => {
  it('shows 3 sessions in a row by default under in-work support, saves a change and refuses 11', async () => {
    const { browser } = await signedInAs(t, 'admin');
    const page = await browser.get('/admin/settings');
    expect(page.body).toContain('In-work support');
    expect(page.body).toMatch(/name="mastery_sessions" type="text" value="3"/);
    expect((await browser.post('/admin/settings', { ...DEFAULT_FORM, mastery_sessions: '5' })).statusCode).toBe(302);
    expect((await settings.getSettings(t.db)).masterySessions).toBe(5);
    const bad = await browser.post('/admin/settings', { ...DEFAULT_FORM, mastery_sessions: '11' });
    expect(bad.statusCode).toBe(400);
    expect(fieldError(bad.body, 'mastery_sessions')).toContain('Sessions to master a task must be between 1 and 10');
  });
});

describe('support review setting', () => {
  it('shows 9 months by default under in-work support, saves a change and refuses 37', async () => {
    const { browser } = await signedInAs(t, 'admin');
    const page = await browser.get('/admin/settings');
    expect(page.body).toMatch(/name="support_review_months" type="text" value="9"/);
    expect((await browser.post('/admin/settings', { ...DEFAULT_FORM, support_review_months: '6' })).statusCode).toBe(302);
    expect((await settings.getSettings(t.db)).supportReviewMonths).toBe(6);
    const bad = await browser.post('/admin/settings', { ...DEFAULT_FORM, support_review_months: '37' });
    expect(bad.statusCode).toBe(400);
    expect(fieldError(bad.body, 'support_review_months')).toContain('First support review must be between 1 and 36');
  });
});

describe('Access to Work settings', () => {
  it('shows a 12-week renewal alert and a 9-month claim limit by default, and saves a change with an audit', async () => {
    const { browser } = await signedInAs(t, 'admin');
    const page = await browser.get('/admin/settings');
    expect(page.body).toContain('Access to Work');
    expect(page.body).toMatch(/name="atw_renewal_weeks" type="text" value="12"/);
    expect(page.body).toMatch(/name="atw_claim_limit_months" type="text" value="9"/);
    const res = await browser.post('/admin/settings', { ...DEFAULT_FORM, atw_renewal_weeks: '16', atw_claim_limit_months: '6' });
    expect(res.statusCode).toBe(302);
    expect(await settings.getSettings(t.db)).toMatchObject({ atwRenewalWeeks: 16, atwClaimLimitMonths: 6 });
    const again = await browser.get('/admin/settings');
    expect(again.body).toMatch(/name="atw_renewal_weeks" type="text" value="16"/);
    expect(again.body).toMatch(/name="atw_claim_limit_months" type="text" value="6"/);
    const [event] = await settingsEvents();
    expect(event?.details).toEqual({ atw_renewal_weeks: { from: 12, to: 16 }, atw_claim_limit_months: { from: 9, to: 6 } });
  });

  it.each([
    ['atw_renewal_weeks', '0', 'Renewal alert must be between 1 and 26'],
    ['atw_renewal_weeks', '27', 'Renewal alert must be between 1 and 26'],
    ['atw_renewal_weeks', '', 'Enter the renewal alert'],
    ['atw_claim_limit_months', '25', 'Claim limit must be between 1 and 24'],
    ['atw_claim_limit_months', '0', 'Claim limit must be between 1 and 24'],
    ['atw_claim_limit_months', '8.5', 'Claim limit must be a whole number, like 9'],
    ['disclosure_threshold', '1', 'Disclosure threshold must be between 2 and 20'],
    ['disclosure_threshold', '21', 'Disclosure threshold must be between 2 and 20'],
  ])('refuses %s of "%s" and keeps what was typed', async (field, value, message) => {
    const { browser } = await signedInAs(t, 'admin');
    await browser.get('/admin/settings');
    const res = await browser.post('/admin/settings', { ...DEFAULT_FORM, caseload_limit: '30', [field]: value });
    expect(res.statusCode).toBe(400);
    expect(fieldError(res.body, field)).toBe(`Error: ${message}`);
    expect(res.body).toMatch(/name="caseload_limit" type="text" value="30"/);
    expect(res.body).toMatch(new RegExp(`name="${field}" type="text" value="${value}"`));
    expect(await settings.getSettings(t.db)).toEqual(settings.DEFAULT_SETTINGS);
  });
});
