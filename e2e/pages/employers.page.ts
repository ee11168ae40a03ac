import type { Page } from 'playwright-core';
import { AbstractPage } from './abstract.page.ts';

/** "Employers": search, filters and the list. */
export class EmployersPage extends AbstractPage {
  constructor(page: Page) {
    super(page, 'Employers');
  }

  /** The employers listed, in order. */
  async names(): Promise<string[]> {
    return (await this.page.locator('main table tbody tr a[href^="/employers/"]').allInnerTexts()).map((t) => t.trim());
  }

  async addEmployer(): Promise<void> {
    await this.clickAndWait(this.page.getByRole('link', { name: 'Add an employer' }).first());
  }

  async open(name: string): Promise<void> {
    await this.clickAndWait(this.page.getByRole('link', { name, exact: true }));
  }
}

/** "Add an employer" and "Change employer details". */
export class EmployerFormPage extends AbstractPage {
  constructor(page: Page, heading: 'Add an employer' | 'Change employer details' = 'Add an employer') {
    super(page, heading);
  }

  async fill(fields: { name?: string; type?: string; sector?: string }): Promise<void> {
    if (fields.name !== undefined) await this.page.getByLabel('Name of the organisation').fill(fields.name);
    if (fields.type !== undefined) await this.page.getByLabel(fields.type).check();
    if (fields.sector !== undefined) await this.page.getByLabel('Sector (optional)').fill(fields.sector);
  }

  async save(): Promise<void> {
    await this.clickAndWait(this.page.getByRole('button', { name: /Add employer|Save changes/ }));
  }
}

/** One employer's page: details, people, sites, and the history. */
export class EmployerPage extends AbstractPage {
  constructor(page: Page, name: string) {
    super(page, name);
  }

  async banner(): Promise<string> {
    return (await this.page.locator('.nhsuk-notification-banner').innerText()).trim();
  }

  async stage(): Promise<string> {
    return (await this.page.locator('main .nhsuk-tag').first().innerText()).trim();
  }

  async follow(link: string | RegExp): Promise<void> {
    await this.clickAndWait(this.page.getByRole('link', { name: link }).first());
  }
}

/** Adding or changing a site, department or person of an employer. */
export class EmployerPartFormPage extends AbstractPage {
  constructor(page: Page, heading: string) {
    super(page, heading);
  }

  async fill(fields: Record<string, string>): Promise<void> {
    for (const [label, value] of Object.entries(fields)) await this.page.getByLabel(label, { exact: true }).fill(value);
  }

  async save(): Promise<void> {
    await this.clickAndWait(this.page.locator('main form button'));
  }
}

/** "Log an employer contact" and "Change an employer contact". */
export class EmployerContactFormPage extends AbstractPage {
  constructor(page: Page, heading = 'Log an employer contact') {
    super(page, heading);
  }

  async fill(fields: { employer?: string; purpose?: string; outcome?: string; who?: string }): Promise<void> {
    if (fields.employer !== undefined) await this.page.getByLabel('Employer', { exact: true }).fill(fields.employer);
    if (fields.who !== undefined)
      await this.page.getByLabel('Who at the employer (optional)').selectOption({ label: fields.who });
    if (fields.purpose !== undefined) await this.page.getByLabel(fields.purpose).check();
    if (fields.outcome !== undefined) await this.page.getByLabel('Outcome (optional)').fill(fields.outcome);
  }

  async save(): Promise<void> {
    await this.clickAndWait(this.page.getByRole('button', { name: /Save contact|Save changes/ }));
  }
}

/** The confirmation page before an employer contact is deleted. */
export class EmployerContactDeletePage extends AbstractPage {
  constructor(page: Page) {
    super(page, 'Delete this employer contact');
  }

  async confirm(reason: string): Promise<void> {
    await this.page.getByLabel('Why are you deleting it?').fill(reason);
    await this.clickAndWait(this.page.getByRole('button', { name: 'Delete contact' }));
  }
}
