import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { type AppError, ConflictError, NotFoundError, RuleError, ValidationError } from '../errors.ts';
import { listBody, recordIdParam } from '../http/api.ts';
import { auditContext } from '../http/audit-context.ts';
import { cursorOffset, linkWith, pagePathId, paginationOf } from '../http/route-helpers.ts';
import { parseInput } from '../http/validate.ts';
import { STATUS_LABELS, statusChangeProblem } from '../participants/rules.ts';
import * as participants from '../participants/service.ts';
import { formatPence } from '../profiles/rules.ts';
import { displayName } from '../profiles/service.ts';
import { londonDate } from '../referrals/rules.ts';
import type { Vacancy } from '../vacancies/service.ts';
import {
  BoardQuerySchema,
  MatchAddFormSchema,
  MatchCreateSchema,
  MatchJsonSchema,
  MatchListJsonSchema,
  MatchListQuerySchema,
  MatchStageFormSchema,
  MatchUpdateSchema,
  RankedPeopleQuerySchema,
  RankedVacanciesQuerySchema,
} from './schema.ts';
import * as matching from './service.ts';
import { BOARD_STAGES, MATCH_STAGE_COLOURS, MATCH_STAGE_LABELS, type MatchStage } from './stages.ts';

const PERSON = 'matching/views/person.njk';
const PEOPLE = 'matching/views/people.njk';
const BOARD = 'matching/views/board.njk';
const START = 'matching/views/start.njk';
const PROBLEM = 'matching/views/problem.njk';

const PAGE_SIZE = 20;
/** The most cards a board column shows; search finds the others. */
const COLUMN_SIZE = 25;

const DONE_MESSAGES: Record<string, string> = {
  added: 'Added to their matches',
  moved: 'Match moved',
  started: 'They have started the job: the placement is recorded',
  employed: 'They have started the job: the placement is recorded and their status is now employed',
};

function viewer(request: FastifyRequest) {
  if (!request.actor) throw new NotFoundError('Participant not found');
  return participants.viewerOf(request.actor);
}

function today(app: FastifyInstance): string {
  return londonDate(app.deps.clock.now());
}

/** The page a form came from, with `done` set for its success message (its other query kept). */
function withDone(href: string, done: string): string {
  const [path, query] = href.split('?') as [string, string | undefined];
  const qs = new URLSearchParams(query);
  qs.set('done', done);
  return `${path}?${qs.toString()}`;
}

/** "Showing 21 to 40 of 73 vacancies". */
function showingText(total: number, page: number, count: number, noun: [string, string]): string {
  const word = total === 1 ? noun[0] : noun[1];
  if (count === total) return `${total} ${word}`;
  const first = (page - 1) * PAGE_SIZE + 1;
  return `Showing ${first} to ${first + count - 1} of ${total} ${word}`;
}

/** A list page's query; a bad one shows the list with its defaults and the problems beside the fields. */
function listQuery<S extends z.ZodType>(schema: S, raw: unknown): { query: z.output<S>; errors?: Record<string, string> } {
  try {
    return { query: parseInput(schema, raw) };
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    return { query: parseInput(schema, {}), errors: err.fields };
  }
}

/** What a ranked list page shows around its cards: the count, the pages, the search typed. */
function rankedList(
  query: { page: number; q?: string | undefined; sort: string },
  total: number,
  shown: number,
  href: (page: number) => string,
  noun: [string, string],
) {
  return {
    total,
    showing: total ? showingText(total, query.page, shown, noun) : '',
    pages: paginationOf(query.page, total, PAGE_SIZE, href),
    firstPageHref: query.page > 1 && shown === 0 && total > 0 ? href(1) : null,
    filtered: Boolean(query.q),
    values: { q: query.q ?? '', sort: query.sort },
  };
}

/** An assessment as the cards show it: the two lists of reasons, the score and the flags. */
function assessmentView(a: matching.Assessment) {
  return {
    score: a.score,
    excluded: a.excluded,
    talkThrough: a.talkThrough,
    fits: a.reasons.filter((r) => r.fits).map((r) => r.text),
    misfits: a.reasons.filter((r) => !r.fits).map((r) => r.text),
  };
}

/** The facts of a vacancy a card shows, in words. */
function vacancyFacts(v: Vacancy): string[] {
  const facts: string[] = [];
  if (v.hoursPerWeek !== null) facts.push(`${v.hoursPerWeek} hours a week`);
  if (v.hourlyPayPence !== null) facts.push(`${formatPence(v.hourlyPayPence)} an hour`);
  const where = [v.siteName, v.place].filter(Boolean).join(', ');
  if (where) facts.push(where);
  return facts;
}

function stageItems(stages: readonly MatchStage[]) {
  return stages.map((s) => ({ value: s, text: MATCH_STAGE_LABELS[s] }));
}

/** A saved match as the pages show it. */
function matchView(m: matching.MatchView) {
  return {
    id: m.id,
    participantId: m.participantId,
    personName: m.personName,
    vacancyId: m.vacancyId,
    title: m.vacancy.title,
    employerName: m.vacancy.employerName,
    facts: vacancyFacts(m.vacancy),
    stage: m.stage,
    stageLabel: MATCH_STAGE_LABELS[m.stage],
    stageColour: MATCH_STAGE_COLOURS[m.stage],
    stageChangedAt: m.stageChangedAt,
    version: m.version,
    moveItems: stageItems(m.nextStages),
    placementId: m.placementId,
    ...assessmentView(m.assessment),
  };
}

/** Where a form goes back to: the page it was on, or the person's matches. */
function backTo(returnTo: string | undefined, participantId: string): string {
  return returnTo ?? `/participants/${participantId}/matches`;
}

/** The match board, people ranked for a vacancy, a person's ranked vacancies; the matches API. */
export async function matchingRoutes(app: FastifyInstance): Promise<void> {
  const { db, deps } = app;

  /** A refused or stale move on a page: say why, with the way back. */
  const problem = (reply: FastifyReply, err: AppError, returnHref: string) =>
    reply.status(err.statusCode).render(PROBLEM, {
      title: err instanceof ConflictError ? 'This match has changed' : 'The match was not changed',
      message: err.message,
      returnHref,
    });

  // ---- A person's matches and the vacancies ranked for them ----------------------------------------

  app.get('/participants/:id/matches', async (request, reply) => {
    const id = pagePathId(request, 'id', 'Participant');
    const v = viewer(request);
    const { query, errors } = listQuery(RankedVacanciesQuerySchema, request.query);
    const ctx = auditContext(request);
    const { participant, matches } = await matching.listMatches(db, deps, ctx, v, id);
    const ranked = await matching.rankedVacancies(db, deps, ctx, v, id, {
      limit: PAGE_SIZE,
      offset: (query.page - 1) * PAGE_SIZE,
      search: query.q,
      sort: query.sort,
    });
    const here = `/participants/${id}/matches`;
    const href = (page: number) => linkWith(here, { q: query.q, sort: query.sort === 'best' ? undefined : query.sort, page });
    const name = displayName(participant);
    return reply.render(PERSON, {
      title: 'Job matches',
      backHref: `/participants/${id}`,
      errors,
      flash: query.done ? DONE_MESSAGES[query.done] : undefined,
      p: participant,
      name,
      canEdit: participant.canEdit,
      returnTo: linkWith(here, {
        q: query.q,
        sort: query.sort === 'best' ? undefined : query.sort,
        page: query.page > 1 ? query.page : undefined,
      }),
      matches: matches.map(matchView),
      hasPreferences: matching.hasPreferences(ranked.profile),
      ranked: ranked.items.map((r) => ({
        vacancyId: r.vacancy.id,
        title: r.vacancy.title,
        employerName: r.vacancy.employerName,
        closingDate: r.vacancy.closingDate,
        facts: vacancyFacts(r.vacancy),
        ...assessmentView(r.assessment),
      })),
      ...rankedList(query, ranked.total, ranked.items.length, href, ['open vacancy', 'open vacancies']),
      sortItems: [
        { value: 'best', text: 'Best match first' },
        { value: 'closing', text: 'Closing soonest first' },
      ],
    });
  });

  app.post('/participants/:id/matches', async (request, reply) => {
    const id = pagePathId(request, 'id', 'Participant');
    const v = viewer(request);
    const input = parseInput(MatchAddFormSchema, request.body);
    const returnHref = backTo(input.return_to, id);
    try {
      await db.transaction().execute((trx) => matching.createMatch(trx, deps, auditContext(request), v, id, input.vacancy_id));
    } catch (err) {
      if (err instanceof RuleError || err instanceof ValidationError) {
        const message = err instanceof ValidationError ? Object.values(err.fields).join('. ') : err.message;
        return reply.status(err.statusCode).render(PROBLEM, { title: 'The match was not added', message, returnHref });
      }
      throw err;
    }
    return reply.redirect(withDone(returnHref, 'added'));
  });

  // ---- Moving a match ------------------------------------------------------------------------------

  const startContext = async (request: FastifyRequest, id: string, matchId: string, returnTo: string | undefined) => {
    const v = viewer(request);
    const m = await matching.getMatch(db, deps, v, id, matchId);
    if (!m.nextStages.includes('started')) {
      throw new RuleError(`A match at “${MATCH_STAGE_LABELS[m.stage]}” cannot move to “${MATCH_STAGE_LABELS.started}” yet`);
    }
    const participant = await participants.loadEditable(db, v, id);
    const keptBecause = participant.status === 'employed' ? null : statusChangeProblem(participant.status, 'employed');
    const day = today(app);
    return {
      // Their first day: the vacancy's start date when that is still ahead, else today.
      startDefault: m.vacancy.startDate && m.vacancy.startDate > day ? m.vacancy.startDate : day,
      title: 'Confirm they have started the job',
      backHref: backTo(returnTo, id),
      name: displayName(participant),
      m: matchView(m),
      action: `/participants/${id}/matches/${matchId}/stage`,
      returnTo: returnTo ?? '',
      statusText:
        participant.status === 'employed'
          ? 'Their status stays employed.'
          : keptBecause === null
            ? `Their status will change from ${STATUS_LABELS[participant.status].toLowerCase()} to employed.`
            : `Their status stays ${STATUS_LABELS[participant.status].toLowerCase()}: ${keptBecause}.`,
    };
  };

  app.get('/participants/:id/matches/:matchId/start', async (request, reply) => {
    const id = pagePathId(request, 'id', 'Participant');
    const matchId = pagePathId(request, 'matchId', 'Match');
    const q = request.query as Record<string, unknown>;
    const returnTo = parseInput(MatchAddFormSchema.pick({ return_to: true }), { return_to: q.return_to }).return_to;
    const context = await startContext(request, id, matchId, returnTo);
    // The version the board was showing, so a move made meanwhile by someone else is caught.
    const version = typeof q.version === 'string' && /^\d+$/.test(q.version) ? q.version : String(context.m.version);
    return reply.render(START, { ...context, values: { start_date: context.startDefault, version } });
  });

  app.post('/participants/:id/matches/:matchId/stage', async (request, reply) => {
    const id = pagePathId(request, 'id', 'Participant');
    const matchId = pagePathId(request, 'matchId', 'Match');
    const v = viewer(request);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const fallback = backTo(
      parseInput(MatchAddFormSchema.pick({ return_to: true }), { return_to: body.return_to }).return_to,
      id,
    );
    let input;
    try {
      input = parseInput(MatchStageFormSchema, body);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      if (err.fields.start_date && body.stage === 'started') {
        const returnTo = typeof body.return_to === 'string' ? body.return_to : undefined;
        return reply.status(400).render(START, {
          ...(await startContext(request, id, matchId, returnTo)),
          values: { start_date: body.start_date, version: body.version },
          errors: { start_date: err.fields.start_date },
        });
      }
      return reply.status(400).render(PROBLEM, {
        title: 'The match was not changed',
        message: Object.values(err.fields).join('. '),
        returnHref: fallback,
      });
    }
    const returnHref = backTo(input.return_to, id);
    // "Started" records a job: ask for the start date first.
    if (input.stage === 'started' && input.start_date === undefined) {
      return reply.redirect(
        linkWith(`/participants/${id}/matches/${matchId}/start`, { return_to: input.return_to, version: input.version }),
        303,
      );
    }
    let result: matching.StageMoveResult;
    try {
      result = await db.transaction().execute((trx) =>
        matching.moveStage(trx, deps, auditContext(request), v, id, matchId, input.version, input.stage, {
          startDate: input.start_date ?? null,
        }),
      );
    } catch (err) {
      if (err instanceof RuleError || err instanceof ConflictError) return problem(reply, err, returnHref);
      throw err;
    }
    const done = input.stage !== 'started' ? 'moved' : result.statusChangedTo === 'employed' ? 'employed' : 'started';
    return reply.redirect(withDone(returnHref, done));
  });

  // ---- People ranked for a vacancy -----------------------------------------------------------------

  app.get('/vacancies/:id/people', async (request, reply) => {
    const id = pagePathId(request, 'id', 'Vacancy');
    const v = viewer(request);
    const { query, errors } = listQuery(RankedPeopleQuerySchema, request.query);
    const ranked = await matching.rankedPeople(db, deps, auditContext(request), v, id, {
      limit: PAGE_SIZE,
      offset: (query.page - 1) * PAGE_SIZE,
      search: query.q,
      sort: query.sort,
    });
    const here = `/vacancies/${id}/people`;
    const keep = { q: query.q, sort: query.sort === 'best' ? undefined : query.sort };
    const href = (page: number) => linkWith(here, { ...keep, page });
    return reply.render(PEOPLE, {
      title: `People for ${ranked.vacancy.title}`,
      backHref: `/vacancies/${id}`,
      errors,
      flash: query.done ? DONE_MESSAGES[query.done] : undefined,
      vacancy: ranked.vacancy,
      facts: vacancyFacts(ranked.vacancy),
      open: ranked.open,
      returnTo: linkWith(here, { ...keep, page: query.page > 1 ? query.page : undefined }),
      people: ranked.items.map((p) => ({
        id: p.id,
        name: p.name,
        statusLabel: STATUS_LABELS[p.status],
        existing: p.existing
          ? {
              ...p.existing,
              stageLabel: MATCH_STAGE_LABELS[p.existing.stage],
              stageColour: MATCH_STAGE_COLOURS[p.existing.stage],
            }
          : null,
        ...assessmentView(p.assessment),
      })),
      ...rankedList(query, ranked.total, ranked.items.length, href, ['person', 'people']),
      sortItems: [
        { value: 'best', text: 'Best match first' },
        { value: 'name', text: 'Name' },
      ],
    });
  });

  // ---- The board -----------------------------------------------------------------------------------

  app.get('/matches', async (request, reply) => {
    const v = viewer(request);
    const { query, errors } = listQuery(BoardQuerySchema, request.query);
    const owner = await matching.boardOwner(db, v, query.practitioner_id);
    const own = owner.id === v.userId;
    const all = (await matching.board(db, deps, v, owner, query.q)).map(matchView);
    const team = await matching.teamBoardOwners(db, v);
    const here = linkWith('/matches', { practitioner_id: own ? undefined : owner.id, q: query.q });
    return reply.render(BOARD, {
      title: own ? 'Match board' : `${owner.name}’s match board`,
      columnWidth: 'full',
      errors,
      flash: query.done ? DONE_MESSAGES[query.done] : undefined,
      own,
      ownerName: owner.name,
      total: all.length,
      returnTo: here,
      columns: BOARD_STAGES.map((stage) => {
        const cards = all.filter((m) => m.stage === stage);
        return {
          stage,
          label: MATCH_STAGE_LABELS[stage],
          colour: MATCH_STAGE_COLOURS[stage],
          count: cards.length,
          cards: cards.slice(0, COLUMN_SIZE),
          more: Math.max(0, cards.length - COLUMN_SIZE),
        };
      }),
      isManager: v.role === 'manager' && team.length > 0,
      practitionerItems: team.map((u) => ({ value: u.id, text: u.id === v.userId ? `${u.name} (you)` : u.name })),
      filtered: Boolean(query.q),
      clearHref: linkWith('/matches', { practitioner_id: own ? undefined : owner.id }),
      values: { practitioner_id: owner.id, q: query.q ?? '' },
    });
  });

  // ---- JSON API --------------------------------------------------------------------------------------

  const listDoc = {
    summary:
      'A person’s saved matches, most recently moved first, each with its live `score` and `reasons`. With `ranked=true`: the open vacancies not yet in their matches, best match first. `talk_through` is only ever true for callers who may see the person’s convictions',
    tag: 'matches',
    query: MatchListQuerySchema,
    response: MatchListJsonSchema,
  };
  app.get('/api/v1/participants/:id/matches', { config: { api: listDoc } }, async (request) => {
    const id = recordIdParam(request.params);
    const query = parseInput(MatchListQuerySchema, request.query);
    const offset = cursorOffset(query.cursor);
    const ctx = auditContext(request);
    if (query.ranked === 'true') {
      const ranked = await matching.rankedVacancies(db, deps, ctx, viewer(request), id, { limit: query.limit, offset });
      const next = offset + ranked.items.length < ranked.total ? String(offset + ranked.items.length) : null;
      return listBody(ranked.items.map(matching.rankedVacancyJson), next);
    }
    const { matches } = await matching.listMatches(db, deps, ctx, viewer(request), id);
    const shown = matches.slice(offset, offset + query.limit);
    return listBody(shown.map(matching.matchJson), offset + query.limit < matches.length ? String(offset + query.limit) : null);
  });

  const createDoc = {
    summary:
      'Add an open vacancy to the person’s matches, at `suggested`. The same vacancy twice, or one no longer open, is a 422 saying why',
    tag: 'matches',
    body: MatchCreateSchema,
    response: MatchJsonSchema,
    status: 201,
  };
  app.post('/api/v1/participants/:id/matches', { config: { api: createDoc } }, async (request, reply) => {
    const id = recordIdParam(request.params);
    const input = parseInput(MatchCreateSchema, request.body);
    const match = await db
      .transaction()
      .execute((trx) => matching.createMatch(trx, deps, auditContext(request), viewer(request), id, input.vacancy_id));
    return reply.status(201).send(matching.matchJson(match));
  });

  const updateDoc = {
    summary:
      'Move a match to another stage: send the `version` you read and the `stage`. A move the stage rules refuse is a 422 with the reason. `started` records the placement (its id is `placement_id`) and moves the person to employed when their status allows',
    tag: 'matches',
    body: MatchUpdateSchema,
    response: MatchJsonSchema,
  };
  app.patch('/api/v1/participants/:id/matches/:matchId', { config: { api: updateDoc } }, async (request) => {
    const id = recordIdParam(request.params);
    const matchId = recordIdParam(request.params, 'matchId');
    const input = parseInput(MatchUpdateSchema, request.body);
    const result = await db.transaction().execute((trx) =>
      matching.moveStage(trx, deps, auditContext(request), viewer(request), id, matchId, input.version, input.stage, {
        startDate: input.start_date ?? null,
      }),
    );
    return matching.matchJson(result.match);
  });
}
