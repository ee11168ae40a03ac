import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The browser suite: real servers on free ports, Debian's Chromium, axe on every page visited.
// Kept apart from the unit and route tests so `npm test` never needs a browser.
export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    name: 'e2e',
    reporters: process.env.CI ? ['default', 'json'] : ['default'],
    outputFile: { json: 'test-results/e2e.json' },
    include: ['e2e/specs/**/*.spec.ts'],
    globalSetup: ['e2e/support/global-setup.ts'],
    env: { TZ: 'Europe/London' },
    // One spec file per core: much of a browser test is waiting, so this beats the default of one fewer.
    maxWorkers: '100%',
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
