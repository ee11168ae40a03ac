import type { Locator, Page } from 'playwright-core';
import { AbstractPage } from './abstract.page.ts';

/** What a person types to plan an appointment; anything left out keeps the form's default. */
export interface AppointmentDetails {
  /** `YYYY-MM-DD`, typed into the day, month and year boxes. */
  date?: string;
  /** 24-hour clock, like "14:00". */
  time?: string;
  durationMinutes?: string;
  /** The label of the "Where" choice, like "Community". */
  where?: string;
  placeDetail?: string;
  withWhom?: string;
  /** The label of the purpose, like "Job search". */
  purpose?: string;
}

/** "Plan an appointment" with one person, whose name is the caption. */
export class AppointmentFormPage extends AbstractPage {
  constructor(
    page: Page,
    readonly personName: string,
  ) {
    super(page, 'Plan an appointment');
  }

  override async verifyOnPage(): Promise<this> {
    await super.verifyOnPage();
    const caption = (await this.page.locator('main .nhsuk-caption-l').innerText()).trim();
    if (caption !== this.personName) throw new Error(`the appointment form is for ${caption}, not ${this.personName}`);
    return this;
  }

  private dateBox(part: 'Day' | 'Month' | 'Year'): Locator {
    return this.page.getByRole('group', { name: 'Date' }).getByLabel(part, { exact: true });
  }

  /** The date boxes as they are: day, month and year. */
  async date(): Promise<{ day: string; month: string; year: string }> {
    return {
      day: await this.dateBox('Day').inputValue(),
      month: await this.dateBox('Month').inputValue(),
      year: await this.dateBox('Year').inputValue(),
    };
  }

  async fill(d: AppointmentDetails): Promise<void> {
    const p = this.page;
    if (d.date !== undefined) {
      const [year = '', month = '', day = ''] = d.date.split('-');
      await this.dateBox('Day').fill(String(Number(day)));
      await this.dateBox('Month').fill(String(Number(month)));
      await this.dateBox('Year').fill(year);
    }
    if (d.time !== undefined) await p.getByLabel('Time', { exact: true }).fill(d.time);
    if (d.durationMinutes !== undefined) await p.getByLabel('How long, in minutes').fill(d.durationMinutes);
    if (d.where !== undefined) await p.getByRole('group', { name: 'Where' }).getByLabel(d.where, { exact: true }).check();
    if (d.placeDetail !== undefined) await p.getByLabel('Place details (optional)').fill(d.placeDetail);
    if (d.withWhom !== undefined) await p.getByLabel('With whom (optional)').fill(d.withWhom);
    if (d.purpose !== undefined) await p.getByLabel('What it is for').selectOption({ label: d.purpose });
  }

  /** Sends the form; the caller verifies whichever page comes next. */
  async submit(): Promise<void> {
    await this.clickAndWait(this.page.getByRole('button', { name: 'Plan appointment' }));
  }
}
