import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test as base } from 'vitest';
import { ARTIFACTS_DIR, LAUNCH_OPTIONS, WIDE, launchBrowser, watchForProblems } from './browser.ts';
import { startE2eServer } from './server.ts';

// Specs can override this to start the server with more settings (test.override).
const NO_EXTRA_ENV: Record<string, string> = {};

function fileSafe(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 120);
}

/**
 * The suite's test function. Each spec file gets one Chromium; each test gets its own server
 * (a fresh database, so tests never depend on each other) and its own browser context, which
 * leaves a screenshot and the page's HTML in e2e/artifacts/ when the test fails.
 */
export const test = base
  .extend('launchOptions', { scope: 'worker' }, LAUNCH_OPTIONS)
  .extend('browser', { scope: 'file' }, async ({ launchOptions }, { onCleanup }) => {
    const browser = await launchBrowser(launchOptions);
    onCleanup(() => browser.close());
    return browser;
  })
  .extend('serverEnv', NO_EXTRA_ENV)
  .extend('server', async ({ serverEnv }, { onCleanup }) => {
    const server = await startE2eServer(serverEnv);
    onCleanup(() => server.close());
    return server;
  })
  .extend('page', async ({ browser, task }, { onCleanup }) => {
    const context = await browser.newContext({ viewport: WIDE });
    // Well inside the test timeout, so a missing element fails with Playwright's own message.
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    watchForProblems(page);
    onCleanup(async () => {
      if (task.result?.state === 'fail') {
        const name = fileSafe(`${path.basename(task.file.name, '.spec.ts')} ${task.name}`);
        await page.screenshot({ path: path.join(ARTIFACTS_DIR, `${name}.png`), fullPage: true }).catch(() => undefined);
        const html = await page.content().catch(() => '');
        writeFileSync(path.join(ARTIFACTS_DIR, `${name}.html`), html);
      }
      await context.close();
    });
    return page;
  });

export { describe, expect } from 'vitest';

/**
 * The time one journey may take: many pages, each checked with axe at two widths, on a CI machine
 * running two spec files (two servers and two Chromiums) at once on two cores, which makes a
 * journey about three times slower than alone. It only has to catch a journey that hangs.
 */
export const JOURNEY = { timeout: 300_000 };
