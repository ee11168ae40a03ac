import { AccountPage } from '../pages/account.page.ts';
import { AdminPage } from '../pages/admin.page.ts';
import { openAnotherBrowser } from '../support/another-browser.ts';
import { describe, expect, test } from '../support/fixtures.ts';
import { signInWithCookie } from '../support/session.ts';
import { createTeamMember, newUserDetails } from '../support/users.ts';

// Built alongside this suite: each page is checked as soon as its route exists, and skipped
// (only) while the route still answers 404.
const ADMIN_PAGES: { path: string; heading: RegExp }[] = [
  { path: '/admin/users', heading: /users/i },
  { path: '/admin/teams', heading: /teams/i },
  { path: '/admin/sites', heading: /sites/i },
  { path: '/admin/audit', heading: /audit/i },
  { path: '/admin/settings', heading: /settings/i },
];

describe('pages for a signed-in administrator', () => {
  test('/account shows their details', async ({ page, server }) => {
    const admin = newUserDetails('admin', 'Grace Hopper');
    await server.createUser(admin);
    await signInWithCookie(page, server, admin);

    await page.goto(`${server.url}/account`);

    const account = await new AccountPage(page).verifyOnPage();
    expect(await account.detail('Name')).toBe('Grace Hopper');
    expect(await account.detail('Email address')).toBe(admin.email);
    expect(await account.detail('Role')).toBe('Administrator');
  });

  test.for(ADMIN_PAGES)('$path', async ({ path, heading }, { page, server, skip }) => {
    const admin = newUserDetails('admin', 'Grace Hopper');
    await server.createUser(admin);
    await signInWithCookie(page, server, admin);

    const response = await page.goto(`${server.url}${path}`);

    if (response?.status() === 404) skip(`${path} is not built yet (404)`);
    expect(response?.status()).toBe(200);
    await new AdminPage(page, heading).verifyOnPage();
  });

  test('the header at 360 px opens its More menu to reach the navigation that does not fit', async ({ page, server }) => {
    const admin = newUserDetails('admin', 'Grace Hopper');
    await server.createUser(admin);
    await signInWithCookie(page, server, admin);
    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto(`${server.url}/account`);
    const account = await new AccountPage(page).verifyOnPage();

    await page.getByRole('button', { name: 'More' }).click();

    expect(await page.getByRole('link', { name: 'Settings' }).isVisible()).toBe(true);
    await account.verifyOnPage();
  });

  test('without JavaScript, every link in a team manager’s header shows, at 360 and at 1280 px', async ({ browser, server }) => {
    const team = await server.createTeam('Leeds employment team');
    const manager = await createTeamMember(server, team.id, 'Mo Khan', 'manager');
    const page = await openAnotherBrowser(browser, 'no-script', { javaScriptEnabled: false });
    await signInWithCookie(page, server, manager);
    const expected = ['Home', 'My caseload', 'Team dashboard', 'My week', 'Match board', 'Participants', 'Employers'];
    expected.push('Vacancies', 'Internships', 'New referral', 'Coach capacity', 'Retention review', 'Reports');

    for (const width of [360, 1280]) {
      await page.setViewportSize({ width, height: 800 });
      await page.goto(`${server.url}/caseload`);
      // With script the header folds what does not fit under "More"; without it, nothing may be lost.
      const shown = (
        await page.getByRole('navigation', { name: 'Menu' }).getByRole('link').filter({ visible: true }).allTextContents()
      ).map((t) => t.trim());
      expect(shown, `${width} px`).toEqual(expected);
      expect(await page.evaluate('document.documentElement.scrollWidth'), `${width} px`).toBeLessThanOrEqual(width);
    }
  });
});
