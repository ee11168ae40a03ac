import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import nunjucks from 'nunjucks';
import { ROLE_LABELS, ROLE_SHORT_LABELS } from '../users/roles.ts';
import { navigationFor } from './navigation.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(import.meta.url);
const nhsukDist = path.join(path.dirname(require.resolve('nhsuk-frontend/package.json')), 'dist');

/** The one Nunjucks environment: app views, domain views under src/, and the NHS.UK macros. */
export function createViewEnvironment(options: { watch?: boolean } = {}): nunjucks.Environment {
  const loader = new nunjucks.FileSystemLoader([path.join(root, 'views'), path.join(root, 'src'), nhsukDist], {
    noCache: options.watch ?? false,
  });
  const env = new nunjucks.Environment(loader, { autoescape: true, throwOnUndefined: false });
  // Nunjucks' own `trim` uses /^\s*|\s*$/g, which takes time growing with the square of the
  // length: the NHS.UK table macro trims its whole output, so a report table of a few hundred
  // rows spent a third of a second there. The same result, keeping the text's safeness.
  env.addFilter('trim', (value: string | nunjucks.runtime.SafeString | null | undefined) => {
    const trimmed = (value ?? '').toString().trim();
    return value instanceof nunjucks.runtime.SafeString ? new nunjucks.runtime.SafeString(trimmed) : trimmed;
  });
  env.addFilter('roleShort', (role: string) => ROLE_SHORT_LABELS[role as keyof typeof ROLE_SHORT_LABELS] ?? role);
  env.addFilter('roleLabel', (role: string) => ROLE_LABELS[role as keyof typeof ROLE_LABELS] ?? role);
  env.addFilter('dateTime', (iso: string | null | undefined) => formatDateTime(iso));
  env.addFilter('date', (iso: string | null | undefined) => formatDate(iso));
  env.addFilter('time', (iso: string | null | undefined) => formatTime(iso));
  // Turns an errors map into the NHS.UK error summary's list, linking each message to its field.
  env.addFilter('errorList', (errors: Record<string, string> | undefined) =>
    Object.entries(errors ?? {}).map(([field, text]) => ({ text, href: `#${field}` })),
  );
  // Builds the errorMessage option of an NHS.UK form macro, or nothing when the field is fine.
  env.addFilter('fieldError', (errors: Record<string, string> | undefined, field: string) =>
    errors?.[field] ? { text: errors[field] } : undefined,
  );
  env.addFilter('selectItems', (options: { value: string; text: string }[], selected: unknown) =>
    options.map((o) => ({ ...o, selected: typeof selected === 'string' && selected === o.value })),
  );
  return env;
}

const dateTimeFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});
const timeFormat = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit' });
const dateFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
});

/** "25 Nov 2026, 16:38" in UK time, or an empty string. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : dateTimeFormat.format(d);
}

/** "16:38" in UK time, or an empty string. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : timeFormat.format(d);
}

/** "25 November 2026", or an empty string. */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso.length === 10 ? `${iso}T12:00:00Z` : iso);
  return Number.isNaN(d.getTime()) ? '' : dateFormat.format(d);
}

async function viewsPlugin(app: FastifyInstance, opts: { watch?: boolean }): Promise<void> {
  const env = createViewEnvironment(opts);
  app.decorate('views', env);
  app.decorateReply('render', function render(this: FastifyReply, template: string, context: Record<string, unknown> = {}) {
    const html = env.render(template, { ...pageContext(this.request, this), ...context });
    return this.type('text/html; charset=utf-8').send(html);
  });
}

/** What every page needs: who is signed in, navigation, CSRF token and CSP nonce. */
function pageContext(request: FastifyRequest, reply: FastifyReply): Record<string, unknown> {
  const actor = request.actor;
  const signedIn = actor !== null && !actor.secondFactorPending;
  return {
    serviceName: 'Stepwise',
    actor: signedIn ? actor : null,
    navigation: signedIn ? navigationFor(actor.role, request.url) : [],
    csrfToken: reply.generateCsrf(),
    // A fresh key per rendered form: submitting the same form twice creates one record.
    idempotencyKey: randomUUID(),
    cspNonce: (reply as FastifyReply & { cspNonce?: { script: string } }).cspNonce?.script,
    currentPath: request.url,
    // Admin pages say when reminder emails cannot be sent.
    mailConfigured: request.server.mailConfigured,
  };
}

declare module 'fastify' {
  interface FastifyInstance {
    views: nunjucks.Environment;
  }
}

export const views = fp(viewsPlugin, { name: 'views', dependencies: ['csrf'] });
