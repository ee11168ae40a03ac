import type { Page } from 'playwright-core';

/**
 * Follows a link in the header's navigation, as a person would: on a narrow screen the NHS.UK
 * header moves the links that do not fit into its "More" menu, so that is opened first when the
 * link is not on show. Waits for the next page to load; the caller verifies it.
 */
export async function followNavigation(page: Page, text: string): Promise<void> {
  // The header's script moves links into "More" when it starts; look only once it has, or a link
  // seen a moment earlier may be hidden by the time it is clicked.
  await page.locator('.nhsuk-header[data-nhsuk-header-init]').waitFor({ state: 'attached' });
  const link = page.locator('.nhsuk-header__navigation').getByRole('link', { name: text, exact: true });
  if (!(await link.isVisible())) {
    await page.locator('.nhsuk-header__navigation').getByRole('button', { name: 'More' }).click();
    await link.waitFor({ state: 'visible' });
  }
  await Promise.all([page.waitForEvent('load'), link.click()]);
}
