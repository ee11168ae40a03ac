import type { Page } from 'playwright-core';
import { AbstractPage } from './abstract.page.ts';

/** Any internship page, known by its heading; the spec drives it by labels and link text. */
export class InternshipPage extends AbstractPage {
  constructor(page: Page, heading: string | RegExp) {
    super(page, heading);
  }

  /** The text of the main content, spaces collapsed. */
  async text(): Promise<string> {
    return (await this.page.locator('main').innerText()).replace(/\s+/g, ' ');
  }

  async follow(link: string | RegExp): Promise<void> {
    await this.clickAndWait(this.page.locator('main').getByRole('link', { name: link }).first());
  }

  async press(button: string): Promise<void> {
    await this.clickAndWait(this.page.locator('main').getByRole('button', { name: button }));
  }

  /** In the rotation grid: the department for one intern in one rotation. */
  async place(intern: string, rotation: number, department: RegExp): Promise<void> {
    const select = this.page.getByLabel(`Department for ${intern} in rotation ${rotation}`);
    const options = await select.locator('option').allInnerTexts();
    const label = options.find((o) => department.test(o));
    if (!label) throw new Error(`no department like ${department} among ${options.join(', ')}`);
    await select.selectOption({ label });
  }
}
