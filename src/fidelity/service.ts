import { randomUUID } from 'node:crypto';
import * as audit from '../audit/service.ts';
import { newRecordColumns } from '../db/records.ts';
import type { DbOrTrx } from '../db/types.ts';
import type { Deps } from '../deps.ts';
import { ConflictError, NotFoundError, RuleError, ValidationError } from '../errors.ts';
import type { Viewer } from '../participants/rules.ts';
import { addDays } from '../placements/rules.ts';
import { londonDate } from '../referrals/rules.ts';
import { loadFacts } from '../reports/service.ts';
import { type ContactFact, type Proposal, proposeAll } from './proposals.ts';
import * as repo from './repo.ts';
import {
  type Band,
  type ComparisonRow,
  type Section,
  ITEMS,
  PROPOSED_ITEMS,
  UNCONFIRMED_ITEMS,
  compareReviews,
  isScore,
  itemInfo,
  summarise,
} from './rules.ts';

// IPS-25 fidelity reviews: team-level service data, no person's record. Practitioners and
// managers create and change their own team's reviews; commissioners and administrators read
// every team's. Creates and changes are audited on the review.

export interface ReviewItem {
  item: number;
  section: Section;
  name: string;
  score: number | null;
  evidence: string | null;
  /** Null for the items the records cannot inform. */
  proposed: { score: number | null; evidence: string | null; confirmedAnchors: boolean } | null;
}

export interface ReviewAction {
  id: string;
  item: number | null;
  action: string;
  owner: string | null;
  dueDate: string | null;
  doneOn: string | null;
}

export interface ReviewSummary {
  id: string;
  teamId: string;
  teamName: string | null;
  reviewDate: string;
  periodFrom: string;
  periodTo: string;
  reviewers: string | null;
  notes: string | null;
  proposedAt: string | null;
  scored: number;
  total: number | null;
  band: Band | null;
  scoreText: string;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface Review extends ReviewSummary {
  items: ReviewItem[];
  actions: ReviewAction[];
}

// ---- Who may do what ---------------------------------------------------------------------------

/** Commissioners and administrators read every team's reviews; practitioners and managers their own team's. */
export function canRead(viewer: Viewer, teamId: string): boolean {
  if (viewer.role === 'commissioner' || viewer.role === 'admin') return true;
  if (viewer.role === 'manager' || viewer.role === 'practitioner') return viewer.teamId === teamId;
  return false;
}

/** Only the team's own practitioners and managers score a review and keep its action plan. */
export function canEdit(viewer: Viewer, teamId: string): boolean {
  return (viewer.role === 'manager' || viewer.role === 'practitioner') && viewer.teamId === teamId;
}

/** Whether the viewer can start a review at all (a practitioner or manager in a team). */
export function canCreate(viewer: Viewer): boolean {
  return (viewer.role === 'manager' || viewer.role === 'practitioner') && viewer.teamId !== null;
}

// ---- Mapping -----------------------------------------------------------------------------------

function toSummary(r: repo.ReviewListRow, items: readonly repo.ItemRow[]): ReviewSummary {
  const s = summarise(items.map((i) => (i.score === null ? null : Number(i.score))));
  return {
    id: r.id,
    teamId: r.team_id,
    teamName: r.team_name,
    reviewDate: r.review_date,
    periodFrom: r.period_from,
    periodTo: r.period_to,
    reviewers: r.reviewers,
    notes: r.notes,
    proposedAt: r.proposed_at,
    scored: s.scored,
    total: s.total,
    band: s.band,
    scoreText: s.text,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: Number(r.version),
  };
}

/** What commissioners and administrators read instead of the working, which can hold counts of a few people. */
export const EVIDENCE_FOR_TEAM_ONLY =
  'Worked out from the team’s records. The working is shown to the team only, as it can hold small numbers of people.';

function toItems(rows: readonly repo.ItemRow[], showWorking = true): ReviewItem[] {
  const byItem = new Map(rows.map((r) => [Number(r.item), r]));
  return ITEMS.map((i) => {
    const r = byItem.get(i.item);
    return {
      item: i.item,
      section: i.section,
      name: i.name,
      score: r?.score === null || r?.score === undefined ? null : Number(r.score),
      evidence: r?.evidence ?? null,
      proposed: PROPOSED_ITEMS.has(i.item)
        ? {
            score: r?.proposed_score === null || r?.proposed_score === undefined ? null : Number(r.proposed_score),
            evidence: r?.proposed_evidence && !showWorking ? EVIDENCE_FOR_TEAM_ONLY : (r?.proposed_evidence ?? null),
            confirmedAnchors: !UNCONFIRMED_ITEMS.has(i.item),
          }
        : null,
    };
  });
}

const toAction = (a: repo.ActionRow): ReviewAction => ({
  id: a.id,
  item: a.item === null ? null : Number(a.item),
  action: a.action,
  owner: a.owner,
  dueDate: a.due_date,
  doneOn: a.done_on,
});

/** The API shape of a review summary. */
export function reviewSummaryJson(r: ReviewSummary): Record<string, unknown> {
  return {
    id: r.id,
    team_id: r.teamId,
    team_name: r.teamName,
    review_date: r.reviewDate,
    period_from: r.periodFrom,
    period_to: r.periodTo,
    reviewers: r.reviewers,
    notes: r.notes,
    scored: r.scored,
    total: r.total,
    band: r.band,
    created_at: r.createdAt,
    updated_at: r.updatedAt,
    version: r.version,
  };
}

/** The API shape of a whole review. */
export function reviewJson(r: Review): Record<string, unknown> {
  return {
    ...reviewSummaryJson(r),
    proposed_at: r.proposedAt,
    items: r.items.map((i) => ({
      item: i.item,
      section: i.section,
      name: i.name,
      score: i.score,
      evidence: i.evidence,
      proposed: i.proposed
        ? { score: i.proposed.score, evidence: i.proposed.evidence, confirmed_anchors: i.proposed.confirmedAnchors }
        : null,
    })),
    actions: r.actions.map((a) => ({
      id: a.id,
      item: a.item,
      action: a.action,
      owner: a.owner,
      due_date: a.dueDate,
      done_on: a.doneOn,
    })),
  };
}

// ---- Reading -----------------------------------------------------------------------------------

/** A review with its 25 items and action plan; 404 for one the viewer may not see. */
export async function getReview(db: DbOrTrx, viewer: Viewer, id: string): Promise<Review> {
  const row = await repo.findReview(db, id);
  if (!row || !canRead(viewer, row.team_id)) throw new NotFoundError('Fidelity review not found');
  const [items, actions] = await Promise.all([repo.itemsOf(db, [id]), repo.actionsOf(db, id)]);
  const showWorking = viewer.role === 'manager' || viewer.role === 'practitioner';
  return { ...toSummary(row, items), items: toItems(items, showWorking), actions: actions.map(toAction) };
}

/** The team whose reviews a viewer's list shows: their own, or every team (null) for commissioners and administrators. */
function listScope(viewer: Viewer): string | null | false {
  if (viewer.role === 'commissioner' || viewer.role === 'admin') return null;
  if ((viewer.role === 'manager' || viewer.role === 'practitioner') && viewer.teamId !== null) return viewer.teamId;
  return false;
}

/** Reviews the viewer may see, newest first. Two queries whatever the page size. */
export async function listReviews(db: DbOrTrx, viewer: Viewer, limit: number, offset = 0): Promise<ReviewSummary[]> {
  const scope = listScope(viewer);
  if (scope === false) return [];
  const rows = await repo.listReviews(db, scope, limit, offset);
  const items = await repo.itemsOf(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) =>
    toSummary(
      r,
      items.filter((i) => i.review_id === r.id),
    ),
  );
}

export interface Comparison {
  reviews: ReviewSummary[];
  rows: ComparisonRow[];
}

/** The most reviews a comparison shows side by side (it has to fit on a phone). */
export const COMPARE_MAX = 6;

/**
 * Item by item across reviews, oldest first: the chosen ones, or else the latest few of a team
 * (the viewer's own, or `teamId` for commissioners and administrators).
 */
export async function compare(db: DbOrTrx, viewer: Viewer, ids: readonly string[], teamId?: string): Promise<Comparison> {
  let rows: repo.ReviewListRow[];
  if (ids.length > 0) {
    rows = (await repo.reviewsByIds(db, ids)).filter((r) => canRead(viewer, r.team_id));
  } else {
    const scope = listScope(viewer);
    const team = scope === null ? (teamId ?? null) : scope;
    rows = team === null || team === false ? [] : await repo.listReviews(db, team, COMPARE_MAX, 0);
  }
  rows = rows.sort((a, b) => (a.review_date + a.created_at < b.review_date + b.created_at ? -1 : 1)).slice(-COMPARE_MAX);
  const items = await repo.itemsOf(
    db,
    rows.map((r) => r.id),
  );
  const reviews = rows.map((r) =>
    toSummary(
      r,
      items.filter((i) => i.review_id === r.id),
    ),
  );
  const rowsCompared = compareReviews(
    rows.map((r) => ({
      id: r.id,
      reviewDate: r.review_date,
      scores: new Map(
        items.filter((i) => i.review_id === r.id).map((i) => [Number(i.item), i.score === null ? null : Number(i.score)]),
      ),
    })),
  );
  return { reviews, rows: rowsCompared };
}

// ---- Proposals from the records ----------------------------------------------------------------

/** Works out the proposed scores for a team over a period from the service's own records. */
export async function proposalsFor(
  db: DbOrTrx,
  deps: Deps,
  teamId: string,
  periodFrom: string,
  periodTo: string,
): Promise<Proposal[]> {
  const period = { from: periodFrom, to: periodTo };
  // London days: an instant a day either side of the period, then kept by its London day.
  const fromInstant = `${addDays(periodFrom, -1)}T00:00:00.000Z`;
  const toInstant = `${addDays(periodTo, 2)}T00:00:00.000Z`;
  const practitioners = await repo.teamPractitioners(db, teamId);
  const [openCaseload, f2f, contacts, facts] = await Promise.all([
    repo.openCaseloadOn(db, teamId, periodTo),
    repo.employerFaceToFaceBy(
      db,
      practitioners.map((p) => p.id),
      fromInstant,
      toInstant,
    ),
    repo.teamContacts(db, teamId, fromInstant, toInstant),
    // The team's people, as a manager of the team would see them in the outcome report.
    loadFacts(db, { userId: '', role: 'manager', teamId }, { from: periodFrom, to: periodTo }),
  ]);
  const inPeriod = (day: string) => day >= periodFrom && day <= periodTo;
  const contactFacts: ContactFact[] = contacts
    .map((c) => ({
      participantId: c.participant_id,
      day: londonDate(new Date(c.started_at)),
      minutes: Number(c.duration_minutes),
      place: c.place,
      purpose: c.purpose,
      placementId: c.placement_id,
    }))
    .filter((c) => inPeriod(c.day));
  return proposeAll({
    period,
    asOf: londonDate(deps.clock.now()),
    practitioners: practitioners.map((p) => ({
      id: p.id,
      hoursPerWeek: p.contracted_hours_per_week === null ? null : Number(p.contracted_hours_per_week),
    })),
    openCaseload,
    employerFaceToFace: f2f.filter((c) => inPeriod(londonDate(new Date(c.contacted_at)))).length,
    people: facts.filter((x) => x.teamId === teamId),
    contacts: contactFacts,
  });
}

async function storeProposals(db: DbOrTrx, reviewId: string, proposals: readonly Proposal[]): Promise<void> {
  for (const p of proposals) {
    await repo.updateItem(db, reviewId, p.item, { proposed_score: p.score, proposed_evidence: p.evidence });
  }
}

// ---- Writing -----------------------------------------------------------------------------------

export interface ItemInput {
  item: number;
  /** Undefined leaves the score as it is; null clears it. */
  score?: number | null | undefined;
  evidence?: string | null | undefined;
}

export interface ReviewInput {
  reviewDate: string;
  periodFrom: string;
  periodTo: string;
  reviewers?: string | null | undefined;
  notes?: string | null | undefined;
  items?: readonly ItemInput[] | undefined;
}

function checkItems(items: readonly ItemInput[]): void {
  const fields: Record<string, string> = {};
  items.forEach((i, n) => {
    if (!Number.isInteger(i.item) || i.item < 1 || i.item > 25) fields[`items.${n}.item`] = 'item must be a number from 1 to 25';
    if (i.score !== undefined && i.score !== null && !isScore(i.score))
      fields[`items.${n}.score`] = 'score must be a whole number from 1 to 5, or null';
  });
  if (Object.keys(fields).length > 0) throw new ValidationError(fields);
}

/** Starts a review of the viewer's team, with the scores proposed from the records for its period. */
export async function createReview(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  input: ReviewInput,
): Promise<Review> {
  if (!canCreate(viewer) || viewer.teamId === null) {
    throw new RuleError('Only a practitioner or manager in a team can start a fidelity review, for their own team');
  }
  checkItems(input.items ?? []);
  const given = new Map((input.items ?? []).map((i) => [i.item, i]));
  const proposals = new Map(
    (await proposalsFor(db, deps, viewer.teamId, input.periodFrom, input.periodTo)).map((p) => [p.item, p]),
  );
  const record = newRecordColumns(deps.clock);
  const row: repo.ReviewRow = {
    ...record,
    team_id: viewer.teamId,
    review_date: input.reviewDate,
    period_from: input.periodFrom,
    period_to: input.periodTo,
    reviewers: input.reviewers ?? null,
    notes: input.notes ?? null,
    proposed_at: record.created_at,
    created_by_user_id: viewer.userId,
  };
  await repo.insertReview(
    db,
    row,
    ITEMS.map((i) => ({
      id: randomUUID(),
      review_id: row.id,
      item: i.item,
      score: given.get(i.item)?.score ?? null,
      evidence: given.get(i.item)?.evidence ?? null,
      proposed_score: proposals.get(i.item)?.score ?? null,
      proposed_evidence: proposals.get(i.item)?.evidence ?? null,
    })),
  );
  await audit.record(db, deps, ctx, {
    action: 'fidelity_review.created',
    entityType: 'fidelity_review',
    entityId: row.id,
    details: { team_id: row.team_id, items_scored: [...given.values()].filter((i) => i.score != null).length },
  });
  return getReview(db, viewer, row.id);
}

export interface ReviewChanges {
  reviewDate?: string | undefined;
  periodFrom?: string | undefined;
  periodTo?: string | undefined;
  reviewers?: string | null | undefined;
  notes?: string | null | undefined;
  items?: readonly ItemInput[] | undefined;
  /** Work the proposals out again from the records (the reviewer's scores are untouched). */
  refreshProposals?: boolean | undefined;
}

/** Changes a review's details, scores or evidence, refusing a stale version. */
export async function updateReview(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  id: string,
  version: number,
  changes: ReviewChanges,
): Promise<Review> {
  const current = await getReview(db, viewer, id);
  if (!canEdit(viewer, current.teamId)) throw new NotFoundError('Fidelity review not found');
  if (current.version !== version) throw new ConflictError();
  checkItems(changes.items ?? []);
  const periodFrom = changes.periodFrom ?? current.periodFrom;
  const periodTo = changes.periodTo ?? current.periodTo;
  if (periodTo < periodFrom) throw new ValidationError({ period_to: 'The end of the period must be on or after its start' });

  const now = deps.clock.now().toISOString();
  const row: Partial<repo.ReviewRow> = { updated_at: now };
  if (changes.reviewDate !== undefined) row.review_date = changes.reviewDate;
  if (changes.periodFrom !== undefined) row.period_from = changes.periodFrom;
  if (changes.periodTo !== undefined) row.period_to = changes.periodTo;
  if (changes.reviewers !== undefined) row.reviewers = changes.reviewers;
  if (changes.notes !== undefined) row.notes = changes.notes;
  if (changes.refreshProposals) row.proposed_at = now;
  if ((await repo.updateReview(db, id, version, row)) === 0) throw new ConflictError();

  const before = new Map(current.items.map((i) => [i.item, i]));
  const changedItems: number[] = [];
  for (const i of changes.items ?? []) {
    const was = before.get(i.item)!;
    const set: { score?: number | null; evidence?: string | null } = {};
    if (i.score !== undefined && i.score !== was.score) set.score = i.score;
    if (i.evidence !== undefined && i.evidence !== was.evidence) set.evidence = i.evidence;
    if (Object.keys(set).length === 0) continue;
    await repo.updateItem(db, id, i.item, set);
    changedItems.push(i.item);
  }
  if (changes.refreshProposals) await storeProposals(db, id, await proposalsFor(db, deps, current.teamId, periodFrom, periodTo));
  await audit.record(db, deps, ctx, {
    action: 'fidelity_review.updated',
    entityType: 'fidelity_review',
    entityId: id,
    details: {
      fields: Object.keys(row).filter((k) => k !== 'updated_at' && k !== 'proposed_at'),
      items: changedItems,
      ...(changes.refreshProposals ? { proposals_refreshed: true } : {}),
    },
  });
  return getReview(db, viewer, id);
}

// ---- The action plan ---------------------------------------------------------------------------

export interface ActionInput {
  item: number | null;
  action: string;
  owner: string | null;
  dueDate: string | null;
}

async function editableReview(db: DbOrTrx, viewer: Viewer, reviewId: string): Promise<Review> {
  const review = await getReview(db, viewer, reviewId);
  if (!canEdit(viewer, review.teamId)) throw new NotFoundError('Fidelity review not found');
  return review;
}

function actionOf(review: Review, actionId: string): ReviewAction {
  const action = review.actions.find((a) => a.id === actionId);
  if (!action) throw new NotFoundError('Action not found');
  return action;
}

/** Adds an action to a review's plan. */
export async function addAction(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  reviewId: string,
  input: ActionInput,
): Promise<ReviewAction> {
  await editableReview(db, viewer, reviewId);
  if (input.item !== null) itemInfo(input.item);
  const row: repo.ActionRow = {
    ...newRecordColumns(deps.clock),
    review_id: reviewId,
    item: input.item,
    action: input.action,
    owner: input.owner,
    due_date: input.dueDate,
    done_on: null,
  };
  await repo.insertAction(db, row);
  await audit.record(db, deps, ctx, {
    action: 'fidelity_action.created',
    entityType: 'fidelity_review',
    entityId: reviewId,
    details: { action_id: row.id, item: input.item },
  });
  return toAction(row);
}

/** Marks an action done today (London time); doing it twice changes nothing. */
export async function markActionDone(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  reviewId: string,
  actionId: string,
): Promise<void> {
  const action = actionOf(await editableReview(db, viewer, reviewId), actionId);
  if (action.doneOn !== null) return;
  await repo.updateAction(db, actionId, { done_on: londonDate(deps.clock.now()), updated_at: deps.clock.now().toISOString() });
  await audit.record(db, deps, ctx, {
    action: 'fidelity_action.done',
    entityType: 'fidelity_review',
    entityId: reviewId,
    details: { action_id: actionId },
  });
}

/** The action, for the confirmation page before deleting it. */
export async function getAction(
  db: DbOrTrx,
  viewer: Viewer,
  reviewId: string,
  actionId: string,
): Promise<{ review: Review; action: ReviewAction }> {
  const review = await editableReview(db, viewer, reviewId);
  return { review, action: actionOf(review, actionId) };
}

/** Removes an action from the plan. */
export async function deleteAction(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  reviewId: string,
  actionId: string,
): Promise<void> {
  actionOf(await editableReview(db, viewer, reviewId), actionId);
  await repo.deleteAction(db, actionId);
  await audit.record(db, deps, ctx, {
    action: 'fidelity_action.deleted',
    entityType: 'fidelity_review',
    entityId: reviewId,
    details: { action_id: actionId },
  });
}
