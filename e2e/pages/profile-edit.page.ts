import type { Locator, Page } from 'playwright-core';
import { AbstractPage } from './abstract.page.ts';

/**
 * The profile form: every section ("Change vocational profile") or one of them ("Change skills").
 * Fields are found by their labels, and choices by their fieldset's legend.
 */
export class ProfileEditPage extends AbstractPage {
  readonly conflict: Locator;

  constructor(page: Page, heading: string | RegExp = 'Change vocational profile') {
    super(page, heading);
    this.conflict = page.locator('#conflict');
  }

  private field(label: string): Locator {
    return this.page.locator('main form').getByLabel(label, { exact: true });
  }

  private group(legend: string): Locator {
    return this.page.getByRole('group', { name: legend, exact: true });
  }

  /** Types into a text box or number box, replacing what was there. */
  async fill(label: string, value: string): Promise<void> {
    await this.field(label).fill(value);
  }

  /** What a text box or number box holds now. */
  async typedValue(label: string): Promise<string> {
    return this.field(label).inputValue();
  }

  /** Ticks a checkbox or picks a radio button under a question. */
  async choose(legend: string, option: string): Promise<void> {
    await this.group(legend).getByLabel(option, { exact: true }).check();
  }

  /** The labels of the options ticked or picked under a question. */
  async chosen(legend: string): Promise<string[]> {
    const inputs = this.group(legend).locator('input');
    const labels: string[] = [];
    for (let i = 0; i < (await inputs.count()); i++) {
      const input = inputs.nth(i);
      if (await input.isChecked()) {
        const id = await input.getAttribute('id');
        labels.push((await this.page.locator(`label[for="${id}"]`).innerText()).trim());
      }
    }
    return labels;
  }

  /** Sends the form ("Save profile", or "Save again" after a conflict); the caller verifies the next page. */
  async save(): Promise<void> {
    await this.clickAndWait(this.page.locator('main form').getByRole('button', { name: /^(Save profile|Save again)$/ }));
  }

  /** The conflict warning's heading, or '' when there is none. */
  async conflictHeading(): Promise<string> {
    if ((await this.conflict.count()) === 0) return '';
    return (await this.conflict.locator('h2, h3').first().innerText()).replace(/^Important:\s*/, '').trim();
  }

  /** The whole conflict warning as text. */
  async conflictText(): Promise<string> {
    return (await this.conflict.innerText()).trim();
  }

  /** The other person's changes listed in the conflict warning, one line per field. */
  async conflictChanges(): Promise<string[]> {
    return (await this.conflict.locator('li').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
  }
}
