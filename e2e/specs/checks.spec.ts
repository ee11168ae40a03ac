import { checkPage } from '../support/checks.ts';
import { describe, expect, test } from '../support/fixtures.ts';

// The checks every other spec relies on must be able to fail; a misconfigured axe passes everything.
const html = (body: string) =>
  `<!doctype html><html lang="en"><head><title>Check</title></head><body><main><h1>Check</h1>${body}</main></body></html>`;

describe('the page checks', () => {
  test('pass a plain, accessible page', async ({ page }) => {
    await page.setContent(html('<p>Nothing wrong here.</p>'));

    await checkPage(page);
  });

  test('fail a form field without a label', async ({ page }) => {
    await page.setContent(html('<input type="text" name="nickname">'));

    await expect(checkPage(page)).rejects.toThrow(/axe label .* at 360px[\s\S]*axe label .* at 1280px/);
  });

  test('fail text that does not contrast with its background', async ({ page }) => {
    await page.setContent(html('<p style="color:#bbb;background:#fff">Faint</p>'));

    await expect(checkPage(page)).rejects.toThrow(/axe color-contrast/);
  });

  test('fail a page that scrolls sideways at 360 px', async ({ page }) => {
    await page.setContent(html('<div style="width:500px">Too wide</div>'));

    await expect(checkPage(page)).rejects.toThrow(/scrolls sideways at 360px/);
  });

  test('fail a page with a script error', async ({ page }) => {
    await page.setContent(html('<script>undefinedFunction()</script>'));

    await expect(checkPage(page)).rejects.toThrow(/script error/);
  });
});
