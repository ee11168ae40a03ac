import type { Page } from 'playwright-core';
import { AbstractPage } from './abstract.page.ts';

/** `text` as a regular expression that matches it literally. */
function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A person's vocational profile: every section, who saved it last, and links to change it. */
export class ProfilePage extends AbstractPage {
  constructor(page: Page) {
    super(page, 'Vocational profile');
  }

  /** The sentence saying who saved the profile last and when, or that nothing is saved yet. */
  async lastSaved(): Promise<string> {
    return (await this.page.locator('main p', { hasText: /^(Last saved by|Nothing has been saved)/ }).innerText()).trim();
  }

  /** The success banner's text, or '' when there is none. */
  async banner(): Promise<string> {
    const banner = this.page.locator('.nhsuk-notification-banner--success');
    return (await banner.count()) ? (await banner.innerText()).trim() : '';
  }

  /** A field's value as shown under its section (by section key, like "job_preferences"). */
  async value(sectionKey: string, label: string): Promise<string> {
    const exactLabel = new RegExp(`^\\s*${escapeRegExp(label)}\\s*$`);
    const row = this.page
      .locator(`main h2[id="${sectionKey}"] + .nhsuk-summary-list`)
      .locator('.nhsuk-summary-list__row', { has: this.page.locator('dt', { hasText: exactLabel }) });
    return (await row.locator('dd.nhsuk-summary-list__value').innerText()).trim();
  }

  /** Opens the form for every section ("Start the profile" or "Change the whole profile"). */
  async changeWholeProfile(): Promise<void> {
    // An NHS.UK button made from a link, so its role is "button".
    await this.clickAndWait(this.page.getByRole('button', { name: /^(Start the profile|Change the whole profile)$/ }));
  }

  /** Opens the form for one section through a field's "Change" link. */
  async changeField(label: string): Promise<void> {
    await this.clickAndWait(this.page.getByRole('link', { name: `Change ${label.toLowerCase()}`, exact: true }));
  }

  async openHistory(): Promise<void> {
    await this.clickAndWait(this.page.getByRole('link', { name: 'See what changed, when and by whom' }));
  }
}
