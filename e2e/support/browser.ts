import { fileURLToPath } from 'node:url';
import { type Browser, type LaunchOptions, type Page, chromium } from 'playwright-core';

/** Debian's Chromium; Playwright's own browser downloads do not work here. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Screenshots of failed tests; ignored by git. */
export const ARTIFACTS_DIR = fileURLToPath(new URL('../artifacts/', import.meta.url));

/** The two widths every page is checked at: a small phone and a laptop. */
export const NARROW = { width: 360, height: 740 } as const;
export const WIDE = { width: 1280, height: 800 } as const;

export const LAUNCH_OPTIONS: LaunchOptions = {
  executablePath: CHROMIUM_PATH,
  headless: true,
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
};

/** Starts Chromium. */
export async function launchBrowser(options: LaunchOptions = LAUNCH_OPTIONS): Promise<Browser> {
  return chromium.launch(options);
}

// The NHS.UK stylesheet asks for its fonts from assets.nhs.uk; the content security policy
// refuses them on purpose (nothing is loaded from outside) and the fallback fonts are used.
const EXPECTED_REFUSAL = /font 'https:\/\/assets\.nhs\.uk\/fonts\/[^']+' .*Content Security Policy/;

const problems = new WeakMap<Page, string[]>();

/**
 * Records what a person would not see but should fail a test: script errors, console errors
 * (including content security policy refusals) and stylesheets, scripts or images that failed.
 */
export function watchForProblems(page: Page): void {
  const found: string[] = [];
  problems.set(page, found);
  page.on('pageerror', (err) => found.push(`script error on ${page.url()}: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const text = msg.text();
    // The browser logs every 4xx document too; those are asserted by the specs themselves.
    if (text.startsWith('Failed to load resource') || EXPECTED_REFUSAL.test(text)) return;
    found.push(`console error on ${page.url()}: ${text}`);
  });
  page.on('response', (res) => {
    const request = res.request();
    if (request.resourceType() !== 'document' && res.status() >= 400) {
      found.push(`${request.resourceType()} ${res.url()} answered ${res.status()}`);
    }
  });
  page.on('requestfailed', (request) => {
    // A document that fails shows as a failed navigation or heading check instead.
    if (request.resourceType() !== 'document' && !request.url().startsWith('https://assets.nhs.uk/')) {
      found.push(`${request.resourceType()} ${request.url()} failed: ${request.failure()?.errorText ?? 'unknown error'}`);
    }
  });
}

/** Problems recorded on this page so far. */
export function problemsOn(page: Page): readonly string[] {
  return problems.get(page) ?? [];
}
