import { HomePage } from '../pages/home.page.ts';
import { SignInPage } from '../pages/sign-in.page.ts';
import { describe, expect, test } from '../support/fixtures.ts';
import { newUserDetails } from '../support/users.ts';

describe('signing out', () => {
  test("ends the session with the header's Sign out button", async ({ page, server }) => {
    const user = newUserDetails('practitioner', 'Ada Lovelace');
    await server.createUser(user);
    await (await SignInPage.visit(page, server.url)).signIn(user.email, user.password);
    const home = await new HomePage(page, 'Ada Lovelace').verifyOnPage();

    await home.signOut();

    await new SignInPage(page).verifyOnPage();
    expect(new URL(page.url()).pathname).toBe('/sign-in');

    await page.goto(`${server.url}/`);

    await new SignInPage(page).verifyOnPage();
    const url = new URL(page.url());
    expect(url.pathname).toBe('/sign-in');
    expect(url.searchParams.get('next')).toBe('/');
  });

  test('offers Sign out at 360 px wide too', async ({ page, server }) => {
    const user = newUserDetails('admin', 'Grace Hopper');
    await server.createUser(user);
    await page.setViewportSize({ width: 360, height: 740 });
    await (await SignInPage.visit(page, server.url)).signIn(user.email, user.password);
    const home = await new HomePage(page, 'Grace Hopper').verifyOnPage();

    await home.signOut();

    await new SignInPage(page).verifyOnPage();
    await page.goto(`${server.url}/`);
    expect(new URL(page.url()).pathname).toBe('/sign-in');
  });
});
