import type { Kysely } from 'kysely';

// Matching keeps the open vacancies in memory and re-reads them only when a cheap signature of
// the table moves (row count, sum of versions, latest change). This covering index lets that
// check read a narrow index instead of every vacancy row.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('vacancies_changes_idx').on('vacancies').columns(['updated_at', 'version']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('vacancies_changes_idx').execute();
}
