import * as audit from '../audit/service.ts';
import type { DbOrTrx } from '../db/types.ts';
import type { Deps } from '../deps.ts';
import { ForbiddenError, NotFoundError } from '../errors.ts';
import { PROGRAMME_LABELS, type Programme, type Viewer, canSeeParticipant } from '../participants/rules.ts';
import { displayName } from '../profiles/service.ts';
import type { Period } from './outcomes.ts';
import { type Measure, type ShownCount, type ShownFigure, type Split, outcomeReport, present, seesPeople } from './service.ts';
import * as repo from './people-repo.ts';

// The people behind one figure of the outcome report, for the roles that may see people, and
// whether a report's scope holds anything to count at all.

export const PEOPLE_PAGE_SIZE = 25;

export interface PersonListItem {
  id: string;
  name: string;
  practitionerName: string | null;
  programme: string;
}

export interface PeopleList {
  measure: Measure;
  part: string;
  group: { key: string; label: string };
  /** The figure as the report shows it (a job or referral count may hold a person more than once). */
  figure: number;
  /** Distinct people behind it that the viewer may see. */
  total: number;
  people: PersonListItem[];
  page: number;
  pageCount: number;
}

/** One count of a presented figure, by the part name the people list uses. */
export function countIn(figure: ShownFigure, part: string): ShownCount | null {
  if ('people' in figure) return part === 'value' ? figure : null;
  if ('numerator' in figure) return part === 'numerator' ? figure.numerator : part === 'denominator' ? figure.denominator : null;
  if ('buckets' in figure) {
    if (part === 'count') return figure.count;
    if (part === 'not_yet') return figure.not_yet;
    const m = /^bucket(\d)$/.exec(part);
    return m ? (figure.buckets[Number(m[1])]?.count ?? null) : null;
  }
  return null;
}

/** The report's scope as the facts loader reads it: the whole service, or the viewer's team and caseload. */
function scopeOf(viewer: Viewer): { teamIds: string[] | null; practitionerId: string | null } {
  if (!seesPeople(viewer.role)) return { teamIds: null, practitionerId: null };
  return { teamIds: viewer.teamId ? [viewer.teamId] : [], practitionerId: viewer.userId };
}

/** Whether the report's scope has any accepted referral or job at all (for the empty state). */
export async function hasAnyRecords(db: DbOrTrx, viewer: Viewer): Promise<boolean> {
  const s = scopeOf(viewer);
  return repo.anyRecords(db, s.teamIds, s.practitionerId);
}

/**
 * Lists, a page at a time, the people behind one count of the outcome report, each checked again
 * against who the viewer may see. Practitioners and managers only. The listing is audited with
 * the ids shown.
 */
export async function listPeople(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  q: { measure: Measure; part: string; period: Period; split: Split; group: string; page: number },
): Promise<PeopleList> {
  if (!seesPeople(viewer.role)) throw new ForbiddenError('Only practitioners and managers can see the people behind a figure');
  const report = present(await outcomeReport(db, { clock: deps.clock }, viewer, q.period, q.split));
  const group = q.group === report.total.key ? report.total : report.groups.find((g) => g.key === q.group);
  if (!group) throw new NotFoundError('There is no such group in this report');
  const figure = group.figures[q.measure.key];
  const count = figure ? countIn(figure, q.part) : null;
  if (!count) throw new NotFoundError('This figure is not split this way');
  const rows = await repo.peopleByIds(db, count.people ?? []);
  // Checked again here: a list of names must never reach past the viewer's own scope. Only
  // practitioners and managers get this far, whom a referring clinical team never lets see more.
  const visible = rows
    .filter((r) => canSeeParticipant(viewer, { practitionerId: r.practitioner_id, teamId: r.team_id, clinicalTeamIds: [] }))
    .sort(
      (a, b) =>
        a.family_name.localeCompare(b.family_name) || a.given_name.localeCompare(b.given_name) || a.id.localeCompare(b.id),
    )
    .map((r): PersonListItem => ({
      id: r.id,
      name: displayName({ givenName: r.given_name, familyName: r.family_name, preferredName: r.preferred_name }),
      practitionerName: r.practitioner_name,
      programme: PROGRAMME_LABELS[r.programme as Programme] ?? r.programme,
    }));
  const pageCount = Math.max(1, Math.ceil(visible.length / PEOPLE_PAGE_SIZE));
  const page = Math.min(q.page, pageCount);
  const shown = visible.slice((page - 1) * PEOPLE_PAGE_SIZE, page * PEOPLE_PAGE_SIZE);
  await audit.record(db, deps, ctx, {
    action: 'report.people_listed',
    details: {
      measure: q.measure.key,
      part: q.part,
      from: q.period.from,
      to: q.period.to,
      split: q.split,
      group: group.key,
      page,
      participant_ids: shown.map((p) => p.id),
    },
  });
  return {
    measure: q.measure,
    part: q.part,
    group: { key: group.key, label: group.label },
    figure: typeof count.value === 'number' ? count.value : 0,
    total: visible.length,
    people: shown,
    page,
    pageCount,
  };
}

/** Records that someone looked at the outcome report (aggregate figures: no people named). */
export async function recordReportViewed(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  period: Period,
  split: Split,
  via: 'page' | 'api',
): Promise<void> {
  await audit.record(db, deps, ctx, {
    action: 'report.outcomes_viewed',
    details: { from: period.from, to: period.to, split, via },
  });
}
