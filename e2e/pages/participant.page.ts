import type { Page } from 'playwright-core';
import { AbstractPage } from './abstract.page.ts';

/** A person's page: the h1 is their name. */
export class ParticipantPage extends AbstractPage {
  constructor(page: Page, name: string) {
    super(page, name);
  }

  /** The value beside a key in the "Details" list, such as "NHS number". */
  async detail(key: string): Promise<string> {
    const row = this.page
      .locator('main .nhsuk-summary-list')
      .first()
      .locator('.nhsuk-summary-list__row', { has: this.page.locator('dt', { hasText: key }) });
    return (await row.locator('dd').first().innerText()).trim();
  }

  /** The person's status, as the tag under their name shows it. */
  async status(): Promise<string> {
    return (await this.page.locator('main h1 + p .nhsuk-tag').innerText()).trim();
  }

  async openReferrals(): Promise<void> {
    await this.clickAndWait(this.page.getByRole('link', { name: 'Referrals', exact: true }));
  }

  async openProfile(): Promise<void> {
    await this.clickAndWait(this.page.getByRole('link', { name: 'Vocational profile', exact: true }));
  }

  async openMatches(): Promise<void> {
    await this.clickAndWait(this.page.getByRole('link', { name: /^Job matches/ }));
  }
}
