import type { Locator, Page } from 'playwright-core';
import { AbstractPage } from './abstract.page.ts';

/** One card on a matching page, found by its job title: `section` is the id of the h2 above it. */
function card(page: Page, section: 'their-matches' | 'ranked', title: string): Locator {
  return page
    .locator(`main h2#${section} ~ .nhsuk-card`)
    .filter({ has: page.getByRole('heading', { name: title, exact: true }) })
    .first();
}

/** "Job matches" for one person: their matches, then open vacancies ranked for them. */
export class PersonMatchesPage extends AbstractPage {
  constructor(
    page: Page,
    readonly personName: string,
  ) {
    super(page, 'Job matches');
  }

  override async verifyOnPage(): Promise<this> {
    await super.verifyOnPage();
    const caption = (await this.page.locator('main .nhsuk-caption-l').innerText()).trim();
    if (caption !== this.personName) throw new Error(`the matches page is for ${caption}, not ${this.personName}`);
    return this;
  }

  /** The job titles ranked for them, best first. */
  async rankedTitles(): Promise<string[]> {
    const ranked = this.page.locator('main h2#ranked ~ .nhsuk-card h3');
    return (await ranked.allInnerTexts()).map((t) => t.trim());
  }

  /** The score and reasons shown on a ranked vacancy. */
  async rankedReasons(title: string): Promise<string> {
    return (await card(this.page, 'ranked', title).innerText()).trim();
  }

  async addToMatches(title: string): Promise<void> {
    await this.clickAndWait(card(this.page, 'ranked', title).getByRole('button', { name: /to their matches$/ }));
  }

  /** The stage tag of a saved match. */
  async stageOf(title: string): Promise<string> {
    return (await card(this.page, 'their-matches', title).locator('.nhsuk-tag').first().innerText()).trim();
  }

  async moveTo(title: string, stage: string): Promise<void> {
    const c = card(this.page, 'their-matches', title);
    await c.getByRole('combobox').selectOption({ label: stage });
    await this.clickAndWait(c.getByRole('button', { name: /^Move / }));
  }

  async banner(): Promise<string> {
    return (await this.page.locator('.nhsuk-notification-banner').innerText()).trim();
  }
}

/** The match board: one section per stage. */
export class MatchBoardPage extends AbstractPage {
  constructor(page: Page) {
    super(page, /Match board/);
  }

  /** The text of the cards under one stage's heading. */
  async cardsIn(stage: string): Promise<string[]> {
    const section = this.page.locator('main section', { has: this.page.getByRole('heading', { name: new RegExp(`^${stage}`) }) });
    return (await section.locator('.nhsuk-card').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
  }
}
