import type { Page } from 'playwright-core';
import type { AbstractPage } from '../pages/abstract.page.ts';
import { AccessibilityPage, NotFoundPage, PrivacyPage } from '../pages/information.page.ts';
import { describe, expect, test } from '../support/fixtures.ts';
import { signInWithCookie } from '../support/session.ts';
import { newUserDetails } from '../support/users.ts';

const PUBLIC_PAGES: { path: string; status: number; open: (page: Page) => AbstractPage }[] = [
  { path: '/accessibility', status: 200, open: (page) => new AccessibilityPage(page) },
  { path: '/privacy', status: 200, open: (page) => new PrivacyPage(page) },
  { path: '/no-such-page', status: 404, open: (page) => new NotFoundPage(page) },
];

describe('public pages', () => {
  test.for(PUBLIC_PAGES)('$path works signed out and signed in', async ({ path, status, open }, { page, server }) => {
    const signedOut = await page.goto(`${server.url}${path}`);
    expect(signedOut?.status()).toBe(status);
    await open(page).verifyOnPage();
    expect(await page.getByRole('button', { name: 'Sign out' }).count()).toBe(0);

    const admin = newUserDetails('admin', 'Grace Hopper');
    await server.createUser(admin);
    await signInWithCookie(page, server, admin);
    const signedIn = await page.goto(`${server.url}${path}`);

    expect(signedIn?.status()).toBe(status);
    await open(page).verifyOnPage();
    expect(await page.getByRole('button', { name: 'Sign out' }).count()).toBe(1);
  });
});
