import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED } from './arbitraries.ts';
import { type World, buildWorld, formsOn } from './world.ts';

// Text with HTML in it, saved through the forms, comes back escaped on the page (never as markup)
// and unchanged in the API's JSON.

let world: World;
const RUNS = Number(process.env.HOSTILE_ESCAPE_RUNS ?? 8);

/** Markup that must never come back raw, each with a marker to look for. */
const MARKUP = [
  '<script>alert("x")</script>',
  '<img src=x onerror=alert(1)>',
  '"><svg onload=alert(1)>',
  "'><b>bold</b>",
  '</textarea><script>alert(2)</script>',
  '<a href="javascript:alert(3)">link</a>',
  '<iframe src=//evil.example>',
  '<style>body{display:none}</style>',
];

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** A name-like text with markup in the middle. */
const markedText = fc
  .tuple(fc.stringMatching(/^[A-Z][a-z]{1,10}$/), fc.constantFrom(...MARKUP), fc.stringMatching(/^[a-z]{1,10}$/))
  .map(([a, markup, b]) => ({ text: `${a} ${markup} ${b}`, markup }));

beforeAll(async () => {
  world = await buildWorld();
}, 60_000);
afterAll(async () => {
  await world.t.close();
});

/** The fields of the first post form on a page, as a browser would send them unchanged. */
async function formOn(path: string, actionLike: RegExp): Promise<{ action: string; fields: [string, string][] }> {
  const browser = world.browsers.get('manager')!;
  const page = await browser.get(path);
  expect(page.statusCode, path).toBe(200);
  const form = formsOn(page.body).find((f) => actionLike.test(f.action));
  if (!form) throw new Error(`no form on ${path}`);
  return { action: form.action, fields: form.fields.filter(([k]) => k !== '_csrf') };
}

/** Every string anywhere in a JSON value. */
function strings(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.flatMap(strings);
  if (v && typeof v === 'object') return Object.values(v).flatMap(strings);
  return [];
}

interface Case {
  name: string;
  form: () => Promise<{ action: string; fields: [string, string][] }>;
  field: (fields: [string, string][]) => string;
  /** The page that shows the saved text, given the redirect after saving. */
  page: (location: string) => string;
  api: string;
}

const firstText = (fields: [string, string][], prefer: string[]) =>
  prefer.find((p) => fields.some(([k]) => k === p)) ?? fields.find(([k]) => /notes|summary|description|details|goal/.test(k))![0];

const cases = (): Case[] => [
  {
    name: 'participant name',
    form: () => formOn(`/participants/${world.participantId}/edit`, /\/edit$/),
    field: () => 'given_name',
    page: () => `/participants/${world.participantId}`,
    api: `/api/v1/participants/${world.participantId}`,
  },
  {
    name: 'contact notes',
    form: () => formOn(`/participants/${world.participantId}/contacts/new`, /\/contacts$/),
    field: () => 'notes',
    page: (location) => location.split('?')[0]!,
    api: `/api/v1/participants/${world.participantId}/contacts?limit=200`,
  },
  {
    name: 'profile fields',
    form: () => formOn(`/participants/${world.participantId}/profile/edit`, /\/profile$/),
    field: (fields) => firstText(fields, ['work_goal', 'goal', 'job_goal', 'strengths']),
    page: () => `/participants/${world.participantId}/profile`,
    api: `/api/v1/participants/${world.participantId}/profile`,
  },
  {
    name: 'employer name',
    form: () => formOn(`/employers/${world.employerId}/edit`, /\/edit$/),
    field: () => 'name',
    page: () => `/employers/${world.employerId}`,
    api: `/api/v1/employers/${world.employerId}`,
  },
];

describe('stored text comes back escaped', () => {
  for (const c of ['participant name', 'contact notes', 'profile fields', 'employer name']) {
    it(`${c}: the page shows it escaped, the API returns it as sent`, async () => {
      const spec = cases().find((x) => x.name === c)!;
      const browser = world.browsers.get('manager')!;
      const token = world.tokens.get('manager')!;
      let saved = 0;
      await fc.assert(
        fc.asyncProperty(markedText, async ({ text, markup }) => {
          const { action, fields } = await spec.form();
          const field = spec.field(fields);
          const body = fields.map(([k, v]) => [k, k === field ? text : v] as [string, string]);
          if (!body.some(([k]) => k === field)) body.push([field, text]);
          const res = await world.t.app.inject({
            method: 'POST',
            url: action,
            cookies: browser.cookies,
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            payload: new URLSearchParams([['_csrf', browser.csrf], ...body]).toString(),
          });
          // Saved or refused, the answer never carries the markup raw.
          expect(res.body).not.toContain(markup);
          expect(
            res.statusCode,
            `${field}: ${(/nhsuk-error-summary__list">([\s\S]*?)<\/ul>/.exec(res.body)?.[1] ?? '').replace(/\s+/g, ' ')}`,
          ).toBe(302);
          saved++;
          const page = await browser.get(spec.page(String(res.headers.location)));
          expect(page.statusCode).toBe(200);
          expect(page.body).not.toContain(markup);
          expect(page.body).toContain(escapeHtml(markup));
          const api = await world.t.app.inject({ method: 'GET', url: spec.api, headers: { authorization: `Bearer ${token}` } });
          expect(api.statusCode).toBe(200);
          expect(strings(api.json())).toContain(text);
        }),
        { numRuns: RUNS, seed: SEED, endOnFailure: true },
      );
      expect(saved).toBe(RUNS);
    });
  }
});
