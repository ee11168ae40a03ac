import type { Download, Page } from 'playwright-core';
import { ContentPage } from './content.page.ts';

export interface HouseholdValues {
  /** `YYYY-MM-DD`, as the date input holds it. */
  date: string;
  household: 'Single' | 'Couple';
  age: string;
  children: 'Yes' | 'No';
  benefit: 'Universal Credit' | 'Employment and Support Allowance (ESA)' | 'Neither';
  lcwra: 'Yes' | 'No';
  savings?: string;
}

export interface JobValues {
  hours: string;
  pay: string;
}

/** "Better off in work?": the household, up to three jobs, and the result side by side. */
export class BenefitsFormPage extends ContentPage {
  constructor(page: Page) {
    super(page, 'Better off in work?');
  }

  private fieldset(legend: string | RegExp) {
    return this.page.locator('fieldset', { has: this.page.locator('legend', { hasText: legend }) }).first();
  }

  async fillHousehold(v: HouseholdValues): Promise<void> {
    const p = this.page;
    await p.getByLabel('Date of the calculation').fill(v.date);
    await this.fieldset('Single or couple?').getByLabel(v.household, { exact: true }).check();
    await p.getByLabel('Age', { exact: true }).fill(v.age);
    await this.fieldset('Do they have children?').getByLabel(v.children, { exact: true }).check();
    await this.fieldset('Which benefit do they get now?').getByLabel(v.benefit, { exact: true }).check();
    await this.fieldset(/limited capability for work/)
      .getByLabel(v.lcwra, { exact: true })
      .check();
    await p.getByLabel('Savings (optional)').fill(v.savings ?? '');
  }

  /** Fills job 1 to 3 in order; jobs not given are emptied. */
  async fillJobs(jobs: readonly JobValues[]): Promise<void> {
    for (const n of [1, 2, 3]) {
      const job = jobs[n - 1];
      const set = this.fieldset(new RegExp(`^Job ${n}`));
      await set.getByLabel('Hours a week').fill(job?.hours ?? '');
      await set.getByLabel('Hourly pay').fill(job?.pay ?? '');
    }
  }

  async workItOut(): Promise<void> {
    await this.press('Work it out');
  }

  async saveToRecord(): Promise<void> {
    await this.press('Save to the record');
  }

  /** The comparison table: its column headings and where each sits on the screen. */
  async columns(): Promise<{ text: string; x: number; y: number; right: number }[]> {
    const cells = this.page.locator('.stepwise-compare__table thead th');
    const out = [];
    for (const cell of await cells.all()) {
      const box = (await cell.boundingBox())!;
      out.push({ text: (await cell.innerText()).trim(), x: box.x, y: box.y, right: box.x + box.width });
    }
    return out;
  }

  /** The figures in one row of the comparison table, by its label. */
  async row(label: string): Promise<string[]> {
    const row = this.page
      .locator('.stepwise-compare__table tbody tr', { has: this.page.locator('th', { hasText: label }) })
      .first();
    return (await row.locator('td').allInnerTexts()).map((t) => t.trim());
  }
}

/** A saved calculation. */
export class SavedCalculationPage extends BenefitsFormPage {
  async downloadPdf(): Promise<Download> {
    const [download] = await Promise.all([
      this.page.waitForEvent('download'),
      this.page
        .locator('main')
        .getByRole('link', { name: /^Download as PDF/ })
        .click(),
    ]);
    return download;
  }
}
