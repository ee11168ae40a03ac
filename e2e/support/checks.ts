import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { NARROW, WIDE, problemsOn } from './browser.ts';

/** Every WCAG 2.0, 2.1 and 2.2 success criterion at levels A and AA that axe can test. */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

type Violation = Awaited<ReturnType<AxeBuilder['analyze']>>['violations'][number];

function describeViolation(v: Violation, width: number): string {
  const where = v.nodes.map((n) => JSON.stringify(n.target)).join(', ');
  return `axe ${v.id} (${v.impact ?? 'unknown impact'}) at ${width}px: ${v.help} [${v.helpUrl}] on ${where}`;
}

/**
 * Lets the page settle after a resize: the NHS.UK header re-flows its navigation in script.
 * Chromium gives a page in the background (a second person's window) no animation frames, so
 * waiting for two frames alone would wait for ever there: a timer ends the wait too.
 */
async function nextFrames(page: Page): Promise<void> {
  await page.evaluate(
    'new Promise((resolve) => { setTimeout(resolve, 250); requestAnimationFrame(() => requestAnimationFrame(resolve)); })',
  );
}

/**
 * Checks the page as it is now at 360 px and at 1280 px wide: no axe violations against WCAG
 * 2.x A and AA, no sideways scrolling on the narrow screen, and no script, console or asset
 * errors. Resizing rather than reloading means a page shown after a form post is checked too.
 */
export async function checkPage(page: Page): Promise<void> {
  const original = page.viewportSize();
  const failures: string[] = [];
  for (const size of [NARROW, WIDE]) {
    await page.setViewportSize(size);
    await nextFrames(page);
    const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
    failures.push(...results.violations.map((v) => describeViolation(v, size.width)));
    if (size === NARROW) {
      const scrollWidth = await page.evaluate<number>('document.documentElement.scrollWidth');
      if (scrollWidth > NARROW.width) {
        failures.push(`the page scrolls sideways at ${NARROW.width}px: it is ${scrollWidth}px wide`);
      }
    }
  }
  if (original) await page.setViewportSize(original);
  failures.push(...problemsOn(page));
  if (failures.length > 0) {
    throw new Error(`${failures.length} problem(s) on ${page.url()}:\n- ${failures.join('\n- ')}`);
  }
}
