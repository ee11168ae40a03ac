import type { Page } from 'playwright-core';
import { AbstractPage } from './abstract.page.ts';

/** "Vacancies": search, filters and the list. */
export class VacanciesPage extends AbstractPage {
  constructor(page: Page) {
    super(page, 'Vacancies');
  }

  /** The job titles listed, in order. */
  async titles(): Promise<string[]> {
    return (await this.page.locator('main table tbody tr a[href^="/vacancies/"]').allInnerTexts()).map((t) => t.trim());
  }

  /** The tags on one vacancy's row ("Pay below the minimum wage", "Closed"). */
  async tagsOf(title: string): Promise<string[]> {
    const row = this.page.locator('main table tbody tr', { has: this.page.getByRole('link', { name: title, exact: true }) });
    return (await row.locator('.nhsuk-tag').allInnerTexts()).map((t) => t.trim());
  }

  async addVacancy(): Promise<void> {
    await this.clickAndWait(this.page.getByRole('link', { name: 'Add a vacancy' }).first());
  }

  async importFile(): Promise<void> {
    await this.clickAndWait(this.page.getByRole('link', { name: 'Import from a CSV file' }).first());
  }
}

/** What the vacancy form is given in a spec: the fields a practitioner types most. */
export interface VacancyFields {
  title?: string;
  employer?: string;
  hoursPerWeek?: string;
  days?: string[];
  hourlyPay?: string;
  startDate?: string;
  closingDate?: string;
}

/** "Add a vacancy" or "Change a vacancy". */
export class VacancyFormPage extends AbstractPage {
  constructor(page: Page, heading: 'Add a vacancy' | 'Change a vacancy' = 'Add a vacancy') {
    super(page, heading);
  }

  async fill(f: VacancyFields): Promise<void> {
    const p = this.page;
    if (f.title !== undefined) await p.getByLabel('Job title').fill(f.title);
    if (f.employer !== undefined) await p.getByLabel('Employer', { exact: true }).fill(f.employer);
    if (f.hoursPerWeek !== undefined) await p.getByLabel('Hours a week (optional)').fill(f.hoursPerWeek);
    for (const day of f.days ?? []) await p.getByRole('group', { name: 'Days worked (optional)' }).getByLabel(day).check();
    if (f.hourlyPay !== undefined) await p.getByLabel('Hourly pay (optional)').fill(f.hourlyPay);
    if (f.startDate !== undefined) await p.getByLabel('Start date (optional)').fill(f.startDate);
    if (f.closingDate !== undefined) await p.getByLabel('Closing date (optional)').fill(f.closingDate);
  }

  async save(): Promise<void> {
    await this.clickAndWait(this.page.getByRole('button', { name: /^Save (vacancy|changes)$/ }));
  }
}

/** One vacancy; its title is the h1. */
export class VacancyPage extends AbstractPage {
  constructor(page: Page, title: string) {
    super(page, title);
  }

  async tags(): Promise<string[]> {
    return (await this.page.locator('main h1 ~ p .nhsuk-tag').allInnerTexts()).map((t) => t.trim());
  }

  /** The paragraph or warning about pay and the minimum wage. */
  async payVerdict(): Promise<string> {
    return (await this.page.locator('main :is(.nhsuk-inset-text, .nhsuk-warning-callout)').first().innerText()).trim();
  }

  async change(): Promise<void> {
    await this.clickAndWait(this.page.getByRole('link', { name: /^Change the vacancy/ }));
  }

  /** Follows a status link: "Mark as filled", "Withdraw vacancy" or "Reopen vacancy". */
  async statusLink(name: string): Promise<void> {
    await this.clickAndWait(this.page.getByRole('link', { name: new RegExp(`^${name}`) }));
  }
}

/** The confirmation before a status change. */
export class VacancyStatusPage extends AbstractPage {
  constructor(page: Page, heading: string) {
    super(page, heading);
  }

  async confirm(button: string): Promise<void> {
    await this.clickAndWait(this.page.getByRole('button', { name: button }));
  }
}

/** "Import vacancies from a CSV file". */
export class VacancyImportPage extends AbstractPage {
  constructor(page: Page) {
    super(page, 'Import vacancies from a CSV file');
  }

  async upload(name: string, content: string): Promise<void> {
    await this.page
      .locator('input[type="file"][name="file"]')
      .setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(content) });
    await this.clickAndWait(this.page.getByRole('button', { name: 'Import vacancies' }));
  }
}

/** An import's progress, then its report (the page refreshes itself until the import is done). */
export class ImportReportPage extends AbstractPage {
  constructor(page: Page) {
    super(page, 'Vacancy import report');
  }

  /** Waits for the refreshing progress page to become the final report, then checks it. */
  override async verifyOnPage(): Promise<this> {
    await this.page.locator('h1', { hasText: 'Vacancy import report' }).waitFor({ timeout: 30_000 });
    return super.verifyOnPage();
  }

  /** The report's summary, as "key: value" lines. */
  async summary(): Promise<string[]> {
    const rows = this.page.locator('main .nhsuk-summary-list__row');
    const out: string[] = [];
    for (let i = 0; i < (await rows.count()); i++) {
      const key = (await rows.nth(i).locator('dt').innerText()).trim();
      const value = (await rows.nth(i).locator('dd').first().innerText()).trim();
      out.push(`${key}: ${value}`);
    }
    return out;
  }

  /** The rows not imported, as "line: problem". */
  async problems(): Promise<string[]> {
    const rows = this.page.locator('main table tbody tr');
    const out: string[] = [];
    for (let i = 0; i < (await rows.count()); i++) {
      const cells = (await rows.nth(i).locator('td').allInnerTexts()).map((c) => c.replace(/^(Line|Problem)\s*/, '').trim());
      out.push(cells.join(': '));
    }
    return out;
  }
}
