import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { appDir } from './support/buildPage.js';
import { describeInBrowser } from './support/browserSuite.js';
import { openPage } from './support/launchChromium.js';

type Mode = 'fused' | 'withoutImage' | 'withoutAudio';

async function probabilities(page: Page): Promise<Record<Mode, number[]>> {
  return page.$$eval('#probabilities tbody tr', (rows) => Object.fromEntries(rows.map((row) => [(row as HTMLElement).dataset.mode, JSON.parse((row as HTMLElement).dataset.probabilities!)]))) as Promise<Record<Mode, number[]>>;
}

const argmax = (values: number[]) => values.indexOf(Math.max(...values));

describeInBrowser('the playground in Chromium', (context) => {
  let page: Page;
  let errors: string[];
  const downloads = mkdtempSync(path.join(tmpdir(), 'playground-downloads-'));

  beforeAll(async () => {
    ({ page, errors } = await openPage(context.browser, context.url));
    await page.waitForSelector('body[data-ready="true"]');
  });
  afterAll(() => rmSync(downloads, { recursive: true, force: true }));

  it('loads the pretrained model without console errors and says which backend it uses', async () => {
    expect(errors).toEqual([]);
    expect(await page.getAttribute('#model-name', 'data-model')).toBe('pretrained');
    expect(['webgl', 'wasm', 'cpu']).toContain(await page.getAttribute('#backend', 'data-backend'));
    await expect(page.isVisible('#error')).resolves.toBe(false);
  });

  it('predicts the committed test digit and spoken digit (a 7) as 7, with either modality alone too', async () => {
    await page.click('#load-sample');
    await page.waitForSelector('#prediction[data-predicted]');
    expect(await page.getAttribute('#prediction', 'data-predicted')).toBe('7');
    const p = await probabilities(page);
    expect(argmax(p.fused)).toBe(7);
    expect(p.fused[7]).toBeGreaterThan(0.9);
    expect(argmax(p.withoutImage)).toBe(7);
    expect(argmax(p.withoutAudio)).toBe(7);
    expect(errors).toEqual([]);
  });

  it('masking a modality changes the probabilities: each modality contributes', async () => {
    const p = await probabilities(page);
    const distance = (a: number[], b: number[]) => a.reduce((sum, v, i) => sum + Math.abs(v - b[i]!), 0);
    expect(distance(p.fused, p.withoutImage)).toBeGreaterThan(1e-4);
    expect(distance(p.fused, p.withoutAudio)).toBeGreaterThan(1e-4);
    expect(distance(p.withoutImage, p.withoutAudio)).toBeGreaterThan(1e-4);
    for (const row of Object.values(p)) expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
  });

  it('trains in the page: the loss falls over a few steps, and the stop button stops it', async () => {
    await page.fill('#epochs', '3');
    await page.click('#train');
    await page.waitForFunction(() => Number(document.getElementById('training-status')!.dataset.steps ?? 0) >= 16, undefined, { timeout: 90_000 });
    await page.click('#stop');
    await page.waitForSelector('#training-status[data-done]');
    expect(await page.getAttribute('#training-status', 'data-done')).toBe('stopped');
    const losses = JSON.parse((await page.getAttribute('#training-status', 'data-losses'))!) as number[];
    expect(losses.length).toBeLessThan(3 * 13); // 3 epochs of 13 steps: it stopped early
    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    expect(mean(losses.slice(-4))).toBeLessThan(mean(losses.slice(0, 4)) - 0.2);
    expect(await page.getAttribute('#model-name', 'data-model')).toMatch(/^trained in the page/);
    expect(errors).toEqual([]);
  });

  it('downloads the trained model and opens it again with the same predictions', async () => {
    const before = await probabilities(page);
    const saved: string[] = [];
    const collected = new Promise<void>((resolve) => {
      page.on('download', async (download) => {
        const file = path.join(downloads, download.suggestedFilename());
        await download.saveAs(file);
        saved.push(file);
        if (saved.length === 3) resolve();
      });
    });
    await page.click('#download');
    await collected;
    expect(saved.map((f) => path.basename(f)).sort()).toEqual(['model.json', 'polyfuse.json', 'weights.bin']);
    await page.click('#pretrained');
    await page.waitForSelector('#model-name[data-model="pretrained"]');
    await page.setInputFiles('#open-model', saved);
    await page.waitForSelector('#model-name[data-model^="opened"]');
    const after = await probabilities(page);
    for (const mode of ['fused', 'withoutImage', 'withoutAudio'] as Mode[]) {
      after[mode].forEach((v, i) => expect(Math.abs(v - before[mode][i]!)).toBeLessThan(1e-5));
    }
    expect(errors).toEqual([]);
  });

  it('goes back to the pretrained model and takes the README screenshot', async () => {
    await page.click('#pretrained');
    await page.waitForSelector('#model-name[data-model="pretrained"]');
    expect(await page.getAttribute('#prediction', 'data-predicted')).toBe('7');
    // The README's copy is replaced only on request, so a test run leaves the checkout clean.
    const screenshot = process.env.POLYFUSE_UPDATE_SCREENSHOT === '1' ? 'docs/screenshot.png' : 'test-results/screenshot.png';
    await page.screenshot({ path: path.join(appDir, screenshot), fullPage: true });
    expect(errors).toEqual([]);
  });
});
