import type { Locator, Page } from 'playwright-core';

const BINDING = '__stepwiseTapped';

// Reports every click the browser treats as the person's own (a tap makes one), whatever the
// element and whichever page is loaded, so no tap goes uncounted.
const LISTENER = `addEventListener('click', (event) => { if (event.isTrusted) window.${BINDING}(); }, true);`;

/**
 * Counts a person's taps on a touch screen, as the browser sees them: from `start` on, on this
 * page and every page it loads. A spec taps with `tapAndWait` and asserts `count` at the end.
 */
export class TapCounter {
  #count = 0;

  private constructor(readonly page: Page) {}

  /** Starts counting on the page as it is now and on every page loaded after it. */
  static async start(page: Page): Promise<TapCounter> {
    const counter = new TapCounter(page);
    await page.exposeBinding(BINDING, () => {
      counter.#count += 1;
    });
    await page.addInitScript(LISTENER);
    await page.evaluate(LISTENER);
    return counter;
  }

  /** Taps seen so far. */
  get count(): number {
    return this.#count;
  }

  /** Taps a link or button as a finger would, and waits for the page it leads to. */
  async tapAndWait(target: Locator): Promise<void> {
    await Promise.all([this.page.waitForEvent('load'), target.tap()]);
  }
}
