import type { Kysely } from 'kysely';

// A CSV import's report also says how many employers it added, and why it stopped when it failed.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('vacancy_imports')
    .addColumn('new_employers', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('vacancy_imports').addColumn('failure', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('vacancy_imports').dropColumn('failure').execute();
  await db.schema.alterTable('vacancy_imports').dropColumn('new_employers').execute();
}
