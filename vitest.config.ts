import { defineConfig } from 'vitest/config';

// Every test file runs against SQLite; when TEST_DATABASE_URL is set the same files run again
// against PostgreSQL, each file in its own schema.
const postgres = process.env.TEST_DATABASE_URL;
const shared = {
  include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
  env: { TZ: 'Europe/London' },
  testTimeout: 30_000,
  hookTimeout: 30_000,
};

export default defineConfig({
  test: {
    globalSetup: ['test/global-setup.ts'],
    // CI also writes a JSON summary, from which .ci/run prints a plain "N passed, N failed" line.
    reporters: process.env.CI ? ['default', 'json'] : ['default'],
    outputFile: { json: 'test-results/unit.json' },
    projects: [
      { test: { ...shared, name: 'sqlite', env: { ...shared.env, STEPWISE_TEST_DB: 'sqlite' } } },
      ...(postgres ? [{ test: { ...shared, name: 'postgres', env: { ...shared.env, STEPWISE_TEST_DB: 'postgres' } } }] : []),
    ],
  },
});
