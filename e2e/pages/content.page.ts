import type { Page } from 'playwright-core';
import { AbstractPage } from './abstract.page.ts';

/** A page known by its heading that a spec drives by link text and button names in the main content. */
export class ContentPage extends AbstractPage {
  constructor(page: Page, heading: string | RegExp) {
    super(page, heading);
  }

  /** The text of the main content, spaces collapsed. */
  async text(): Promise<string> {
    return (await this.page.locator('main').innerText()).replace(/\s+/g, ' ');
  }

  async follow(link: string | RegExp): Promise<void> {
    await this.clickAndWait(this.page.locator('main').getByRole('link', { name: link }).first());
  }

  async press(button: string | RegExp): Promise<void> {
    await this.clickAndWait(this.page.locator('main').getByRole('button', { name: button }).first());
  }
}
