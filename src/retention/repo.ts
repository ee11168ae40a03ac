import { type SelectQueryBuilder, sql } from 'kysely';
import type { Database, DbOrTrx, RetentionReviewsTable } from '../db/types.ts';
import { toCount } from '../db/records.ts';
import type { RecordClass } from './rules.ts';

export type ReviewRow = RetentionReviewsTable;

/** One record past its period, with the person it belongs to. */
export interface DueRow {
  record_class: string;
  record_id: string;
  participant_id: string;
  /** What the period counts from: a date or an ISO instant. */
  counted_from: string;
  given_name: string;
  family_name: string;
  preferred_name: string | null;
}

/** Which records to look at: each class's cutoff, the day, and optionally one team or one record. */
export interface DueFilter {
  /** Records counted from before this (YYYY-MM-DD) are past their period, per class. */
  cutoffs: Readonly<Partial<Record<RecordClass, string>>>;
  today: string;
  teamId?: string;
  record?: { recordClass: RecordClass; recordId: string };
}

type Branch = SelectQueryBuilder<Database, never, DueRow>;

const lit = (v: string) => sql<string>`${sql.lit(v)}`;

/**
 * The records of one class past its period and not kept by a review whose next date is still to
 * come. Each branch has the same columns so the classes can be listed together, oldest first.
 */
function branch(db: DbOrTrx, recordClass: RecordClass, cutoff: string, f: DueFilter): Branch | null {
  const kept = (column: string) =>
    sql<boolean>`not exists (select 1 from retention_reviews rr where rr.record_class = ${sql.lit(recordClass)} and rr.record_id = ${sql.ref(column)} and rr.next_review_on > ${f.today})`;
  const person = ['participants.given_name', 'participants.family_name', 'participants.preferred_name'] as const;
  let q: Branch;
  let idColumn: string;
  switch (recordClass) {
    case 'participant': {
      const discharged = sql<string>`(select max(psc.changed_at) from participant_status_changes psc where psc.participant_id = participants.id and psc.to_status = 'discharged')`;
      q = db
        .selectFrom('participants')
        .select([
          lit(recordClass).as('record_class'),
          'participants.id as record_id',
          'participants.id as participant_id',
          discharged.as('counted_from'),
          ...person,
        ])
        .where('participants.status', '=', 'discharged')
        .where(sql<boolean>`${discharged} < ${cutoff}`)
        .where(kept('participants.id'))
        .$castTo<DueRow>();
      idColumn = 'participants.id';
      break;
    }
    case 'referral_not_taken_up':
      q = db
        .selectFrom('referrals')
        .innerJoin('participants', 'participants.id', 'referrals.participant_id')
        .select([
          lit(recordClass).as('record_class'),
          'referrals.id as record_id',
          'participants.id as participant_id',
          sql<string>`referrals.closed_date`.as('counted_from'),
          ...person,
        ])
        // Closed (rather than ended at discharge): the person chose not to go on, or could not be reached.
        .where('referrals.status', '=', 'closed')
        .where('referrals.closed_date', '<', cutoff)
        .where(kept('referrals.id'))
        .$castTo<DueRow>();
      idColumn = 'referrals.id';
      break;
    case 'contact':
      q = db
        .selectFrom('contacts')
        .innerJoin('participants', 'participants.id', 'contacts.participant_id')
        .select([
          lit(recordClass).as('record_class'),
          'contacts.id as record_id',
          'participants.id as participant_id',
          'contacts.started_at as counted_from',
          ...person,
        ])
        .where('contacts.started_at', '<', cutoff)
        .where(kept('contacts.id'))
        .$castTo<DueRow>();
      idColumn = 'contacts.id';
      break;
    case 'benefit_calculation':
      q = db
        .selectFrom('benefit_calculations')
        .innerJoin('participants', 'participants.id', 'benefit_calculations.participant_id')
        .select([
          lit(recordClass).as('record_class'),
          'benefit_calculations.id as record_id',
          'participants.id as participant_id',
          'benefit_calculations.created_at as counted_from',
          ...person,
        ])
        .where('benefit_calculations.created_at', '<', cutoff)
        .where(kept('benefit_calculations.id'))
        .$castTo<DueRow>();
      idColumn = 'benefit_calculations.id';
      break;
    case 'atw_claim':
      q = db
        .selectFrom('atw_claims')
        .innerJoin('participants', 'participants.id', 'atw_claims.participant_id')
        .select([
          lit(recordClass).as('record_class'),
          'atw_claims.id as record_id',
          'participants.id as participant_id',
          'atw_claims.period_end as counted_from',
          ...person,
        ])
        .where('atw_claims.period_end', '<', cutoff)
        .where(kept('atw_claims.id'))
        .$castTo<DueRow>();
      idColumn = 'atw_claims.id';
      break;
    default:
      return null;
  }
  if (f.record) q = q.where(sql<boolean>`${sql.ref(idColumn)} = ${f.record.recordId}`);
  if (f.teamId !== undefined) q = q.where(sql<boolean>`participants.team_id = ${f.teamId}`);
  return q;
}

/** All the listed classes' records past their period, as one query, or null when no class is asked for. */
function due(db: DbOrTrx, f: DueFilter) {
  const branches = (Object.entries(f.cutoffs) as [RecordClass, string][])
    .filter(([c]) => !f.record || f.record.recordClass === c)
    .map(([c, cutoff]) => branch(db, c, cutoff, f))
    .filter((b): b is Branch => b !== null);
  const [first, ...rest] = branches;
  if (!first) return null;
  return rest.reduce((acc, b) => acc.unionAll(b), first);
}

/** A page of records past their period, oldest first, and how many there are in all. */
export async function pageDue(
  db: DbOrTrx,
  f: DueFilter,
  page: { limit: number; offset: number },
): Promise<{ rows: DueRow[]; total: number }> {
  const q = due(db, f);
  if (!q) return { rows: [], total: 0 };
  const totalRow = await db
    .selectFrom(q.as('due'))
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  const rows = await db
    .selectFrom(q.as('due'))
    .selectAll()
    .orderBy('counted_from')
    .orderBy('record_class')
    .orderBy('record_id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return { rows, total: toCount(totalRow.n) };
}

/** One record past its period (for the review form), or undefined. */
export async function findDue(db: DbOrTrx, f: DueFilter): Promise<DueRow | undefined> {
  const q = due(db, f);
  return q ? q.executeTakeFirst() : undefined;
}

/** How many records of each listed class are past their period, across every team. */
export async function countDue(db: DbOrTrx, f: DueFilter): Promise<Map<string, number>> {
  const q = due(db, f);
  if (!q) return new Map();
  const rows = await db
    .selectFrom(q.as('due'))
    .select(['record_class', (eb) => eb.fn.countAll().as('n')])
    .groupBy('record_class')
    .execute();
  return new Map(rows.map((r) => [r.record_class, toCount(r.n)]));
}

/** How many records of each class are kept by a review whose next date is still to come. */
export async function countKept(db: DbOrTrx, today: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('retention_reviews')
    .select(['record_class', (eb) => eb.fn.count('record_id').distinct().as('n')])
    .where('next_review_on', '>', today)
    .groupBy('record_class')
    .execute();
  return new Map(rows.map((r) => [r.record_class, toCount(r.n)]));
}

/** Audit trail events from before the cutoff (YYYY-MM-DD). */
export async function countAuditEventsBefore(db: DbOrTrx, cutoff: string): Promise<number> {
  const r = await db
    .selectFrom('audit_events')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('occurred_at', '<', cutoff)
    .executeTakeFirstOrThrow();
  return toCount(r.n);
}

export async function insertReview(db: DbOrTrx, row: ReviewRow): Promise<void> {
  await db.insertInto('retention_reviews').values(row).execute();
}
