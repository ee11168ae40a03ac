import type { Page } from 'playwright-core';
import { AbstractPage } from './abstract.page.ts';

/** One appointment in the week view. */
export interface WeekAppointment {
  /** The day's heading, like "Wednesday 25 November (today)". */
  day: string;
  /** "10:00 to 11:00". */
  time: string;
  /** Every line of it, as one text: time, name, place, status. */
  text: string;
}

/** "My week" (or "Ada Lovelace’s week"): a practitioner's appointments, day by day. */
export class WeekPage extends AbstractPage {
  constructor(page: Page, heading: string | RegExp = 'My week') {
    super(page, heading);
  }

  /** "Monday 23 November to Sunday 29 November". */
  async weekText(): Promise<string> {
    return (await this.page.locator('main p.nhsuk-body-l').innerText()).trim();
  }

  /** The appointments this week, in day order. */
  async appointments(): Promise<WeekAppointment[]> {
    const days = this.page.locator('main h2[id^="day-"]');
    const out: WeekAppointment[] = [];
    for (let i = 0; i < (await days.count()); i++) {
      const heading = days.nth(i);
      const day = (await heading.innerText()).trim();
      const items = heading.locator('xpath=following-sibling::*[1][self::ul]').locator('li');
      for (let j = 0; j < (await items.count()); j++) {
        const item = items.nth(j);
        out.push({
          day,
          time: (await item.locator('a strong').innerText()).trim(),
          text: (await item.innerText()).replace(/\s+/g, ' ').trim(),
        });
      }
    }
    return out;
  }

  /** Opens an appointment by the time shown for it. */
  async open(time: string): Promise<void> {
    await this.clickAndWait(this.page.locator('main li').getByRole('link', { name: new RegExp(`^${time}\\b`) }));
  }
}
