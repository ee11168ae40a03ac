import type { Locator, Page } from 'playwright-core';
import { AbstractPage } from './abstract.page.ts';

/** What the contact form holds, as a person sees it: radio and checkbox choices by their labels. */
export interface ContactFormValues {
  /** `YYYY-MM-DD`, as the date input holds it. */
  date: string;
  /** `HH:MM`, 24-hour clock. */
  time: string;
  durationMinutes: string;
  mode: string;
  place: string;
  purpose: string;
  withWhom: string;
  notes: string;
  sharedWithClinicalTeam: boolean;
}

/** "Log a contact" (or "Change a contact") for one person, whose name is the caption. */
export class ContactFormPage extends AbstractPage {
  readonly saveButton: Locator;

  constructor(
    page: Page,
    readonly personName: string,
    heading: 'Log a contact' | 'Change a contact' = 'Log a contact',
  ) {
    super(page, heading);
    this.saveButton = page.getByRole('button', { name: heading === 'Log a contact' ? 'Save contact' : 'Save changes' });
  }

  override async verifyOnPage(): Promise<this> {
    await super.verifyOnPage();
    const caption = (await this.page.locator('main .nhsuk-caption-l').innerText()).trim();
    if (caption !== this.personName) throw new Error(`the contact form is for ${caption}, not ${this.personName}`);
    return this;
  }

  private group(legend: string): Locator {
    return this.page.getByRole('group', { name: legend, exact: true });
  }

  /** The label of the checked radio in a group, or '' when none is. */
  private async checkedLabel(legend: string): Promise<string> {
    const checked = this.group(legend).locator('input:checked');
    if ((await checked.count()) === 0) return '';
    const id = await checked.getAttribute('id');
    return (await this.page.locator(`label[for="${id}"]`).innerText()).trim();
  }

  /** Everything the form holds now. */
  async values(): Promise<ContactFormValues> {
    const p = this.page;
    return {
      date: await p.getByLabel('Date', { exact: true }).inputValue(),
      time: await p.getByLabel('Time it started').inputValue(),
      durationMinutes: await p.getByLabel('How long, in minutes').inputValue(),
      mode: await this.checkedLabel('How'),
      place: await this.checkedLabel('Where'),
      purpose: await this.checkedLabel('What it was for'),
      withWhom: await p.getByLabel('With whom (optional)').inputValue(),
      notes: await p.getByLabel('Notes (optional)').inputValue(),
      sharedWithClinicalTeam: await p.getByLabel('Share with the clinical team').isChecked(),
    };
  }

  /** Sends the form; the caller verifies whichever page comes next. */
  async save(): Promise<void> {
    await this.clickAndWait(this.saveButton);
  }
}
