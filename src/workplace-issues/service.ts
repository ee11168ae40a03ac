import type { DbOrTrx } from '../db/types.ts';
import type { Deps } from '../deps.ts';
import { newRecordColumns } from '../db/records.ts';
import { ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import * as audit from '../audit/service.ts';
import type { Viewer } from '../participants/rules.ts';
import * as participants from '../participants/service.ts';
import * as placements from '../placements/service.ts';
import { londonDate } from '../referrals/rules.ts';
import * as repo from './repo.ts';
import {
  type IssueCategory,
  type IssueOwner,
  type IssueStatus,
  type IssueSummary,
  type RaisedBy,
  closeProblem,
  handledByEmployer,
  monthsBefore,
  suggestedOwner,
  summariseIssues,
} from './rules.ts';

export interface WorkplaceIssue {
  id: string;
  placementId: string;
  participantId: string;
  raisedBy: RaisedBy;
  raisedOn: string;
  category: IssueCategory;
  owner: IssueOwner;
  description: string;
  actions: string | null;
  outcome: string | null;
  status: IssueStatus;
  closedOn: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

/** The job an issue belongs to, as its pages show it. */
export interface IssuePlacement {
  id: string;
  participantId: string;
  title: string;
  employerName: string;
  startDate: string;
  endDate: string | null;
}

export function toIssue(r: repo.IssueRow): WorkplaceIssue {
  return {
    id: r.id,
    placementId: r.placement_id,
    participantId: r.participant_id,
    raisedBy: r.raised_by as RaisedBy,
    raisedOn: r.raised_on,
    category: r.category as IssueCategory,
    owner: r.owner as IssueOwner,
    description: r.description,
    actions: r.actions,
    outcome: r.outcome,
    status: r.status as IssueStatus,
    closedOn: r.closed_on,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: Number(r.version),
  };
}

/** The API shape: snake_case, dates `YYYY-MM-DD`, with the derived `handled_by_employer`. */
export function issueJson(i: WorkplaceIssue): Record<string, unknown> {
  return {
    id: i.id,
    placement_id: i.placementId,
    participant_id: i.participantId,
    raised_by: i.raisedBy,
    raised_on: i.raisedOn,
    category: i.category,
    owner: i.owner,
    description: i.description,
    actions: i.actions,
    outcome: i.outcome,
    status: i.status,
    closed_on: i.closedOn,
    handled_by_employer: handledByEmployer(i),
    created_at: i.createdAt,
    updated_at: i.updatedAt,
    version: i.version,
  };
}

export interface PlacementContext {
  placement: IssuePlacement;
  participant: participants.ParticipantView;
}

/** A job whose person the viewer may see (404 otherwise, so the job's existence is not revealed). */
export async function loadPlacement(db: DbOrTrx, deps: Deps, viewer: Viewer, placementId: string): Promise<PlacementContext> {
  const { placement: p, participant } = await placements.getPlacement(db, deps, viewer, placementId);
  return {
    participant,
    placement: {
      id: p.id,
      participantId: p.participantId,
      title: p.title,
      employerName: p.employerName,
      startDate: p.startDate,
      endDate: p.endDate,
    },
  };
}

/** The same, for a viewer who is to change something (403 when they may only read the person). */
async function loadPlacementToChange(db: DbOrTrx, deps: Deps, viewer: Viewer, placementId: string): Promise<PlacementContext> {
  const context = await loadPlacement(db, deps, viewer, placementId);
  await participants.loadEditable(db, viewer, context.participant.id);
  return context;
}

/** A job's issues, open first then closed (a page of them when asked); the read is audited on the person. */
export async function listIssues(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  placementId: string,
  page?: { limit: number; offset: number },
): Promise<PlacementContext & { issues: WorkplaceIssue[]; hasMore: boolean }> {
  const context = await loadPlacement(db, deps, viewer, placementId);
  // One extra row says whether there is a next page.
  const rows = await repo.listForPlacement(db, placementId, page && { limit: page.limit + 1, offset: page.offset });
  const hasMore = page !== undefined && rows.length > page.limit;
  await audit.record(db, deps, ctx, {
    action: 'workplace_issues.viewed',
    entityType: 'participant',
    entityId: context.participant.id,
    details: { placement_id: placementId },
  });
  return { ...context, issues: (hasMore ? rows.slice(0, -1) : rows).map(toIssue), hasMore };
}

/** What a new issue records. */
export interface IssueInput {
  raisedBy: RaisedBy;
  raisedOn: string;
  category: IssueCategory;
  /** Left out: the usual owner for the category. */
  owner?: IssueOwner | undefined;
  description: string;
  actions?: string | null | undefined;
}

/** Why a raised date cannot stand, or null. */
function raisedOnProblem(raisedOn: string, placement: IssuePlacement, today: string): string | null {
  if (raisedOn > today) return 'Date raised must be today or in the past';
  if (raisedOn < placement.startDate) return `Date raised must be on or after the job started (${placement.startDate})`;
  return null;
}

/** Records a workplace issue on a job, open, audited on the person. */
export async function raiseIssue(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  placementId: string,
  input: IssueInput,
): Promise<WorkplaceIssue> {
  const { placement, participant } = await loadPlacementToChange(db, deps, viewer, placementId);
  const problem = raisedOnProblem(input.raisedOn, placement, londonDate(deps.clock.now()));
  if (problem) throw new ValidationError({ raised_on: problem });
  const row: repo.IssueRow = {
    ...newRecordColumns(deps.clock),
    placement_id: placementId,
    participant_id: participant.id,
    raised_by: input.raisedBy,
    raised_on: input.raisedOn,
    category: input.category,
    owner: input.owner ?? suggestedOwner(input.category).owner,
    description: input.description.trim(),
    actions: input.actions?.trim() || null,
    outcome: null,
    status: 'open',
    closed_on: null,
    created_by_user_id: viewer.userId,
  };
  await repo.insert(db, row);
  await audit.record(db, deps, ctx, {
    action: 'workplace_issue.raised',
    entityType: 'participant',
    entityId: participant.id,
    details: { placement_id: placementId, issue_id: row.id, category: row.category, owner: row.owner },
  });
  return toIssue(row);
}

/** An issue on this job that the viewer may see (404 otherwise). Not audited: callers that show it do. */
export async function getIssue(
  db: DbOrTrx,
  deps: Deps,
  viewer: Viewer,
  placementId: string,
  issueId: string,
): Promise<PlacementContext & { issue: WorkplaceIssue }> {
  const context = await loadPlacement(db, deps, viewer, placementId);
  const row = await repo.findById(db, issueId);
  if (!row || row.placement_id !== placementId) throw new NotFoundError('Workplace issue not found');
  return { ...context, issue: toIssue(row) };
}

/** Reads an issue and writes the read to the audit trail. */
export async function viewIssue(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  placementId: string,
  issueId: string,
): Promise<PlacementContext & { issue: WorkplaceIssue }> {
  const found = await getIssue(db, deps, viewer, placementId, issueId);
  await audit.record(db, deps, ctx, {
    action: 'workplace_issue.viewed',
    entityType: 'participant',
    entityId: found.participant.id,
    details: { placement_id: placementId, issue_id: issueId },
  });
  return found;
}

/** What may change on an issue; only the fields given change. */
export interface IssueChanges {
  raisedBy?: RaisedBy | undefined;
  raisedOn?: string | undefined;
  category?: IssueCategory | undefined;
  owner?: IssueOwner | undefined;
  description?: string | undefined;
  actions?: string | null | undefined;
  outcome?: string | null | undefined;
  /** `closed` needs an outcome and sets the closing date (today unless given); `open` reopens. */
  status?: IssueStatus | undefined;
  closedOn?: string | undefined;
}

/**
 * Changes an issue as things move, closes or reopens it. A stale `version` is a 409 and nothing
 * changes. Audited on the person with the names of the fields changed, never their text.
 */
export async function updateIssue(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  placementId: string,
  issueId: string,
  version: number,
  changes: IssueChanges,
): Promise<WorkplaceIssue> {
  const { placement, participant } = await loadPlacementToChange(db, deps, viewer, placementId);
  const { issue } = await getIssue(db, deps, viewer, placementId, issueId);
  if (issue.version !== version) throw new ConflictError('Someone else changed this issue after you opened it');
  const today = londonDate(deps.clock.now());

  const set: Partial<repo.IssueRow> = {};
  if (changes.raisedBy !== undefined) set.raised_by = changes.raisedBy;
  if (changes.raisedOn !== undefined) set.raised_on = changes.raisedOn;
  if (changes.category !== undefined) set.category = changes.category;
  if (changes.owner !== undefined) set.owner = changes.owner;
  if (changes.description !== undefined) set.description = changes.description.trim();
  if (changes.actions !== undefined) set.actions = changes.actions?.trim() || null;
  if (changes.outcome !== undefined) set.outcome = changes.outcome?.trim() || null;

  const raisedOn = set.raised_on ?? issue.raisedOn;
  const raisedProblem = changes.raisedOn === undefined ? null : raisedOnProblem(raisedOn, placement, today);
  if (raisedProblem) throw new ValidationError({ raised_on: raisedProblem });

  const status = changes.status ?? issue.status;
  if (status === 'closed') {
    const closedOn = changes.closedOn ?? issue.closedOn ?? today;
    const outcome = set.outcome === undefined ? issue.outcome : set.outcome;
    const problem = closeProblem({ outcome, closedOn, raisedOn, today });
    if (problem) throw new ValidationError({ [problem.field]: problem.message });
    set.status = 'closed';
    set.closed_on = closedOn;
  } else {
    if (changes.closedOn !== undefined) throw new ValidationError({ closed_on: 'Send closed_on only when closing the issue' });
    set.status = 'open';
    set.closed_on = null;
  }

  const changed = Object.keys(set).filter((k) => set[k as keyof typeof set] !== issue[camel(k)]);
  set.updated_at = deps.clock.now().toISOString();
  if ((await repo.update(db, issueId, version, set)) === 0) throw new ConflictError();
  const action =
    issue.status === 'open' && status === 'closed'
      ? 'workplace_issue.closed'
      : issue.status === 'closed' && status === 'open'
        ? 'workplace_issue.reopened'
        : 'workplace_issue.updated';
  await audit.record(db, deps, ctx, {
    action,
    entityType: 'participant',
    entityId: participant.id,
    details: { placement_id: placementId, issue_id: issueId, changed },
  });
  return toIssue((await repo.findById(db, issueId))!);
}

/** The domain field a column holds, to tell which columns a change really altered. */
function camel(column: string): keyof WorkplaceIssue {
  return column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()) as keyof WorkplaceIssue;
}

export interface IssueReport {
  from: string;
  to: string;
  /** Null when the viewer is in no team, so has no team figures. */
  summary: IssueSummary | null;
}

/** The viewer's team's issues raised in a period (default the last 12 months), counted. */
export async function teamReport(
  db: DbOrTrx,
  deps: Deps,
  viewer: Viewer,
  period: { from?: string | undefined; to?: string | undefined },
): Promise<IssueReport> {
  const to = period.to ?? londonDate(deps.clock.now());
  const from = period.from ?? monthsBefore(to, 12);
  if (from > to) throw new ValidationError({ from: 'From must be on or before To' });
  if (!viewer.teamId) return { from, to, summary: null };
  const facts = await repo.factsForTeam(db, viewer.teamId, from, to);
  return {
    from,
    to,
    summary: summariseIssues(
      facts.map((f) => ({
        category: f.category as IssueCategory,
        owner: f.owner as IssueOwner,
        status: f.status as IssueStatus,
      })),
    ),
  };
}
