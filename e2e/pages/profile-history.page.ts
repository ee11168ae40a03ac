import type { Page } from 'playwright-core';
import { AbstractPage } from './abstract.page.ts';

export interface ProfileVersion {
  /** "Version 2". */
  heading: string;
  /** "Saved by Ada Lovelace on …". */
  savedBy: string;
  /** What changed: the field's label and its before and after text. */
  changes: { label: string; text: string }[];
}

/** Every saved version of a profile, newest first, with who saved it and what changed. */
export class ProfileHistoryPage extends AbstractPage {
  constructor(page: Page) {
    super(page, 'Profile history');
  }

  async versions(): Promise<ProfileVersion[]> {
    const headings = this.page.locator('main h2', { hasText: /^Version \d+$/ });
    const out: ProfileVersion[] = [];
    for (let i = 0; i < (await headings.count()); i++) {
      const heading = headings.nth(i);
      const savedBy = (await heading.locator('xpath=following-sibling::p[1]').innerText()).trim();
      const list = heading.locator('xpath=following-sibling::*[2][self::dl]');
      const changes: { label: string; text: string }[] = [];
      const rows = list.locator('.nhsuk-summary-list__row');
      for (let r = 0; r < (await rows.count()); r++) {
        changes.push({
          label: (await rows.nth(r).locator('dt').innerText()).trim(),
          text: (await rows.nth(r).locator('dd').innerText()).replace(/\s+/g, ' ').trim(),
        });
      }
      out.push({ heading: (await heading.innerText()).trim(), savedBy, changes });
    }
    return out;
  }
}
