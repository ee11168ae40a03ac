// What the synthetic large service (`npm run bench:data`) and the benchmark (`npm run bench`)
// agree on: where the data lives, the counts at scale 1, and how the benchmark signs in.

/** The SQLite data folder of the large service, unless BENCH_DATA_DIR says otherwise. */
export const DEFAULT_BENCH_DIR = 'data/bench';

/** Every synthetic user's password: the data is made up, and the benchmark must sign in. */
export const BENCH_PASSWORD = 'bench-password-not-for-real-use-42';

/** `practitioner1@bench.example.org`: users are numbered from 1 within their role. */
export const benchEmail = (role: 'practitioner' | 'manager' | 'clinician' | 'commissioner' | 'admin', n: number): string =>
  `${role}${n}@bench.example.org`;

/** Counts at scale 1 (issue 11); scale N multiplies each. */
export const SCALE_1 = Object.freeze({
  practitioners: 200,
  participants: 20_000,
  contacts: 2_000_000,
  employers: 5_000,
  vacancies: 20_000,
  placements: 8_000,
});

/** The large service's database: PostgreSQL when DATABASE_URL is set, else SQLite under BENCH_DATA_DIR. */
export function benchTarget(env: NodeJS.ProcessEnv = process.env): { dataDir: string; databaseUrl: string | undefined } {
  return { dataDir: env.BENCH_DATA_DIR ?? DEFAULT_BENCH_DIR, databaseUrl: env.DATABASE_URL || undefined };
}
