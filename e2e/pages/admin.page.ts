import type { Page } from 'playwright-core';
import { AbstractPage } from './abstract.page.ts';

/**
 * An administration page (users, teams, sites, audit trail, settings). Those pages are being
 * built alongside this suite, so the heading is matched loosely: it must name the section.
 */
export class AdminPage extends AbstractPage {
  constructor(page: Page, section: RegExp) {
    super(page, section);
  }
}
