import type { Page } from 'playwright-core';

/**
 * Follows a link in the header's navigation, as a person would: on a narrow screen the NHS.UK
 * header moves the links that do not fit into its "More" menu, so that is opened first when the
 * link is not on show. Waits for the next page to load; the caller verifies it.
 */
export async function followNavigation(page: Page, text: string): Promise<void> {
  const link = page.locator('.nhsuk-header__navigation').getByRole('link', { name: text, exact: true });
  if (!(await link.isVisible())) {
    await page.locator('.nhsuk-header__navigation').getByRole('button', { name: 'More' }).click();
    await link.waitFor({ state: 'visible' });
  }
  await Promise.all([page.waitForEvent('load'), link.click()]);
}
