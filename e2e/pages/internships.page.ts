import { ContentPage } from './content.page.ts';

/** Any internship page, known by its heading; the spec drives it by labels and link text. */
export class InternshipPage extends ContentPage {
  /** In the rotation grid: the department for one intern in one rotation. */
  async place(intern: string, rotation: number, department: RegExp): Promise<void> {
    const select = this.page.getByLabel(`Department for ${intern} in rotation ${rotation}`);
    const options = await select.locator('option').allInnerTexts();
    const label = options.find((o) => department.test(o));
    if (!label) throw new Error(`no department like ${department} among ${options.join(', ')}`);
    await select.selectOption({ label });
  }
}
