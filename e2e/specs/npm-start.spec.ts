import { SetupPage } from '../pages/setup.page.ts';
import { describe, expect, test } from '../support/fixtures.ts';
import { npmStart } from '../support/npm-start.ts';

describe('npm start', () => {
  test('prints a set-up link that opens the set-up form, and stops cleanly on SIGTERM', async ({ page, onTestFinished }) => {
    const started = await npmStart();
    onTestFinished(() => started.stop());

    expect(started.setupLink).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/setup\?token=[\w-]{20,}$/);
    expect(started.setupLink).not.toContain(':0/');
    await SetupPage.visit(page, started.setupLink);

    await started.stop();

    expect(started.output().stderr).toContain('Received SIGTERM');
    await expect(fetch(started.setupLink)).rejects.toThrow();
  });
});
