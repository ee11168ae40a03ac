import { type Kysely, type Migration, type MigrationResultSet, Migrator } from 'kysely';
import * as m0001 from './migrations/2026_11_25_000000_create_foundation.ts';

// Listed by hand so the set is fixed at build time and needs no directory scan at run time.
const MIGRATIONS: Record<string, Migration> = {
  '2026_11_25_000000_create_foundation': m0001,
};

function migrator(db: Kysely<unknown>): Migrator {
  return new Migrator({ db, provider: { getMigrations: async () => MIGRATIONS } });
}

function check(result: MigrationResultSet): string[] {
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    const reason = result.error instanceof Error ? result.error.message : JSON.stringify(result.error);
    throw new Error(`Migration ${failed?.migrationName ?? ''} failed: ${reason}`);
  }
  return (result.results ?? []).map((r) => r.migrationName);
}

/** Applies every pending migration; returns the names applied. */
export async function migrateToLatest<T>(db: Kysely<T>): Promise<string[]> {
  return check(await migrator(db as Kysely<unknown>).migrateToLatest());
}

/** Reverts every migration (used by the migration round-trip test). */
export async function migrateDownAll<T>(db: Kysely<T>): Promise<string[]> {
  const names: string[] = [];
  for (;;) {
    const result = await migrator(db as Kysely<unknown>).migrateDown();
    const done = check(result);
    if (done.length === 0) return names;
    names.push(...done);
  }
}
