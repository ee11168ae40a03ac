import type { DbOrTrx, PlacementsTable } from '../db/types.ts';

export type PlacementRow = PlacementsTable;

export async function insert(db: DbOrTrx, row: PlacementRow): Promise<void> {
  await db.insertInto('placements').values(row).execute();
}

/** The placement a match created, if any, for each of these matches. One query. */
export async function idsByMatch(db: DbOrTrx, matchIds: readonly string[]): Promise<Map<string, string>> {
  if (matchIds.length === 0) return new Map();
  const rows = await db.selectFrom('placements').select(['id', 'match_id']).where('match_id', 'in', matchIds).execute();
  return new Map(rows.filter((r) => r.match_id !== null).map((r) => [r.match_id as string, r.id]));
}
