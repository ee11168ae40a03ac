import type { Page } from 'playwright-core';
import { AbstractPage } from './abstract.page.ts';

export class SignInPage extends AbstractPage {
  constructor(page: Page) {
    super(page, 'Sign in to Stepwise');
  }

  /** Opens the sign-in page of the server at `baseUrl`. */
  static async visit(page: Page, baseUrl: string): Promise<SignInPage> {
    await page.goto(`${baseUrl}/sign-in`);
    return new SignInPage(page).verifyOnPage();
  }

  /** Submits the form; the caller verifies whichever page comes next. */
  async signIn(email: string, password: string): Promise<void> {
    await this.page.getByLabel('Email address').fill(email);
    await this.page.getByLabel('Password', { exact: true }).fill(password);
    await this.clickAndWait(this.page.getByRole('button', { name: 'Sign in' }));
  }

  async typedEmail(): Promise<string> {
    return this.page.getByLabel('Email address').inputValue();
  }

  async typedPassword(): Promise<string> {
    return this.page.getByLabel('Password', { exact: true }).inputValue();
  }
}
