import type { Locator, Page } from 'playwright-core';
import { AbstractPage } from './abstract.page.ts';

/** One person's card on the caseload, as a practitioner reads it. */
export interface CaseloadCard {
  name: string;
  status: string;
  lastContact: string;
  nextAppointment: string;
  nextStep: string;
  /** The "Needs attention" lines, each with the words of its link. */
  alerts: string[];
}

/** "My caseload" (a practitioner) or "Team caseload" (a manager): a card for each person. */
export class CaseloadPage extends AbstractPage {
  constructor(page: Page, heading: 'My caseload' | 'Team caseload' = 'My caseload') {
    super(page, heading);
  }

  /** The card of one person, found by the name in its heading. */
  card(name: string): Locator {
    return this.page.locator('main .nhsuk-card', { has: this.page.getByRole('heading', { name, exact: true }) });
  }

  /** The "Log a contact" button on a person's card (its hidden words name the person). */
  logContactButton(name: string): Locator {
    return this.card(name).getByRole('button', { name: `Log a contact with ${name}`, exact: true });
  }

  /** "3 of 20 people on your caseload". */
  async caseloadSize(): Promise<string> {
    return (await this.page.locator('main p.nhsuk-body-l').first().innerText()).trim();
  }

  /** The names on the cards, in the order shown. */
  async names(): Promise<string[]> {
    return (await this.page.locator('main .nhsuk-card .nhsuk-card__heading').allInnerTexts()).map((t) => t.trim());
  }

  /** Everything a person's card says. */
  async read(name: string): Promise<CaseloadCard> {
    const card = this.card(name);
    const value = async (key: string) =>
      (
        await card
          .locator('.nhsuk-summary-list__row', { has: this.page.locator('dt', { hasText: key }) })
          .locator('dd')
          .innerText()
      ).trim();
    return {
      name,
      status: (await card.locator('.nhsuk-tag').first().innerText()).trim(),
      lastContact: await value('Last contact'),
      nextAppointment: await value('Next appointment'),
      nextStep: await value('Next step'),
      alerts: (await card.locator('.stepwise-alerts li').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim()),
    };
  }

  /** "1 person needs attention", when anyone does. */
  needsAttentionLink(): Locator {
    return this.page.locator('main').getByRole('link', { name: /needs? attention$/ });
  }
}
