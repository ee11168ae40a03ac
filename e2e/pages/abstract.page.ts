import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { checkPage } from '../support/checks.ts';

/**
 * A page of the app. `verifyOnPage` is how a spec arrives anywhere: it checks the one h1, then
 * runs the accessibility and layout checks, so every page visited is checked.
 */
export abstract class AbstractPage {
  readonly heading: Locator;
  readonly errorSummary: Locator;

  protected constructor(
    readonly page: Page,
    readonly expectedHeading: string | RegExp,
  ) {
    this.heading = page.locator('h1');
    this.errorSummary = page.locator('.nhsuk-error-summary');
  }

  /** Checks this is the page shown (exactly one h1, with the expected words), then checks the page itself. */
  async verifyOnPage(): Promise<this> {
    await this.heading.first().waitFor();
    const headings = await this.heading.allInnerTexts();
    expect(headings, `the h1 on ${this.page.url()}`).toHaveLength(1);
    const [text = ''] = headings;
    if (typeof this.expectedHeading === 'string') expect(text.trim()).toBe(this.expectedHeading);
    else expect(text.trim()).toMatch(this.expectedHeading);
    await checkPage(this.page);
    return this;
  }

  /** The messages in the error summary, in order. */
  async errorMessages(): Promise<string[]> {
    return (await this.errorSummary.locator('li').allInnerTexts()).map((t) => t.trim());
  }

  /** The error shown beside one field. */
  async fieldError(id: string): Promise<string> {
    const text = await this.page.locator(`#${id}-error`).innerText();
    return text.replace(/^Error:\s*/, '').trim();
  }

  /** Clicks something that submits a form or follows a link, and waits for the next page to load. */
  protected async clickAndWait(target: Locator): Promise<void> {
    await Promise.all([this.page.waitForEvent('load'), target.click()]);
  }

  /** Signs out with the header's button. */
  async signOut(): Promise<void> {
    await this.clickAndWait(this.page.getByRole('button', { name: 'Sign out' }));
  }
}
