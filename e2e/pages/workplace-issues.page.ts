import type { Page } from 'playwright-core';
import { AbstractPage } from './abstract.page.ts';

/** A job's workplace issues: open first, then closed. */
export class WorkplaceIssuesPage extends AbstractPage {
  constructor(page: Page) {
    super(page, 'Workplace issues');
  }

  /** The heading of each issue listed, in order (category and date raised). */
  async issueHeadings(): Promise<string[]> {
    return (await this.page.locator('main h3 a').allInnerTexts()).map((t) => t.trim());
  }

  async banner(): Promise<string> {
    return (await this.page.locator('.nhsuk-notification-banner').innerText()).trim();
  }

  async recordIssue(): Promise<void> {
    await this.clickAndWait(this.page.getByRole('button', { name: 'Record a workplace issue' }));
  }

  async openIssue(heading: string): Promise<void> {
    await this.clickAndWait(this.page.getByRole('link', { name: heading }));
  }
}

/** "Record a workplace issue". */
export class WorkplaceIssueFormPage extends AbstractPage {
  constructor(page: Page) {
    super(page, 'Record a workplace issue');
  }

  /** The label of the owner choice that is preselected. */
  async chosenOwner(): Promise<string> {
    const id = await this.page.getByRole('group', { name: 'Who owns it' }).locator('input:checked').getAttribute('id');
    return (await this.page.locator(`label[for="${id}"]`).innerText()).trim();
  }

  async fill(values: { raisedBy: string; category: string; description: string; actions: string }): Promise<void> {
    await this.page.getByRole('group', { name: 'Who raised it' }).getByLabel(values.raisedBy, { exact: true }).check();
    await this.page.getByRole('group', { name: 'What it is about' }).getByLabel(values.category, { exact: true }).check();
    await this.page.getByLabel('What happened').fill(values.description);
    await this.page.getByLabel('First actions (optional)').fill(values.actions);
  }

  async save(): Promise<void> {
    await this.clickAndWait(this.page.getByRole('button', { name: 'Save issue' }));
  }
}

/** One issue, its owner in words, and the links to update or close it. */
export class WorkplaceIssuePage extends AbstractPage {
  constructor(page: Page, heading: string | RegExp) {
    super(page, heading);
  }

  /** The value beside a key in the issue's summary list. */
  async fact(key: string): Promise<string> {
    const row = this.page.locator('.nhsuk-summary-list__row', { has: this.page.locator('dt', { hasText: key }) }).first();
    return (await row.locator('dd').first().innerText()).trim();
  }

  async close(): Promise<void> {
    await this.clickAndWait(this.page.getByRole('link', { name: 'Close this issue' }));
  }
}

/** "Close this issue": the confirmation step with the outcome and date. */
export class CloseIssuePage extends AbstractPage {
  constructor(page: Page) {
    super(page, 'Close this issue');
  }

  async closeWith(outcome: string): Promise<void> {
    await this.page.getByLabel('Outcome').fill(outcome);
    await this.clickAndWait(this.page.getByRole('button', { name: 'Close issue' }));
  }
}

/** The team's workplace issues report. */
export class WorkplaceIssuesReportPage extends AbstractPage {
  constructor(page: Page) {
    super(page, 'Workplace issues report');
  }

  async headline(): Promise<string> {
    return (await this.page.locator('main .nhsuk-body-l').innerText()).trim();
  }
}
