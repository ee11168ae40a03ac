import type { Page } from 'playwright-core';
import { AbstractPage } from './abstract.page.ts';

/** "People for <job title>": the caller's caseload ranked for one vacancy. */
export class PeopleForVacancyPage extends AbstractPage {
  constructor(page: Page, title: string) {
    super(page, `People for ${title}`);
  }

  /** The people's names, best match first. */
  async names(): Promise<string[]> {
    return (await this.page.locator('main .nhsuk-card h2').allInnerTexts()).map((t) => t.trim());
  }

  /** What a person's card says (score, reasons, their match if any). */
  async cardOf(name: string): Promise<string> {
    const card = this.page.locator('main .nhsuk-card').filter({ has: this.page.getByRole('heading', { name, exact: true }) });
    return (await card.innerText()).replace(/\s+/g, ' ').trim();
  }
}

/** "Confirm they have started the job": the first day, then the placement. */
export class StartJobPage extends AbstractPage {
  constructor(page: Page) {
    super(page, 'Confirm they have started the job');
  }

  async confirm(firstDay?: string): Promise<void> {
    if (firstDay !== undefined) await this.page.getByLabel('First day in the job').fill(firstDay);
    await this.clickAndWait(this.page.getByRole('button', { name: 'Confirm they have started' }));
  }
}
