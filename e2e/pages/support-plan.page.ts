import type { Page } from 'playwright-core';
import { AbstractPage } from './abstract.page.ts';

/** A job's support plan: the plan in plain words, the review prompt, past reviews and contacts. */
export class SupportPlanPage extends AbstractPage {
  constructor(page: Page) {
    super(page, 'Support plan');
  }

  /** The text of the main content, for what the page says. */
  async text(): Promise<string> {
    return (await this.page.locator('main').innerText()).replace(/\s+/g, ' ');
  }

  /** The value beside a key in the plan's summary list. */
  async fact(key: string): Promise<string> {
    const row = this.page.locator('.nhsuk-summary-list__row', { has: this.page.locator('dt', { hasText: key }) }).first();
    return (await row.locator('dd').first().innerText()).trim();
  }

  async writePlan(): Promise<void> {
    await this.clickAndWait(this.page.locator('main a', { hasText: 'Write the support plan' }));
  }

  async recordReview(): Promise<void> {
    await this.clickAndWait(this.page.locator('main a', { hasText: 'Record a review' }).first());
  }

  async logContact(): Promise<void> {
    await this.clickAndWait(this.page.getByRole('link', { name: 'Log a contact for this job' }));
  }
}

/** "Write the support plan" (or "Change the support plan"). */
export class SupportPlanFormPage extends AbstractPage {
  constructor(page: Page, heading: 'Write the support plan' | 'Change the support plan' = 'Write the support plan') {
    super(page, heading);
  }

  async fill(values: { coach: string; employer: string; frequency: string; adjustments: string; fading: string }): Promise<void> {
    const p = this.page;
    await p.getByLabel('What the job coach does (optional)').fill(values.coach);
    await p.getByLabel('What the line manager and HR own (optional)').fill(values.employer);
    await p
      .getByRole('group', { name: 'How often did you agree to be in touch?' })
      .getByLabel(values.frequency, { exact: true })
      .check();
    await p.getByLabel('Adjustments agreed with the employer (optional)').fill(values.adjustments);
    await p.getByLabel('How support will fade (optional)').fill(values.fading);
  }

  async save(): Promise<void> {
    await this.clickAndWait(this.page.getByRole('button', { name: 'Save the support plan' }));
  }
}

/** "Record a support review". */
export class SupportReviewPage extends AbstractPage {
  constructor(page: Page) {
    super(page, 'Record a support review');
  }

  async decide(decision: string, notes: string): Promise<void> {
    await this.page
      .getByRole('group', { name: /What did .* decide\?/ })
      .getByLabel(decision, { exact: true })
      .check();
    await this.page.getByLabel('Notes (optional)').fill(notes);
  }

  async save(): Promise<void> {
    await this.clickAndWait(this.page.getByRole('button', { name: 'Save the review' }));
  }
}
