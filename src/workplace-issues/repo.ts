import type { DbOrTrx, WorkplaceIssuesTable } from '../db/types.ts';
import { rowsUpdated } from '../db/records.ts';

export type IssueRow = WorkplaceIssuesTable;

export async function insert(db: DbOrTrx, row: IssueRow): Promise<void> {
  await db.insertInto('workplace_issues').values(row).execute();
}

export async function findById(db: DbOrTrx, id: string): Promise<IssueRow | undefined> {
  return db.selectFrom('workplace_issues').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A job's issues: open first, then newest raised first; a page of them when asked. */
export async function listForPlacement(
  db: DbOrTrx,
  placementId: string,
  page?: { limit: number; offset: number },
): Promise<IssueRow[]> {
  let q = db
    .selectFrom('workplace_issues')
    .selectAll()
    .where('placement_id', '=', placementId)
    // 'open' sorts after 'closed', so descending puts open issues first.
    .orderBy('status', 'desc')
    .orderBy('raised_on', 'desc')
    .orderBy('id');
  if (page) q = q.limit(page.limit).offset(page.offset);
  return q.execute();
}

export async function update(db: DbOrTrx, id: string, version: number, changes: Partial<IssueRow>): Promise<number> {
  const result = await db
    .updateTable('workplace_issues')
    .set({ ...changes, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return rowsUpdated(result);
}

/** The category, owner and status of every issue raised in a period for people in a team. */
export async function factsForTeam(
  db: DbOrTrx,
  teamId: string,
  from: string,
  to: string,
): Promise<Pick<IssueRow, 'category' | 'owner' | 'status'>[]> {
  return db
    .selectFrom('workplace_issues')
    .innerJoin('participants', 'participants.id', 'workplace_issues.participant_id')
    .select(['workplace_issues.category', 'workplace_issues.owner', 'workplace_issues.status'])
    .where('participants.team_id', '=', teamId)
    .where('workplace_issues.raised_on', '>=', from)
    .where('workplace_issues.raised_on', '<=', to)
    .execute();
}
