import type { Kysely } from 'kysely';

// A person's records are found by the person, their job or their internship: every page about
// them, the subject access export and erasure ask by these columns. Without an index each asks by
// reading the whole table (the caseload page scanned all 8,000 jobs for support plans), and on
// PostgreSQL deleting a person checked every referencing table the same way.
// src/db/indexes.test.ts fails when a new table's person, job or internship column has none.
const INDEXES: readonly [name: string, table: string, column: string][] = [
  ['support_plans_participant_idx', 'support_plans', 'participant_id'],
  ['workplace_issues_participant_idx', 'workplace_issues', 'participant_id'],
  ['absences_participant_idx', 'absences', 'participant_id'],
  ['atw_claims_participant_idx', 'atw_claims', 'participant_id'],
  ['instruction_sessions_placement_idx', 'instruction_sessions', 'placement_id'],
  ['atw_awards_placement_idx', 'atw_awards', 'placement_id'],
  ['placements_vacancy_idx', 'placements', 'vacancy_id'],
  ['rotation_placements_intern_idx', 'rotation_placements', 'cohort_intern_id'],
  ['rotation_reviews_intern_idx', 'rotation_reviews', 'cohort_intern_id'],
  ['rotation_tasks_intern_idx', 'rotation_tasks', 'cohort_intern_id'],
  ['employability_checks_intern_idx', 'employability_checks', 'cohort_intern_id'],
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const [name, table, column] of INDEXES) await db.schema.createIndex(name).on(table).column(column).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const [name] of INDEXES) await db.schema.dropIndex(name).execute();
}
