import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import * as auth from '../auth/service.ts';
import { isRecordId } from '../db/records.ts';
import { ConflictError, NotFoundError, RuleError, ValidationError } from '../errors.ts';
import { decodeCursor, encodeCursor, listBody, recordIdParam } from '../http/api.ts';
import { auditContext } from '../http/audit-context.ts';
import { parseInput } from '../http/validate.ts';
import * as teams from '../teams/service.ts';
import { ROLES, ROLE_LABELS } from './roles.ts';
import {
  UserCreateFormSchema,
  UserCreateSchema,
  UserEditFormSchema,
  UserJsonSchema,
  UserListJsonSchema,
  UserListQuerySchema,
  type UserListQuery,
  UserPasswordSchema,
  UserUpdateSchema,
} from './schema.ts';
import * as users from './service.ts';

const LIST = 'users/views/list.njk';
const NEW = 'users/views/new.njk';
const USER = 'users/views/user.njk';
const CONFIRM = 'users/views/confirm.njk';

const DONE_MESSAGES: Record<string, string> = {
  created: 'User added. Give them their initial password in a safe way and ask them to sign in',
  updated: 'Changes saved',
  deactivated: 'Account deactivated. They have been signed out and their API tokens no longer work',
  reactivated: 'Account reactivated. They can sign in again',
  'second-factor-reset': 'Second factor reset. They have been signed out',
  'password-reset': 'Password changed. They have been signed out. Give them the new password in a safe way',
};

const STATUS_ITEMS = [
  { value: 'active', text: 'Active' },
  { value: 'inactive', text: 'Deactivated' },
  { value: 'all', text: 'Active and deactivated' },
];

const roleItems = ROLES.map((r) => ({ value: r, text: ROLE_LABELS[r] }));

/** The list filter for a parsed query; pages show active users unless asked, the API all of them. */
function listFilter(query: UserListQuery, defaultStatus: 'active' | 'all'): users.UserListFilter {
  const status = query.status || defaultStatus;
  const filter: users.UserListFilter = {};
  if (query.q) filter.search = query.q;
  if (query.role) filter.role = query.role;
  if (query.team_id) filter.teamId = query.team_id;
  if (status !== 'all') filter.active = status === 'active';
  return filter;
}

/** `/admin/users?...` keeping the current search and filters. */
function listHref(query: Partial<UserListQuery>, cursor?: string | null): string {
  const params = new URLSearchParams();
  if (query.q) params.set('q', query.q);
  if (query.role) params.set('role', query.role);
  if (query.team_id) params.set('team_id', query.team_id);
  if (query.status) params.set('status', query.status);
  if (query.limit && query.limit !== 50) params.set('limit', String(query.limit));
  if (cursor) params.set('cursor', cursor);
  const qs = params.toString();
  return qs ? `/admin/users?${qs}` : '/admin/users';
}

/** The record id in a page's path; a malformed one is simply a page that does not exist. */
function pageId(request: FastifyRequest): string {
  const id = (request.params as Record<string, unknown>).id;
  if (!isRecordId(id)) throw new NotFoundError('User not found');
  return id;
}

function confirmed(body: unknown): boolean {
  return (body as Record<string, unknown> | undefined)?.confirm === 'yes';
}

/** What a form posted, minus the fields never sent back into a page. */
function typedValues(body: unknown): Record<string, unknown> {
  const entries = Object.entries((body ?? {}) as Record<string, unknown>);
  return Object.fromEntries(entries.filter(([k]) => k !== '_csrf' && k !== 'password'));
}

/** User administration pages and the `users` and `me` API. */
export async function userRoutes(app: FastifyInstance): Promise<void> {
  const { db, deps } = app;

  const teamItems = async () => (await teams.listTeams(db)).map((t) => ({ value: t.id, text: t.name }));

  const editValues = (u: users.User) => ({ name: u.name, role: u.role, team_id: u.teamId ?? '', version: String(u.version) });

  /** Everything the user details page needs except the form values. */
  const userPageContext = async (id: string) => {
    const user = await users.getUser(db, id);
    const teamList = await teamItems();
    return {
      title: user.name,
      backHref: '/admin/users',
      user,
      teamName: teamList.find((t) => t.value === user.teamId)?.text ?? null,
      teamItems: [{ value: '', text: 'No team' }, ...teamList],
      roleItems,
      current: editValues(user),
    };
  };

  const newUserContext = async () => ({
    title: 'Add a user',
    backHref: '/admin/users',
    teamItems: [{ value: '', text: 'No team' }, ...(await teamItems())],
    roleItems,
  });

  /** Re-shows the details page with a refusal (a rule or a conflict) and what was typed. */
  const refuse = async (reply: FastifyReply, id: string, status: number, errors: Record<string, string>, extra = {}) =>
    reply.status(status).render(USER, { ...(await userPageContext(id)), ...extra, errors });

  // ---- Pages ---------------------------------------------------------------------------------

  app.get('/admin/users', async (request, reply) => {
    let query: UserListQuery;
    let cursor: string | undefined;
    let errors: Record<string, string> | undefined;
    try {
      query = parseInput(UserListQuerySchema, request.query);
      cursor = decodeCursor(query.cursor);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      // A bad link or hand-edited address: say what is wrong and show the first page unfiltered.
      errors = err.fields;
      query = { limit: 50 };
    }
    const page = await users.listUsers(db, listFilter(query, 'active'), query.limit, cursor);
    const next = encodeCursor(page.nextCursor);
    const filtered = Boolean(query.q || query.role || query.team_id || (query.status && query.status !== 'active'));
    return reply.render(LIST, {
      title: 'Users',
      columnWidth: 'full',
      users: page.items,
      values: errors ? request.query : { ...query, status: query.status || 'active' },
      errors,
      filtered,
      teamItems: [{ value: '', text: 'Any team' }, ...(await teamItems())],
      roleItems: [{ value: '', text: 'Any role' }, ...roleItems],
      statusItems: STATUS_ITEMS,
      nextHref: next ? listHref(query, next) : null,
      firstHref: cursor ? listHref(query) : null,
    });
  });

  app.get('/admin/users/new', async (_request, reply) => reply.render(NEW, { ...(await newUserContext()), values: {} }));

  app.post('/admin/users', { config: { form: { template: NEW, context: newUserContext } } }, async (request, reply) => {
    const input = parseInput(UserCreateFormSchema, request.body);
    // The account and its audit event commit together, or not at all.
    const user = await db.transaction().execute((trx) =>
      users.createUser(trx, deps, auditContext(request), {
        email: input.email,
        name: input.name,
        role: input.role,
        teamId: input.team_id ?? null,
        password: input.password,
      }),
    );
    return reply.redirect(`/admin/users/${user.id}?done=created`);
  });

  app.get('/admin/users/:id', async (request, reply) => {
    const id = pageId(request);
    await users.viewUser(db, deps, auditContext(request), id);
    const done = (request.query as Record<string, unknown>).done;
    const context = await userPageContext(id);
    return reply.render(USER, {
      ...context,
      flash: typeof done === 'string' ? DONE_MESSAGES[done] : undefined,
      values: context.current,
    });
  });

  app.post(
    '/admin/users/:id',
    { config: { form: { template: USER, context: (r) => userPageContext(pageId(r)) } } },
    async (request, reply) => {
      const id = pageId(request);
      const input = parseInput(UserEditFormSchema, request.body);
      try {
        await db.transaction().execute((trx) =>
          users.updateUser(trx, deps, auditContext(request), id, input.version, {
            name: input.name,
            role: input.role,
            teamId: input.team_id ?? null,
          }),
        );
      } catch (err) {
        if (err instanceof ConflictError) {
          // Keep what they typed in the form, show what is saved now beside it, and let a
          // second save (now against the current version) go through.
          const context = await userPageContext(id);
          return reply.status(409).render(USER, {
            ...context,
            conflict: true,
            values: { ...typedValues(request.body), version: context.current.version },
            errors: { 'edit-details': err.message },
          });
        }
        if (err instanceof RuleError) {
          return refuse(reply, id, 422, { role: err.message }, { values: typedValues(request.body) });
        }
        throw err;
      }
      return reply.redirect(`/admin/users/${id}?done=updated`);
    },
  );

  app.post('/admin/users/:id/deactivate', async (request, reply) => {
    const id = pageId(request);
    const user = await users.getUser(db, id);
    if (!user.active) return reply.redirect(`/admin/users/${id}`);
    if (!confirmed(request.body)) {
      return reply.render(CONFIRM, {
        title: `Are you sure you want to deactivate ${user.name}?`,
        backHref: `/admin/users/${id}`,
        user,
        action: `/admin/users/${id}/deactivate`,
        explanation: 'They will be signed out at once and their API tokens stop working. You can reactivate the account later.',
        confirmText: `Yes, deactivate ${user.name}`,
        warning: true,
      });
    }
    try {
      await db.transaction().execute(async (trx) => {
        await users.updateUser(trx, deps, auditContext(request), id, user.version, { active: false });
        await auth.endSessionsOf(trx, id);
      });
    } catch (err) {
      if (err instanceof RuleError) return refuse(reply, id, 422, { deactivate: err.message }, { values: editValues(user) });
      throw err;
    }
    return reply.redirect(`/admin/users/${id}?done=deactivated`);
  });

  // Reactivating takes nothing away from anyone, so it needs no confirmation.
  app.post('/admin/users/:id/reactivate', async (request, reply) => {
    const id = pageId(request);
    const user = await users.getUser(db, id);
    if (user.active) return reply.redirect(`/admin/users/${id}`);
    await db
      .transaction()
      .execute((trx) => users.updateUser(trx, deps, auditContext(request), id, user.version, { active: true }));
    return reply.redirect(`/admin/users/${id}?done=reactivated`);
  });

  app.post('/admin/users/:id/reset-second-factor', async (request, reply) => {
    const id = pageId(request);
    const user = await users.getUser(db, id);
    if (!confirmed(request.body)) {
      return reply.render(CONFIRM, {
        title: `Are you sure you want to reset the second factor for ${user.name}?`,
        backHref: `/admin/users/${id}`,
        user,
        action: `/admin/users/${id}/reset-second-factor`,
        explanation:
          'They will be signed out at once, and the codes from their authenticator app will stop working. They can set up a second factor again the next time they sign in.',
        confirmText: 'Yes, reset second factor',
        warning: true,
      });
    }
    await db.transaction().execute(async (trx) => {
      await users.resetSecondFactor(trx, deps, auditContext(request), id);
      await auth.endSessionsOf(trx, id);
    });
    return reply.redirect(`/admin/users/${id}?done=second-factor-reset`);
  });

  app.post(
    '/admin/users/:id/password',
    { config: { form: { template: USER, context: (r) => userPageContext(pageId(r)) } } },
    async (request, reply) => {
      const id = pageId(request);
      const input = parseInput(UserPasswordSchema, request.body);
      await db.transaction().execute(async (trx) => {
        await users.setPassword(trx, deps, auditContext(request), id, input.password);
        await auth.endSessionsOf(trx, id);
      });
      return reply.redirect(`/admin/users/${id}?done=password-reset`);
    },
  );

  // ---- JSON API ------------------------------------------------------------------------------

  app.get(
    '/api/v1/me',
    { config: { api: { summary: 'Your own user record', tag: 'users', response: UserJsonSchema } } },
    async (request) => users.userJson(await users.getUser(db, request.actor!.userId)),
  );

  const listDoc = {
    summary: 'List users (all of them unless `status` says otherwise), ordered by email address',
    tag: 'users',
    query: UserListQuerySchema,
    response: UserListJsonSchema,
  };
  app.get('/api/v1/users', { config: { api: listDoc } }, async (request) => {
    const query = parseInput(UserListQuerySchema, request.query);
    const page = await users.listUsers(db, listFilter(query, 'all'), query.limit, decodeCursor(query.cursor));
    return listBody(page.items.map(users.userJson), page.nextCursor);
  });

  const createDoc = {
    summary: 'Add a user (a weak password or an email already in use is a 400 on that field)',
    tag: 'users',
    body: UserCreateSchema,
    response: UserJsonSchema,
    status: 201,
  };
  app.post('/api/v1/users', { config: { api: createDoc } }, async (request, reply) => {
    const input = parseInput(UserCreateSchema, request.body);
    // The account and its audit event commit together, or not at all.
    const user = await db.transaction().execute((trx) =>
      users.createUser(trx, deps, auditContext(request), {
        email: input.email,
        name: input.name,
        role: input.role,
        teamId: input.team_id ?? null,
        password: input.password,
      }),
    );
    return reply.status(201).header('location', `/api/v1/users/${user.id}`).send(users.userJson(user));
  });

  const readDoc = { summary: 'One user (the read is audited)', tag: 'users', response: UserJsonSchema };
  app.get('/api/v1/users/:id', { config: { api: readDoc } }, async (request) => {
    const id = recordIdParam(request.params);
    return users.userJson(await users.viewUser(db, deps, auditContext(request), id));
  });

  const updateDoc = {
    summary: 'Change a user: send the `version` you read. `active: false` signs them out and stops their tokens',
    tag: 'users',
    body: UserUpdateSchema,
    response: UserJsonSchema,
  };
  app.patch('/api/v1/users/:id', { config: { api: updateDoc } }, async (request) => {
    const id = recordIdParam(request.params);
    const input = parseInput(UserUpdateSchema, request.body);
    const changes: users.UserChanges = {};
    if (input.name !== undefined) changes.name = input.name;
    if (input.role !== undefined) changes.role = input.role;
    if (input.team_id !== undefined) changes.teamId = input.team_id;
    if (input.active !== undefined) changes.active = input.active;
    const user = await db.transaction().execute(async (trx) => {
      const updated = await users.updateUser(trx, deps, auditContext(request), id, input.version, changes);
      // A deactivated account must stop working at once, not when its sessions time out.
      if (input.active === false) await auth.endSessionsOf(trx, id);
      return updated;
    });
    return users.userJson(user);
  });
}
