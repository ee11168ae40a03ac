import type { Page } from 'playwright-core';
import { AbstractPage } from './abstract.page.ts';

/** The signed-in home page, which greets the person by name. */
export class HomePage extends AbstractPage {
  constructor(page: Page, name: string) {
    super(page, `Welcome, ${name}`);
  }

  /** The name and role shown in the header's account area. */
  async accountLabel(): Promise<string> {
    return (await this.page.locator('.nhsuk-header__account-item').first().innerText()).trim();
  }
}
