import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { isRecordId } from '../db/records.ts';
import { ValidationError } from '../errors.ts';
import { ListQuerySchema, decodeCursor, listBody } from '../http/api.ts';
import { auditContext } from '../http/audit-context.ts';
import { parseInput } from '../http/validate.ts';
import * as users from '../users/service.ts';
import * as audit from './service.ts';

const PAGE_SIZE = 50;
const PAGE_MESSAGE = 'This page of events does not exist. Start again from the newest events';

// Query strings send '' for a field left empty; that means "any".
const blankIsAbsent = (v: unknown) => (v === '' ? undefined : v);

const text = (label: string, max: number) =>
  z.preprocess(
    blankIsAbsent,
    z
      .string({ error: `${label} must be text` })
      .trim()
      .max(max, `${label} must be ${max} characters or fewer`)
      .optional()
      .transform((v) => v || undefined),
  );

/** `YYYY-MM-DD` (what a date field sends) or `DD/MM/YYYY` (typed where the browser has no date picker). */
function isoDate(value: string): string | undefined {
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(value) ?? /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(value);
  if (!m) return undefined;
  const [y, mo, d] = value.includes('/') ? [m[3], m[2], m[1]] : [m[1], m[2], m[3]];
  const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (date.getUTCFullYear() !== Number(y) || date.getUTCMonth() !== Number(mo) - 1 || date.getUTCDate() !== Number(d))
    return undefined;
  return date.toISOString().slice(0, 10);
}

const calendarDate = (label: string) =>
  text(label, 20).transform((v, ctx) => {
    if (v === undefined) return undefined;
    const iso = isoDate(v);
    if (!iso) {
      ctx.addIssue({ code: 'custom', message: `${label} must be a real date, like 25/11/2026` });
      return z.NEVER;
    }
    return iso;
  });

/**
 * A filter narrowed to the shape its values take, because the viewing is itself recorded with
 * its filter: a name or a note typed into a box would otherwise be kept in the trail for good,
 * out of reach of an erasure.
 */
const shaped = (label: string, max: number, test: (v: string) => boolean, message: string) =>
  text(label, max).refine((v) => v === undefined || test(v), message);

const AUDIT_ACTION = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;
const AUDIT_ENTITY_TYPE = /^[a-z][a-z0-9_]*$/;
const EMAIL = /^[^\s@]+@[^\s@]+$/;

const filterShape = {
  action: shaped('Action', 100, (v) => AUDIT_ACTION.test(v), 'Action must be one from the list, like team.created').describe(
    'Exactly this action, for example `team.created`',
  ),
  actor: shaped(
    'Who',
    254,
    (v) => isRecordId(v) || EMAIL.test(v) || audit.isSystemLabel(v),
    'Who must be an email address, a user ID or a label from the trail, like system',
  ).describe('A user id, an account’s email address, or a recorded label such as `system`'),
  entity_type: shaped(
    'Record type',
    50,
    (v) => AUDIT_ENTITY_TYPE.test(v),
    'Record type must be one from the list, like team',
  ).describe('The kind of record, for example `team`'),
  entity_id: shaped(
    'Record ID',
    100,
    isRecordId,
    'Record ID must be a record’s ID, like 0b7e4e2c-5f0a-4c1e-9d6a-2f3b8c9d0e1f',
  ).describe('A record’s id (a UUID)'),
  from: calendarDate('From date').describe('First UK calendar day, `YYYY-MM-DD`'),
  to: calendarDate('To date').describe('Last UK calendar day, included, `YYYY-MM-DD`'),
};

type FilterQuery = { [K in keyof typeof filterShape]: z.output<(typeof filterShape)[K]> };

const datesInOrder = (q: FilterQuery) => !q.from || !q.to || q.from <= q.to;
const datesMessage = { message: 'To date must be the same as or after the from date', path: ['to'] };

/** The audit browser's query string: the filters and `before`, the paging position. */
const AuditPageQuerySchema = z
  .object({
    ...filterShape,
    before: z.preprocess(
      blankIsAbsent,
      z.coerce.number({ error: PAGE_MESSAGE }).int(PAGE_MESSAGE).min(1, PAGE_MESSAGE).optional(),
    ),
  })
  .refine(datesInOrder, datesMessage);

/** `GET /api/v1/audit-events`: the same filters with `limit` and `cursor`. */
const AuditApiQuerySchema = z.strictObject({ ...ListQuerySchema.shape, ...filterShape }).refine(datesInOrder, datesMessage);

/** An audit event as the API returns it. */
const AuditEventJsonSchema = z.object({
  seq: z.number().int().describe('Position in the chain; newer events have higher numbers'),
  id: z.string().describe('Event id (a UUID)'),
  occurred_at: z.string().describe('ISO-8601 instant'),
  actor_user_id: z.string().nullable().describe('Who acted, or null for the system or an unknown email'),
  actor_label: z.string().nullable().describe('Their email address at the time, or "system"'),
  action: z.string().describe('What happened, for example `team.created`'),
  entity_type: z.string().nullable().describe('The kind of record, for example `team`'),
  entity_id: z.string().nullable(),
  client_address: z.string().nullable().describe('The IP address the request came from'),
  request_id: z.string().nullable(),
  details: z.record(z.string(), z.unknown()).nullable().describe('Ids, field names and outcomes; never secrets or notes'),
});

const AuditEventListJsonSchema = z.object({
  items: z.array(AuditEventJsonSchema),
  next_cursor: z.string().nullable().describe('Pass as `cursor` for older events; null on the last page'),
});

// Where the record an event names can be seen, for the record types that have an admin page.
const RECORD_PAGES: Readonly<Record<string, string>> = { team: '/admin/teams', site: '/admin/sites', user: '/admin/users' };

function recordHref(e: audit.AuditEvent): string | undefined {
  const page = e.entityType ? RECORD_PAGES[e.entityType] : undefined;
  return page && isRecordId(e.entityId) ? `${page}/${e.entityId}` : undefined;
}

/** The filter as recorded in `audit.viewed`: only what was set. */
function filterDetails(q: FilterQuery): Record<string, string> {
  return Object.fromEntries(Object.entries(q).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

function queryString(q: FilterQuery, extra: Record<string, string> = {}): string {
  const s = new URLSearchParams({ ...filterDetails(q), ...extra }).toString();
  return s ? `?${s}` : '';
}

/** The audit trail browser and `/api/v1/audit-events` (admin only, see access-rules.ts). */
export async function auditRoutes(app: FastifyInstance): Promise<void> {
  const { db, deps } = app;

  /** Turns the query into the service's filter: "who" is a user id, an account's email, or a recorded label. */
  const toFilter = async (q: FilterQuery): Promise<audit.AuditFilter> => {
    const filter: audit.AuditFilter = {
      ...(q.action ? { action: q.action } : {}),
      ...(q.entity_type ? { entityType: q.entity_type } : {}),
      ...(q.entity_id ? { entityId: q.entity_id } : {}),
      ...audit.ukDayRange(q.from, q.to),
    };
    const actor = q.actor?.toLowerCase();
    if (actor) {
      const byId: boolean = isRecordId(actor);
      const user = byId ? undefined : await users.findByEmail(db, actor);
      if (byId) filter.actorUserId = actor;
      else if (user) filter.actorUserId = user.id;
      else filter.actorLabel = actor;
    }
    return filter;
  };

  app.get('/admin/audit', async (request, reply) => {
    const raw = (request.query ?? {}) as Record<string, unknown>;
    const [actions, entityTypes] = await Promise.all([audit.distinctActions(db), audit.distinctEntityTypes(db)]);
    const base = {
      title: 'Audit trail',
      columnWidth: 'full',
      actionItems: [{ value: '', text: 'Any action' }, ...actions.map((a) => ({ value: a, text: a }))],
      entityTypeItems: [{ value: '', text: 'Any type' }, ...entityTypes.map((t) => ({ value: t, text: t }))],
      values: raw,
    };
    let query: z.output<typeof AuditPageQuerySchema>;
    try {
      query = parseInput(AuditPageQuerySchema, raw);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return reply.status(400).render('audit/views/list.njk', { ...base, errors: err.fields, events: [], invalid: true });
    }
    const { before, ...filterQuery } = query;
    const filter = await toFilter(filterQuery);
    const page = await audit.listEvents(db, { ...filter, ...(before ? { beforeSeq: before } : {}) }, PAGE_SIZE);
    await audit.record(db, deps, auditContext(request), {
      action: 'audit.viewed',
      details: { via: 'page', filter: filterDetails(filterQuery), ...(before ? { before } : {}) },
    });
    const events = page.items.map((e) => ({
      ...e,
      recordHref: recordHref(e),
      details: Object.entries(e.details ?? {}).map(([key, value]) => ({
        key,
        value: typeof value === 'string' ? value : JSON.stringify(value),
      })),
    }));
    return reply.render('audit/views/list.njk', {
      ...base,
      events,
      filtered: Object.keys(filterDetails(filterQuery)).length > 0,
      olderHref: page.nextBeforeSeq
        ? `/admin/audit${queryString(filterQuery, { before: String(page.nextBeforeSeq) })}`
        : undefined,
      newestHref: before ? `/admin/audit${queryString(filterQuery)}` : undefined,
    });
  });

  const listDoc = {
    summary:
      'Audit events, newest first, filtered by action, actor (email or user id), record and UK dates (the read is audited)',
    tag: 'audit',
    query: AuditApiQuerySchema,
    response: AuditEventListJsonSchema,
  };
  app.get('/api/v1/audit-events', { config: { api: listDoc } }, async (request) => {
    const { limit, cursor, ...filterQuery } = parseInput(AuditApiQuerySchema, request.query);
    const key = decodeCursor(cursor);
    const before = key === undefined ? undefined : Number(key);
    if (before !== undefined && !(Number.isInteger(before) && before > 0))
      throw new ValidationError({ cursor: 'Cursor is not valid' });
    const filter = await toFilter(filterQuery);
    const page = await audit.listEvents(db, { ...filter, ...(before ? { beforeSeq: before } : {}) }, limit);
    await audit.record(db, deps, auditContext(request), {
      action: 'audit.viewed',
      details: { via: 'api', filter: filterDetails(filterQuery), ...(before ? { before } : {}) },
    });
    return listBody(page.items.map(audit.auditEventJson), page.nextBeforeSeq === null ? null : String(page.nextBeforeSeq));
  });
}
