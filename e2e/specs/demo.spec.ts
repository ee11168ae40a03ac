import { DEMO_PASSWORD, loadDemo } from '../../src/demo/index.ts';
import { navigationFor } from '../../src/http/navigation.ts';
import { checkPage } from '../support/checks.ts';
import { describe, expect, test } from '../support/fixtures.ts';
import { signInWithCookie } from '../support/session.ts';

// The demo is what an evaluating manager clicks through first: every page in every role's
// navigation, full of data, must pass the same checks as any page (axe at 360 px and 1280 px, no
// sideways scrolling, no script errors).

describe('the demo service', () => {
  test('every role’s navigation pages show data and pass the page checks', { timeout: 600_000 }, async ({ page, server }) => {
    const signIns = await loadDemo(server.db, server.deps);
    // One account of each role is enough for the page checks; the route test opens them all.
    const seen = new Set<string>();
    for (const s of signIns) {
      if (seen.has(s.role)) continue;
      seen.add(s.role);
      await page.context().clearCookies();
      await signInWithCookie(page, server, { email: s.email, password: DEMO_PASSWORD });
      for (const item of navigationFor(s.role, '/')) {
        const response = await page.goto(`${server.url}${item.href}`);
        expect(response?.status(), `${s.email} ${item.href}`).toBe(200);
        await page.locator('h1').first().waitFor();
        const main = (await page.locator('main').innerText()).replace(/\s+/g, ' ');
        expect(main, `${s.email} ${item.href}`).not.toMatch(/\bNo [^.]{0,80}\byet\b|\bThere (are|is) no\b/);
        await checkPage(page);
      }
    }
    expect(seen.size).toBeGreaterThanOrEqual(5);
  });
});
