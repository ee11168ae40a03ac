import type { Page } from 'playwright-core';
import { AbstractPage } from './abstract.page.ts';

// Each body row's cells as they read on screen: without the column heading that the responsive
// table repeats inside each cell for narrow screens, and without the words hidden for screen readers.
const TABLE_TEXTS = `Array.from(document.querySelectorAll('main table tbody tr'), (row) =>
  Array.from(row.querySelectorAll('th, td'), (cell) => {
    const copy = cell.cloneNode(true);
    copy.querySelectorAll('.nhsuk-table__heading, .nhsuk-u-visually-hidden').forEach((e) => e.remove());
    return copy.textContent.replace(/\\s+/g, ' ').trim();
  }))`;

/** One practitioner's row (or the team total) as the table shows it. */
export interface TeamFiguresRow {
  practitioner: string;
  caseload: string;
  contactsPerWeek: string;
  faceToFace: string;
  outOfHours: string;
  employerContactsPerWeek: string;
  notSeen: string;
}

/** "Team dashboard": each practitioner's figures, with a date range. */
export class TeamDashboardPage extends AbstractPage {
  constructor(page: Page) {
    super(page, 'Team dashboard');
  }

  /** The table's rows, practitioners first and the team total last. */
  async rows(): Promise<TeamFiguresRow[]> {
    const rows = await this.page.evaluate<string[][]>(TABLE_TEXTS);
    return rows.map((cells) => {
      const [
        practitioner = '',
        caseload = '',
        contactsPerWeek = '',
        faceToFace = '',
        outOfHours = '',
        employer = '',
        notSeen = '',
      ] = cells;
      return { practitioner, caseload, contactsPerWeek, faceToFace, outOfHours, employerContactsPerWeek: employer, notSeen };
    });
  }

  /** Sets the date range and shows the figures again; the caller verifies the page. */
  async showRange(from: string, to: string): Promise<void> {
    await this.page.getByLabel('From', { exact: true }).fill(from);
    await this.page.getByLabel('To', { exact: true }).fill(to);
    await this.clickAndWait(this.page.getByRole('button', { name: 'Show figures' }));
  }
}
