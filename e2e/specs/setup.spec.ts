import { HomePage } from '../pages/home.page.ts';
import { NotFoundPage } from '../pages/information.page.ts';
import { SetupLinkPage, SetupPage } from '../pages/setup.page.ts';
import { SignInPage } from '../pages/sign-in.page.ts';
import { describe, expect, test } from '../support/fixtures.ts';
import type { E2eServer } from '../support/server.ts';

function setupLink(server: E2eServer): string {
  if (!server.setupLink) throw new Error('The server printed no set-up link');
  return server.setupLink;
}

describe('first-run set-up', () => {
  test('prints a one-time set-up link when no account exists', ({ server }) => {
    expect(server.setupLink).toMatch(new RegExp(`^${server.url}/setup\\?token=[\\w-]{20,}$`));
  });

  test('opens the form from the link, and keeps the name and email when the password is weak', async ({ page, server }) => {
    const setup = await SetupPage.visit(page, setupLink(server));

    await setup.createAdministrator({ name: 'Grace Hopper', email: 'grace@example.org', password: 'short' });

    await setup.verifyOnPage();
    expect(await setup.errorMessages()).toEqual(['Password must be at least 12 characters']);
    expect(await setup.fieldError('password')).toBe('Password must be at least 12 characters');
    expect(await setup.typedValues()).toEqual({ name: 'Grace Hopper', email: 'grace@example.org', password: '' });
    expect(await page.title()).toMatch(/^Error: /);
  });

  test('creates the administrator with a good password, lands on the home page, and retires the link', async ({
    page,
    server,
  }) => {
    const setup = await SetupPage.visit(page, setupLink(server));

    await setup.createAdministrator({ name: 'Grace Hopper', email: 'grace@example.org', password: 'cobol harbour lantern 1959' });

    const home = await new HomePage(page, 'Grace Hopper').verifyOnPage();
    expect(new URL(page.url()).pathname).toBe('/');
    expect(await home.accountLabel()).toContain('Grace Hopper (Administrator)');

    const again = await page.goto(setupLink(server));

    expect(again?.status()).toBe(404);
    await new NotFoundPage(page).verifyOnPage();
  });

  test('asks for the set-up link when /setup is opened without it', async ({ page, server }) => {
    const response = await page.goto(`${server.url}/setup`);

    expect(response?.status()).toBe(403);
    await new SetupLinkPage(page).verifyOnPage();
  });

  test('tells a visitor to the sign-in page to use the set-up link', async ({ page, server }) => {
    const signIn = await SignInPage.visit(page, server.url);

    expect(await page.locator('.nhsuk-inset-text').innerText()).toContain('Open the one-time set-up link');
    expect(signIn.page.url()).toBe(`${server.url}/sign-in`);
  });
});
