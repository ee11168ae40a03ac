import type { BenefitCalculationsTable, DbOrTrx } from '../db/types.ts';
import { toCount } from '../db/records.ts';

export type CalculationRow = BenefitCalculationsTable;
export type CalculationListRow = CalculationRow & { created_by_name: string | null };

export async function insertCalculation(db: DbOrTrx, row: CalculationRow): Promise<void> {
  await db.insertInto('benefit_calculations').values(row).execute();
}

const withAuthor = (db: DbOrTrx) =>
  db
    .selectFrom('benefit_calculations')
    .leftJoin('users', 'users.id', 'benefit_calculations.created_by_user_id')
    .selectAll('benefit_calculations')
    .select('users.name as created_by_name');

export async function findCalculation(db: DbOrTrx, participantId: string, id: string): Promise<CalculationListRow | undefined> {
  return withAuthor(db)
    .where('benefit_calculations.id', '=', id)
    .where('benefit_calculations.participant_id', '=', participantId)
    .executeTakeFirst();
}

/** A person's saved calculations, newest first. */
export async function listCalculations(
  db: DbOrTrx,
  participantId: string,
  limit: number,
  offset: number,
): Promise<CalculationListRow[]> {
  return withAuthor(db)
    .where('benefit_calculations.participant_id', '=', participantId)
    .orderBy('benefit_calculations.created_at', 'desc')
    .orderBy('benefit_calculations.id', 'desc')
    .limit(limit)
    .offset(offset)
    .execute();
}

export async function countCalculations(db: DbOrTrx, participantId: string): Promise<number> {
  const row = await db
    .selectFrom('benefit_calculations')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('participant_id', '=', participantId)
    .executeTakeFirst();
  return toCount(row?.n);
}
