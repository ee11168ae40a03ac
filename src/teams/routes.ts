import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ConflictError } from '../errors.ts';
import { ListQuerySchema, decodeCursor, listBody, recordIdParam } from '../http/api.ts';
import { auditContext } from '../http/audit-context.ts';
import { parseInput } from '../http/validate.ts';
import * as users from '../users/service.ts';
import {
  TeamCreateFormSchema,
  TeamCreateSchema,
  TeamJsonSchema,
  TeamListJsonSchema,
  TeamUpdateFormSchema,
  TeamUpdateSchema,
} from './schema.ts';
import * as teams from './service.ts';

// A team page lists this many members; beyond that it links to the user list filtered by team.
const MEMBERS_SHOWN = 100;

/** Teams administration pages and the `/api/v1/teams` resource (admin only, see access-rules.ts). */
export async function teamRoutes(app: FastifyInstance): Promise<void> {
  const { db, deps } = app;

  const listContext = async () => {
    const [all, counts] = await Promise.all([teams.listTeams(db), teams.teamMemberCounts(db)]);
    return { title: 'Teams', teams: all.map((t) => ({ ...t, memberCount: counts.get(t.id) ?? 0 })) };
  };

  const teamContext = async (id: string) => {
    const team = await teams.getTeam(db, id);
    const members = await users.listUsers(db, { teamId: id, active: true }, MEMBERS_SHOWN);
    return {
      title: team.name,
      backHref: '/admin/teams',
      team,
      members: members.items,
      moreMembers: members.nextCursor !== null,
    };
  };

  const teamFromRequest = (request: FastifyRequest) => teamContext(recordIdParam(request.params));

  app.get('/admin/teams', async (request, reply) => {
    const added = (request.query as Record<string, unknown>).added;
    const context = await listContext();
    const addedTeam = context.teams.find((t) => t.id === added);
    return reply.render('teams/views/list.njk', {
      ...context,
      flash: addedTeam ? `${addedTeam.name} added` : undefined,
      values: {},
    });
  });

  app.post(
    '/admin/teams',
    { config: { form: { template: 'teams/views/list.njk', context: listContext } } },
    async (request, reply) => {
      const input = parseInput(TeamCreateFormSchema, request.body);
      const team = await db.transaction().execute((trx) => teams.createTeam(trx, deps, auditContext(request), input.name));
      return reply.redirect(`/admin/teams?added=${team.id}`);
    },
  );

  app.get('/admin/teams/:id', async (request, reply) => {
    const done = (request.query as Record<string, unknown>).done;
    return reply.render('teams/views/show.njk', {
      ...(await teamFromRequest(request)),
      flash: done === 'renamed' ? 'Team name saved' : undefined,
      values: {},
    });
  });

  app.post(
    '/admin/teams/:id',
    { config: { form: { template: 'teams/views/show.njk', context: teamFromRequest } } },
    async (request, reply) => {
      const id = recordIdParam(request.params);
      const input = parseInput(TeamUpdateFormSchema, request.body);
      try {
        await db
          .transaction()
          .execute((trx) => teams.renameTeam(trx, deps, auditContext(request), id, input.version, input.name));
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err;
        // Keep what they typed, and take the current version so a second save is a deliberate overwrite.
        const context = await teamContext(id);
        return reply.status(409).render('teams/views/show.njk', {
          ...context,
          values: { name: input.name, version: context.team.version },
          errors: { name: `${err.message}. Check the name and save again` },
        });
      }
      return reply.redirect(`/admin/teams/${id}?done=renamed`);
    },
  );

  // Unknown parameters (a sort or filter this list does not offer) are refused, not ignored.
  const TeamListQuerySchema = ListQuerySchema.strict();
  const listDoc = { summary: 'Teams, by name', tag: 'teams', query: TeamListQuerySchema, response: TeamListJsonSchema };
  app.get('/api/v1/teams', { config: { api: listDoc } }, async (request) => {
    const query = parseInput(TeamListQuerySchema, request.query);
    const page = await teams.listTeamsPage(db, query.limit, decodeCursor(query.cursor));
    return listBody(page.items.map(teams.teamJson), page.next);
  });

  const createDoc = {
    summary: 'Add a team (a name already used, in any case, is a 400 on `name`)',
    tag: 'teams',
    body: TeamCreateSchema,
    response: TeamJsonSchema,
    status: 201,
  };
  app.post('/api/v1/teams', { config: { api: createDoc } }, async (request, reply) => {
    const input = parseInput(TeamCreateSchema, request.body);
    const team = await db.transaction().execute((trx) => teams.createTeam(trx, deps, auditContext(request), input.name));
    return reply.status(201).header('location', `/api/v1/teams/${team.id}`).send(teams.teamJson(team));
  });

  const readDoc = { summary: 'One team', tag: 'teams', response: TeamJsonSchema };
  app.get('/api/v1/teams/:id', { config: { api: readDoc } }, async (request) =>
    teams.teamJson(await teams.getTeam(db, recordIdParam(request.params))),
  );

  const updateDoc = {
    summary: 'Rename a team: send the `version` you read',
    tag: 'teams',
    body: TeamUpdateSchema,
    response: TeamJsonSchema,
  };
  app.patch('/api/v1/teams/:id', { config: { api: updateDoc } }, async (request) => {
    const id = recordIdParam(request.params);
    const input = parseInput(TeamUpdateSchema, request.body);
    const team = await db
      .transaction()
      .execute((trx) => teams.renameTeam(trx, deps, auditContext(request), id, input.version, input.name));
    return teams.teamJson(team);
  });
}
