import type { Locator, Page } from 'playwright-core';
import { AbstractPage } from './abstract.page.ts';

/** One appointment: the h1 is the person's name, under the caption "Appointment". */
export class AppointmentPage extends AbstractPage {
  readonly attendedButton: Locator;

  constructor(page: Page, name: string) {
    super(page, name);
    this.attendedButton = page.getByRole('button', { name: 'Attended – log the contact' });
  }

  async status(): Promise<string> {
    return (await this.page.locator('main h1 + p .nhsuk-tag').innerText()).trim();
  }

  /** The value beside a key, such as "When" or "Where". */
  async detail(key: string): Promise<string> {
    const row = this.page.locator('main .nhsuk-summary-list__row', { has: this.page.locator('dt', { hasText: key }) });
    return (await row.locator('dd').first().innerText()).trim();
  }

  /** "Attended – log the contact": one step, then the person's timeline. */
  async markAttended(): Promise<void> {
    await this.clickAndWait(this.attendedButton);
  }
}
