import type { Page } from 'playwright-core';
import { AbstractPage } from './abstract.page.ts';

/** A job's "Task instruction" page: the task analyses used with the person there. */
export class InstructionPage extends AbstractPage {
  constructor(page: Page) {
    super(page, 'Task instruction');
  }

  async createTaskAnalysis(): Promise<void> {
    await this.clickAndWait(this.page.getByRole('link', { name: 'Create a new task analysis' }));
  }

  async seeProgress(title: string): Promise<void> {
    await this.clickAndWait(this.page.getByRole('link', { name: `See progress on ${title}` }));
  }
}

/** "Create a task analysis": title, where, and the steps one a line. */
export class TaskAnalysisFormPage extends AbstractPage {
  constructor(page: Page) {
    super(page, 'Create a task analysis');
  }

  async create(title: string, steps: string[]): Promise<void> {
    await this.page.getByLabel('Task', { exact: true }).fill(title);
    await this.page.getByLabel('Steps').fill(steps.join('\n'));
    await this.clickAndWait(this.page.getByRole('button', { name: 'Create task analysis' }));
  }
}

/** The session grid: one radio group of prompt levels per step. */
export class SessionPage extends AbstractPage {
  constructor(page: Page) {
    super(page, 'Record a session');
  }

  /** Picks a level at each step, in order. */
  async record(levels: string[]): Promise<void> {
    const groups = this.page.locator('main fieldset');
    for (const [i, level] of levels.entries()) {
      await groups.nth(i).getByLabel(level, { exact: true }).check();
    }
    await this.clickAndWait(this.page.getByRole('button', { name: 'Save session' }));
  }
}

/** A person's progress on one task: the chart, its table and the step grid. */
export class ProgressPage extends AbstractPage {
  constructor(page: Page, title: string) {
    super(page, title);
  }

  async chartPoints(): Promise<number> {
    return this.page.locator('svg.stepwise-chart .stepwise-chart__point').count();
  }

  async chartTitle(): Promise<string> {
    return (await this.page.locator('svg.stepwise-chart title').first().textContent()) ?? '';
  }

  /** The rows of the "Steps done independently, by session" table, as their cell texts. */
  async independenceRows(): Promise<string[][]> {
    const rows = this.page.locator('table', { hasText: 'Steps done independently, by session' }).locator('tbody tr');
    const out: string[][] = [];
    for (let i = 0; i < (await rows.count()); i += 1) {
      const cells = await rows.nth(i).locator('td').allInnerTexts();
      out.push(cells.map((c) => c.split('\n').pop()?.trim() ?? ''));
    }
    return out;
  }

  async verdict(): Promise<string> {
    return (await this.page.locator('.nhsuk-inset-text').first().innerText()).trim();
  }

  async recordSession(): Promise<void> {
    await this.clickAndWait(this.page.getByRole('link', { name: 'Record a session' }).first());
  }
}
