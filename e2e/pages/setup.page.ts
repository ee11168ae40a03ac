import type { Page } from 'playwright-core';
import { AbstractPage } from './abstract.page.ts';

/** The first-run form that creates the first administrator. */
export class SetupPage extends AbstractPage {
  constructor(page: Page) {
    super(page, 'Set up Stepwise');
  }

  /** Opens the one-time set-up link. */
  static async visit(page: Page, setupLink: string): Promise<SetupPage> {
    await page.goto(setupLink);
    return new SetupPage(page).verifyOnPage();
  }

  /** Fills in and submits the form; the caller verifies whichever page comes next. */
  async createAdministrator(details: { name: string; email: string; password: string }): Promise<void> {
    await this.page.getByLabel('Your full name').fill(details.name);
    await this.page.getByLabel('Email address').fill(details.email);
    await this.page.getByLabel('Choose a password').fill(details.password);
    await this.clickAndWait(this.page.getByRole('button', { name: 'Create administrator account' }));
  }

  /** What the name and email boxes hold now. */
  async typedValues(): Promise<{ name: string; email: string; password: string }> {
    return {
      name: await this.page.getByLabel('Your full name').inputValue(),
      email: await this.page.getByLabel('Email address').inputValue(),
      password: await this.page.getByLabel('Choose a password').inputValue(),
    };
  }
}

/** Shown when someone opens /setup without the one-time token. */
export class SetupLinkPage extends AbstractPage {
  constructor(page: Page) {
    super(page, 'Use the set-up link');
  }
}
