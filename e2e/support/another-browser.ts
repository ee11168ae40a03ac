import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { onTestFinished } from 'vitest';
import { ARTIFACTS_DIR, WIDE, watchForProblems } from './browser.ts';

/**
 * A second person's browser within one test: its own context (so its own cookies and session),
 * watched for problems like the fixture's page, closed when the test ends, and leaving a
 * screenshot and the page's HTML in e2e/artifacts/ (named with `who`) if the test fails.
 * `options` add to the context's (a phone's touch screen, say).
 */
export async function openAnotherBrowser(browser: Browser, who: string, options: BrowserContextOptions = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: WIDE, ...options });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  watchForProblems(page);
  onTestFinished(async ({ task }) => {
    if (task.result?.state === 'fail') {
      const name = `${path.basename(task.file.name, '.spec.ts')} ${task.name} ${who}`
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-|-$/g, '')
        .slice(0, 120);
      await page.screenshot({ path: path.join(ARTIFACTS_DIR, `${name}.png`), fullPage: true }).catch(() => undefined);
      writeFileSync(path.join(ARTIFACTS_DIR, `${name}.html`), await page.content().catch(() => ''));
    }
    await context.close();
  });
  return page;
}
