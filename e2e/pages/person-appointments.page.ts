import type { Locator, Page } from 'playwright-core';
import { AbstractPage } from './abstract.page.ts';

/** One person's appointments ("Coming up", then "Earlier and closed"); the caption is their name. */
export class PersonAppointmentsPage extends AbstractPage {
  readonly successBanner: Locator;

  constructor(
    page: Page,
    readonly personName: string,
  ) {
    super(page, 'Appointments');
    this.successBanner = page.locator('.nhsuk-notification-banner--success');
  }

  override async verifyOnPage(): Promise<this> {
    await super.verifyOnPage();
    const caption = (await this.page.locator('main .nhsuk-caption-l').innerText()).trim();
    if (caption !== this.personName) throw new Error(`the appointments are ${caption}’s, not ${this.personName}’s`);
    return this;
  }

  /** The appointments under a heading, each as its lines of text. */
  async listed(heading: 'Coming up' | 'Earlier and closed'): Promise<string[]> {
    const list = this.page.locator('main h2', { hasText: heading }).locator('xpath=following-sibling::*[1][self::ul]');
    return (await list.locator('li').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
  }

  async planAppointment(): Promise<void> {
    await this.clickAndWait(this.page.getByRole('button', { name: 'Plan an appointment' }));
  }
}
