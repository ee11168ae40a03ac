// Every form a signed-in person posts carries an idempotency key, so a double click, a resubmitted
// page or a retry after a dropped connection makes one change (src/http/idempotency.ts). Read from
// the templates themselves, so a new form without one fails here.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');

// Forms posted before there is a signed-in person to hold a key (the key is kept per person),
// and signing out, which is the same however often it is sent.
const WITHOUT_KEY: Record<string, string> = {
  '/sign-in': 'no one is signed in yet',
  '/sign-in/second-factor': 'sign-in is not finished',
  '/setup?token={{ token | urlencode }}': 'first-run set-up: no account exists yet',
  '/sign-out': 'the same however often it is sent',
};

function templates(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : templates(full);
    return e.name.endsWith('.njk') ? [full] : [];
  });
}

const forms = [...templates(path.join(ROOT, 'src')), ...templates(path.join(ROOT, 'views'))].flatMap((file) => {
  const source = readFileSync(file, 'utf8');
  return [...source.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)]
    .filter((m) => /method="post"/i.test(m[1]!))
    .map((m) => ({
      file: path.relative(ROOT, file),
      action: /action="([^"]*)"/.exec(m[1]!)?.[1] ?? '(no action)',
      body: m[2]!,
    }));
});

describe('forms', () => {
  it('finds the forms to check', () => {
    expect(forms.length).toBeGreaterThan(50);
  });

  it('every form posted by a signed-in person carries an idempotency key', () => {
    const missing = forms
      .filter((f) => !(f.action in WITHOUT_KEY))
      .filter((f) => !f.body.includes('name="_idempotency_key"'))
      .map((f) => `${f.file}: ${f.action}`);
    expect(missing).toEqual([]);
  });

  it('the forms let off a key are still there, so the list stays honest', () => {
    const actions = new Set(forms.map((f) => f.action));
    for (const action of Object.keys(WITHOUT_KEY)) expect(actions, action).toContain(action);
  });
});
