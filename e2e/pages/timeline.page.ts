import type { Locator, Page } from 'playwright-core';
import { AbstractPage } from './abstract.page.ts';

/** One entry on a timeline card. */
export interface TimelineEntry {
  /** "Contact: Job search", "Status changed from Referred to Engaged", "Referral received". */
  heading: string;
  /** The date (and time) in bold, then "By …" when someone did it. */
  when: string;
  /** "Out of hours", "Shared with clinical team". */
  tags: string[];
  /** Every line of the card's body, as one text. */
  text: string;
}

/** A person's timeline, newest first; the h1 is "Timeline" and the caption is their name. */
export class TimelinePage extends AbstractPage {
  readonly successBanner: Locator;

  constructor(
    page: Page,
    readonly personName: string,
  ) {
    super(page, 'Timeline');
    this.successBanner = page.locator('.nhsuk-notification-banner--success');
  }

  override async verifyOnPage(): Promise<this> {
    await super.verifyOnPage();
    const caption = (await this.page.locator('main .nhsuk-caption-l').innerText()).trim();
    if (caption !== this.personName) throw new Error(`the timeline is for ${caption}, not ${this.personName}`);
    return this;
  }

  /** The entries on this page of the timeline, newest first. */
  async entries(): Promise<TimelineEntry[]> {
    const cards = this.page.locator('main ol[aria-label^="Timeline"] > li');
    const out: TimelineEntry[] = [];
    for (let i = 0; i < (await cards.count()); i++) {
      const card = cards.nth(i);
      out.push({
        heading: (await card.locator('.nhsuk-card__heading').innerText()).trim(),
        when: (await card.locator('.nhsuk-card__content > p').first().innerText()).replace(/\s+/g, ' ').trim(),
        tags: (await card.locator('.nhsuk-tag').allInnerTexts()).map((t) => t.trim()),
        text: (await card.locator('.nhsuk-card__content').innerText()).replace(/\s+/g, ' ').trim(),
      });
    }
    return out;
  }

  /** "Showing 1 to 5 of 5". */
  async showing(): Promise<string> {
    return (await this.page.locator('main p[role="status"]').innerText()).trim();
  }

  /** Opens the contact form from the "Log a contact" button. */
  async logContact(): Promise<void> {
    await this.clickAndWait(this.page.getByRole('button', { name: 'Log a contact', exact: true }));
  }
}
