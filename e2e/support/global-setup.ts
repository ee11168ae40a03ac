import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { ARTIFACTS_DIR, CHROMIUM_PATH } from './browser.ts';

/** Fails fast when Chromium is missing, and empties the artifacts folder so it holds only this run's failures. */
export default function setup(): void {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium was not found at ${CHROMIUM_PATH}. Install Debian's package (apt-get install -y chromium); ` +
        'do not run `npx playwright install`.',
    );
  }
  rmSync(ARTIFACTS_DIR, { recursive: true, force: true });
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
}
