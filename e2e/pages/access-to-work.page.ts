import type { Download, Page } from 'playwright-core';
import { AbstractPage } from './abstract.page.ts';

/** A person's Access to Work: applications, awards and claims. */
export class AccessToWorkPage extends AbstractPage {
  constructor(page: Page) {
    super(page, 'Access to Work');
  }

  async addAward(): Promise<void> {
    await this.clickAndWait(this.page.locator('main a', { hasText: 'Add an award' }));
  }
}

export interface AwardValues {
  reference: string;
  kind: string;
  /** `YYYY-MM-DD`, as the date input holds it. */
  startDate: string;
  endDate: string;
  hoursPerWeek: string;
  hourlyRate: string;
}

/** "Add an award", from the award letter. */
export class AwardFormPage extends AbstractPage {
  constructor(page: Page) {
    super(page, 'Add an award');
  }

  async fill(v: AwardValues): Promise<void> {
    const p = this.page;
    await p.getByLabel('Access to Work reference (optional)').fill(v.reference);
    await p.getByLabel('Kind of support').selectOption({ label: v.kind });
    await p.getByLabel('Start date').fill(v.startDate);
    await p.getByLabel('End date').fill(v.endDate);
    await p.getByLabel('Hours a week').fill(v.hoursPerWeek);
    await p.getByLabel('Hourly rate').fill(v.hourlyRate);
  }

  async save(): Promise<void> {
    await this.clickAndWait(this.page.getByRole('button', { name: 'Save the award' }));
  }
}

/** One award: its figures month by month, the weekly chart and its claims. */
export class AwardPage extends AbstractPage {
  constructor(page: Page, kind = 'Job coach') {
    super(page, `${kind} award`);
  }

  /** The value beside a key in the page's summary lists. */
  async fact(key: string): Promise<string> {
    const row = this.page.locator('.nhsuk-summary-list__row', { has: this.page.locator('dt', { hasText: key }) }).first();
    return (await row.locator('dd').first().innerText()).trim();
  }

  async chartBars(): Promise<number> {
    return this.page.locator('main svg rect.stepwise-chart__bar, main svg [data-week]').count();
  }

  async buildClaim(): Promise<void> {
    await this.clickAndWait(this.page.locator('main a', { hasText: 'Build a claim' }));
  }
}

/** "Build a claim": the period, by default the last whole calendar month. */
export class BuildClaimPage extends AbstractPage {
  constructor(page: Page) {
    super(page, 'Build a claim');
  }

  async build(): Promise<void> {
    await this.clickAndWait(this.page.getByRole('button', { name: 'Build the claim' }));
  }
}

/** A claim: its days, hours and amounts, what can be done with it, and its downloads. */
export class ClaimPage extends AbstractPage {
  constructor(page: Page, period: string) {
    super(page, `Access to Work claim: ${period}`);
  }

  async fact(key: string): Promise<string> {
    const row = this.page.locator('.nhsuk-summary-list__row', { has: this.page.locator('dt', { hasText: key }) }).first();
    return (await row.locator('dd').first().innerText()).trim();
  }

  /** The claim's day lines as the table shows them (date, hours, rate, amount), without the total row. */
  async lines(): Promise<string[][]> {
    const rows = this.page.locator('main table tbody tr');
    const out: string[][] = [];
    for (let i = 0; i < (await rows.count()); i++) {
      const cells = (await rows.nth(i).locator('td, th').allInnerTexts()).map((c) =>
        c
          .replace(/^(Date|Hours|Hourly rate|Amount)\s*/, '')
          .replace(/\s+/g, ' ')
          .trim(),
      );
      if (!/^Total/i.test(cells[0] ?? '')) out.push(cells);
    }
    return out;
  }

  async submit(): Promise<void> {
    await this.clickAndWait(this.page.locator('main a, main button', { hasText: 'Submit claim' }).first());
  }

  async downloadPdf(): Promise<Download> {
    const [download] = await Promise.all([
      this.page.waitForEvent('download'),
      this.page.getByRole('link', { name: /Download the claim as a PDF/ }).click(),
    ]);
    return download;
  }
}

/** "Submit this claim?": the confirmation before the claim is fixed. */
export class SubmitClaimPage extends AbstractPage {
  constructor(page: Page) {
    super(page, /^Submit/);
  }

  async confirm(): Promise<void> {
    await this.clickAndWait(this.page.getByRole('button', { name: 'Submit claim' }));
  }
}
