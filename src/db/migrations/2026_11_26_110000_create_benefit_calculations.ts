import type { Kysely } from 'kysely';

// Better-off-in-work calculations saved to a person's record (issue 10): the household figures
// and up to three job scenarios as entered, each scenario's result as worked out that day, and the
// tax year whose rates were used. Kept as written: a later change of rates never rewrites one.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('benefit_calculations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('participant_id', 'text', (c) => c.notNull().references('participants.id'))
    // The day the calculation is for (it picks the rates), YYYY-MM-DD.
    .addColumn('calculated_on', 'text', (c) => c.notNull())
    // "2025/26"; null when no year's rates covered the day.
    .addColumn('tax_year', 'text')
    // JSON: household, ages, children, housing costs, benefit, LCWRA, savings.
    .addColumn('household', 'text', (c) => c.notNull())
    // JSON: [{ job, result }], one to three.
    .addColumn('scenarios', 'text', (c) => c.notNull())
    .addColumn('notes', 'text')
    .addColumn('created_by_user_id', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .createIndex('benefit_calculations_participant_idx')
    .on('benefit_calculations')
    .columns(['participant_id', 'created_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('benefit_calculations').execute();
}
