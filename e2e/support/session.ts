import type { Page } from 'playwright-core';
import { SESSION_COOKIE } from '../../src/http/identity.ts';
import type { E2eServer } from './server.ts';

/**
 * Signs the browser in without going through the sign-in page, for tests about other pages
 * (the sign-in journey itself has its own specs).
 */
export async function signInWithCookie(page: Page, server: E2eServer, user: { email: string; password: string }): Promise<void> {
  const token = await server.sessionFor(user);
  await page.context().addCookies([{ name: SESSION_COOKIE, value: token, url: server.url, httpOnly: true, sameSite: 'Lax' }]);
}
