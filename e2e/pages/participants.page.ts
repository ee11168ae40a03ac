import type { Page } from 'playwright-core';
import { AbstractPage } from './abstract.page.ts';

/** "Participants": search and the list of people the viewer may see. */
export class ParticipantsPage extends AbstractPage {
  constructor(page: Page) {
    super(page, 'Participants');
  }

  /** Searches by all or part of a name; the caller verifies the results page. */
  async searchByName(name: string): Promise<void> {
    await this.page.getByLabel('Name', { exact: true }).fill(name);
    await this.clickAndWait(this.page.getByRole('button', { name: 'Search' }));
  }

  /** The names in the results table. */
  async names(): Promise<string[]> {
    return (await this.page.locator('main table tbody tr a[href^="/participants/"]').allInnerTexts()).map((t) => t.trim());
  }

  /** Opens a person's page from the results. */
  async open(name: string): Promise<void> {
    await this.clickAndWait(this.page.locator('main table').getByRole('link', { name, exact: true }));
  }
}
