import type { Locator, Page } from 'playwright-core';
import { AbstractPage } from './abstract.page.ts';

/** A person's referrals: one section per episode, newest first, under the h1 "Referrals". */
export class ReferralsPage extends AbstractPage {
  readonly successBanner: Locator;
  readonly warnings: Locator;

  constructor(
    page: Page,
    readonly personName: string,
  ) {
    super(page, 'Referrals');
    this.successBanner = page.locator('.nhsuk-notification-banner--success');
    // Anything that would flag the referral: a warning callout, an error, or a red "over target" tag.
    this.warnings = page.locator('main .nhsuk-warning-callout, main .nhsuk-error-summary, main .nhsuk-tag--red');
  }

  override async verifyOnPage(): Promise<this> {
    await super.verifyOnPage();
    const caption = (await this.page.locator('main .nhsuk-caption-l').innerText()).trim();
    if (caption !== this.personName) throw new Error(`the referrals page is for ${caption}, not ${this.personName}`);
    return this;
  }

  /** The headings of the episodes shown, like "Episode 1: received 3 May 2026". */
  async episodeHeadings(): Promise<string[]> {
    return (await this.page.locator('main h2[id^="referral-"]').allInnerTexts()).map((t) => t.trim());
  }

  /** The status tag of the newest episode. */
  async latestStatus(): Promise<string> {
    return (await this.page.locator('main h2[id^="referral-"] + p .nhsuk-tag').first().innerText()).trim();
  }

  /** The value beside a key in the newest episode's summary, such as "Notes". */
  async detail(key: string): Promise<string> {
    const row = this.page
      .locator('main .nhsuk-summary-list')
      .first()
      .locator('.nhsuk-summary-list__row', { has: this.page.locator('dt', { hasText: key }) });
    return (await row.locator('dd').first().innerText()).trim();
  }

  /** Follows the link to the person's own page. */
  async openPersonRecord(): Promise<void> {
    await this.clickAndWait(this.page.getByRole('link', { name: `View ${this.personName}’s record` }));
  }
}
