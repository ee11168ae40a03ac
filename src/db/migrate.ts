import { type Kysely, type Migration, type MigrationResultSet, Migrator, PostgresAdapter, sql } from 'kysely';
import * as m0001 from './migrations/2026_11_25_000000_create_foundation.ts';
import * as m0002 from './migrations/2026_11_25_120000_create_participants.ts';
import * as m0003 from './migrations/2026_11_25_170000_create_contacts.ts';
import * as m0004 from './migrations/2026_11_25_200000_create_job_development.ts';
import * as vacancyImportReport from './migrations/2026_11_25_210000_add_vacancy_import_report.ts';
import * as vacancyChangesIndex from './migrations/2026_11_25_220000_index_vacancy_changes.ts';
import * as inWorkSupport from './migrations/2026_11_25_230000_create_in_work_support.ts';
import * as accessToWork from './migrations/2026_11_25_240000_create_access_to_work.ts';
import * as internships from './migrations/2026_11_25_250000_create_internships.ts';
import * as fidelityReviews from './migrations/2026_11_26_100000_create_fidelity_reviews.ts';
import * as benefitCalculations from './migrations/2026_11_26_110000_create_benefit_calculations.ts';
import * as breakGlassGrants from './migrations/2026_11_27_100000_create_break_glass_grants.ts';
import * as erasureRequests from './migrations/2026_11_27_110000_create_erasure_requests.ts';
import * as recordRevisionsAndRetention from './migrations/2026_11_27_120000_create_record_revisions_and_retention.ts';
import * as personRecordIndexes from './migrations/2026_11_28_100000_index_person_record_lookups.ts';

// Listed by hand so the set is fixed at build time and needs no directory scan at run time.
const MIGRATIONS: Record<string, Migration> = {
  '2026_11_25_000000_create_foundation': m0001,
  '2026_11_25_120000_create_participants': m0002,
  '2026_11_25_170000_create_contacts': m0003,
  '2026_11_25_200000_create_job_development': m0004,
  '2026_11_25_210000_add_vacancy_import_report': vacancyImportReport,
  '2026_11_25_220000_index_vacancy_changes': vacancyChangesIndex,
  '2026_11_25_230000_create_in_work_support': inWorkSupport,
  '2026_11_25_240000_create_access_to_work': accessToWork,
  '2026_11_25_250000_create_internships': internships,
  '2026_11_26_100000_create_fidelity_reviews': fidelityReviews,
  '2026_11_26_110000_create_benefit_calculations': benefitCalculations,
  '2026_11_27_100000_create_break_glass_grants': breakGlassGrants,
  '2026_11_27_110000_create_erasure_requests': erasureRequests,
  '2026_11_27_120000_create_record_revisions_and_retention': recordRevisionsAndRetention,
  '2026_11_28_100000_index_person_record_lookups': personRecordIndexes,
};

/**
 * On PostgreSQL the migration tables are pinned to the connection's current schema: Kysely
 * otherwise treats a `kysely_migration` table in any other schema as its own.
 */
async function migrator(db: Kysely<unknown>): Promise<Migrator> {
  let migrationTableSchema: string | undefined;
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
    migrationTableSchema = rows[0]?.schema;
  }
  return new Migrator({
    db,
    provider: { getMigrations: async () => MIGRATIONS },
    ...(migrationTableSchema ? { migrationTableSchema } : {}),
  });
}

function check(result: MigrationResultSet): string[] {
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    const reason = result.error instanceof Error ? result.error.message : JSON.stringify(result.error);
    throw new Error(`Migration ${failed?.migrationName ?? ''} failed: ${reason}`);
  }
  return (result.results ?? []).map((r) => r.migrationName);
}

/**
 * On PostgreSQL Kysely's migrator reads the catalog of every schema in the database (including
 * `pg_get_serial_sequence` per column) before it takes its lock, so a table, column or schema
 * dropped elsewhere at that moment fails the read ("... does not exist") although nothing of ours
 * changed. Such a failure comes before any migration runs (no migration is named), so it is safe
 * to try again.
 */
function isCatalogRace(result: MigrationResultSet): boolean {
  const named = result.results?.some((r) => r.status === 'Error');
  const message = result.error instanceof Error ? result.error.message : '';
  return !named && /does not exist/.test(message);
}

/** Applies every pending migration; returns the names applied. */
export async function migrateToLatest<T>(db: Kysely<T>): Promise<string[]> {
  for (let attempt = 1; ; attempt++) {
    const result = await (await migrator(db as Kysely<unknown>)).migrateToLatest();
    if (attempt < 5 && isCatalogRace(result)) continue;
    return check(result);
  }
}

/** Reverts every migration (used by the migration round-trip test). */
export async function migrateDownAll<T>(db: Kysely<T>): Promise<string[]> {
  const names: string[] = [];
  const m = await migrator(db as Kysely<unknown>);
  for (;;) {
    const result = await m.migrateDown();
    const done = check(result);
    if (done.length === 0) return names;
    names.push(...done);
  }
}
