import type { Download } from 'playwright-core';
import { ContentPage } from './content.page.ts';

/** Any report or fidelity page, known by its heading: its tables and downloads too. */
export class ReportPage extends ContentPage {
  /** The rows of the table with this caption, each as its cells' text. */
  async table(caption: string | RegExp): Promise<string[][]> {
    const table = this.page
      .locator('main table')
      .filter({ has: this.page.locator('caption', { hasText: caption }) })
      .first();
    const rows = await table.locator('tbody tr').all();
    return Promise.all(
      rows.map(async (r) => (await r.locator('th, td').allInnerTexts()).map((c) => c.replace(/\s+/g, ' ').trim())),
    );
  }

  async download(link: string | RegExp): Promise<Download> {
    const [download] = await Promise.all([
      this.page.waitForEvent('download'),
      this.page.locator('main').getByRole('link', { name: link }).first().click(),
    ]);
    return download;
  }
}
