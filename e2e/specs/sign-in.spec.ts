import { AccountPage } from '../pages/account.page.ts';
import { HomePage } from '../pages/home.page.ts';
import { SignInPage } from '../pages/sign-in.page.ts';
import { describe, expect, test } from '../support/fixtures.ts';
import { createUserWithCli, newUserDetails } from '../support/users.ts';

describe('signing in', () => {
  test('signs in someone the command line created and shows their home page', async ({ page, server }) => {
    await server.createUser(newUserDetails('admin', 'Grace Hopper'));
    const user = newUserDetails('practitioner', 'Ada Lovelace');
    await createUserWithCli(user, server.env);
    const signIn = await SignInPage.visit(page, server.url);

    await signIn.signIn(user.email, user.password);

    const home = await new HomePage(page, 'Ada Lovelace').verifyOnPage();
    expect(new URL(page.url()).pathname).toBe('/');
    expect(await home.accountLabel()).toContain('Ada Lovelace (Practitioner');
  });

  test('shows the error and keeps the email when the password is wrong', async ({ page, server }) => {
    const user = newUserDetails('practitioner');
    await server.createUser(user);
    const signIn = await SignInPage.visit(page, server.url);

    await signIn.signIn(user.email, `${user.password} but wrong`);

    await signIn.verifyOnPage();
    expect(await signIn.errorMessages()).toEqual(['Enter a correct email address and password']);
    expect(await signIn.typedEmail()).toBe(user.email);
    expect(await signIn.typedPassword()).toBe('');
  });

  test('asks for both fields when the form is sent empty', async ({ page, server }) => {
    const signIn = await SignInPage.visit(page, server.url);

    await signIn.signIn('', '');

    await signIn.verifyOnPage();
    expect(await signIn.errorMessages()).toEqual(['Enter your email address', 'Enter your password']);
  });

  test('returns to the page that was asked for after signing in', async ({ page, server }) => {
    const user = newUserDetails('manager', 'Mary Seacole');
    await server.createUser(user);
    await page.goto(`${server.url}/account`);
    const signIn = await new SignInPage(page).verifyOnPage();

    await signIn.signIn(user.email, user.password);

    const account = await new AccountPage(page).verifyOnPage();
    expect(await account.detail('Email address')).toBe(user.email);
  });
});
