import type { Page } from 'playwright-core';
import { AbstractPage } from './abstract.page.ts';

/** The pages of a job: start, hub, absence, end, redeployment and the redeployment report. */
abstract class JobPage extends AbstractPage {
  /** The success banner's text. */
  async banner(): Promise<string> {
    return (await this.page.locator('.nhsuk-notification-banner').innerText()).trim();
  }

  async mainText(): Promise<string> {
    return this.page.locator('main').innerText();
  }

  /** The value beside a key in a summary list. */
  async fact(key: string): Promise<string> {
    const row = this.page.locator('.nhsuk-summary-list__row', { has: this.page.locator('dt', { hasText: key }) }).first();
    return (await row.locator('dd').first().innerText()).trim();
  }

  protected async press(name: string): Promise<void> {
    await this.clickAndWait(this.page.getByRole('button', { name }));
  }

  protected async follow(name: string): Promise<void> {
    await this.clickAndWait(this.page.getByRole('link', { name }).first());
  }
}

/** A person's jobs. */
export class JobsPage extends JobPage {
  constructor(page: Page) {
    super(page, 'Jobs');
  }

  async startJob(): Promise<void> {
    await this.press('Start a job');
  }
}

/** "Start a job". */
export class StartJobPage extends JobPage {
  constructor(page: Page) {
    super(page, 'Start a job');
  }

  async fill(values: { employer: string; title: string; startDate: string; hours: string; pay: string }): Promise<void> {
    await this.page.getByLabel('Employer').fill(values.employer);
    await this.page.getByLabel('Job title').fill(values.title);
    await this.page.getByLabel('Start date').fill(values.startDate);
    await this.page.getByLabel('Hours a week (optional)').fill(values.hours);
    await this.page.getByLabel('Hourly pay (optional)').fill(values.pay);
  }

  async save(): Promise<void> {
    await this.press('Start job');
  }
}

/** A job's hub page. */
export class JobHubPage extends JobPage {
  constructor(page: Page, heading: string) {
    super(page, heading);
  }

  async recordAbsence(): Promise<void> {
    await this.follow('Record an absence');
  }

  async endAbsence(): Promise<void> {
    await this.follow('End this absence');
  }

  async endJob(): Promise<void> {
    await this.follow('End this job');
  }

  /** One of the job's own pages: "Support plan", "Task analysis and instruction" or "Workplace issues". */
  async open(section: 'Support plan' | 'Task analysis and instruction' | 'Workplace issues'): Promise<void> {
    await this.follow(section);
  }
}

/** "Record an absence". */
export class AbsencePage extends JobPage {
  constructor(page: Page) {
    super(page, 'Record an absence');
  }

  async recordSickLeave(fromDate: string): Promise<void> {
    await this.page.getByLabel('Sick leave', { exact: true }).check();
    await this.page.getByLabel('First day off').fill(fromDate);
    await this.press('Record absence');
  }
}

/** "End this absence". */
export class EndAbsencePage extends JobPage {
  constructor(page: Page) {
    super(page, 'End this absence');
  }

  async backOn(day: string): Promise<void> {
    await this.page.getByLabel('Back-to-work date').fill(day);
    await this.press('End absence');
  }
}

/** "End this job": the confirmation step. */
export class EndJobPage extends JobPage {
  constructor(page: Page) {
    super(page, 'End this job');
  }

  async endWith(reason: string, day: string): Promise<void> {
    await this.page.getByLabel('End date').fill(day);
    await this.page.getByLabel(reason, { exact: true }).check();
    await this.press('End job');
  }
}

/** A redeployment after a redundancy. */
export class RedeploymentPage extends JobPage {
  constructor(page: Page) {
    super(page, 'Redeployment');
  }
}

/** The team's redundancy and redeployment figures. */
export class RedeploymentReportPage extends JobPage {
  constructor(page: Page) {
    super(page, 'Redundancy and redeployment');
  }

  /** A figure under one employer group's heading. */
  async figure(group: string, key: string): Promise<string> {
    const list = this.page.locator(`h2:has-text("${group}") + .nhsuk-summary-list`);
    const row = list.locator('.nhsuk-summary-list__row', { has: this.page.locator('dt', { hasText: key }) }).first();
    return (await row.locator('dd').innerText()).trim();
  }
}
