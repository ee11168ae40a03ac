import type { Page } from 'playwright-core';
import { AbstractPage } from './abstract.page.ts';

/** "Your account": details, second factor and API tokens. */
export class AccountPage extends AbstractPage {
  constructor(page: Page) {
    super(page, 'Your account');
  }

  /** The value beside a key in the details list, such as "Email address". */
  async detail(key: string): Promise<string> {
    const row = this.page.locator('.nhsuk-summary-list__row', { has: this.page.locator('dt', { hasText: key }) });
    return (await row.locator('dd').first().innerText()).trim();
  }
}
