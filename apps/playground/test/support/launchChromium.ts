import { chromium, type Browser, type Page } from 'playwright-core';

/** The flags that run Debian's Chromium headless in a container or CI job. */
const chromiumFlags = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

/**
 * Launches the system Chromium (never a downloaded one) headless. Playwright
 * gives every launch a fresh temporary `--user-data-dir` and removes it on close.
 */
export function launchChromium(executablePath: string, extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath, headless: true, args: [...chromiumFlags, ...extraArgs], timeout: 60_000 });
}

/**
 * A page that records console errors and uncaught exceptions, so a test can
 * assert the page ran cleanly.
 */
export async function openPage(browser: Browser, url: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console.error: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
  page.setDefaultTimeout(60_000);
  await page.goto(url);
  return { page, errors };
}
