import { afterAll, beforeAll, describe } from 'vitest';
import type { Browser } from 'playwright-core';
import { buildPage, distDir } from './buildPage.js';
import { findChromium } from './findChromium.js';
import { launchChromium } from './launchChromium.js';
import { serveFolder } from './staticServer.js';

const lookup = findChromium();
if (!lookup.executablePath) {
  if (lookup.required) throw new Error(`The browser tests must run here (CI or POLYFUSE_REQUIRE_BROWSER=1) but Chromium is missing: ${lookup.missing}.`);
  console.warn(`Skipping the browser tests: ${lookup.missing}.`);
}

/** What a browser test gets: the built playground served on localhost, and one Chromium. */
export interface BrowserContext {
  url: string;
  browser: Browser;
}

/**
 * A describe block whose tests share one Vite build, one static server and
 * one Chromium (with `chromiumArgs` added to the usual flags); skipped (with the reason printed above) when there is no
 * Chromium and the tests are not required to run.
 */
export function describeInBrowser(name: string, body: (context: BrowserContext) => void, options: { chromiumArgs?: readonly string[] } = {}): void {
  describe.skipIf(!lookup.executablePath)(name, () => {
    const context = {} as BrowserContext;
    let closeServer: (() => Promise<void>) | undefined;
    beforeAll(async () => {
      await buildPage();
      const server = await serveFolder(distDir);
      closeServer = server.close;
      context.url = server.url;
      context.browser = await launchChromium(lookup.executablePath!, options.chromiumArgs);
    });
    afterAll(async () => {
      await context.browser?.close();
      await closeServer?.();
    });
    body(context);
  });
}
