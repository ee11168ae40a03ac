import type { Page } from 'playwright-core';
import { AbstractPage } from './abstract.page.ts';

/** The public pages linked from every footer. */
export class AccessibilityPage extends AbstractPage {
  constructor(page: Page) {
    super(page, 'Accessibility statement');
  }
}

export class PrivacyPage extends AbstractPage {
  constructor(page: Page) {
    super(page, 'Privacy');
  }
}

/** The 404 page. */
export class NotFoundPage extends AbstractPage {
  constructor(page: Page) {
    super(page, 'Page not found');
  }
}
