import { readFileSync } from 'node:fs';
import { beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { initBackend, modelFromFiles, tf } from '@polyfuse/core';
import '@polyfuse/image';
import '@polyfuse/audio';
import '@polyfuse/fusion';
import { sampleModelInputs, smokeOperations, type SmokeResult } from '../src/smoke/operations.js';
import { describeInBrowser } from './support/browserSuite.js';
import { openPage } from './support/launchChromium.js';

const sample = (name: string) => new Uint8Array(readFileSync(new URL(`../public/samples/${name}`, import.meta.url)));
const inputs = { wav: sample('spoken-7.wav'), png: sample('digit-7.png'), jpeg: sample('digit-7.jpg') };

/** Numbers equal to 1e-4 relative (the page may run webgl, Node runs wasm or cpu); everything else exactly. */
function expectSameResult(actual: SmokeResult, expected: SmokeResult, what: string) {
  expect(Object.keys(actual).sort(), what).toEqual(Object.keys(expected).sort());
  for (const [key, value] of Object.entries(expected)) {
    const got = actual[key];
    const list = Array.isArray(value) ? value : [value];
    const gotList = Array.isArray(got) ? got : [got];
    expect(gotList.length, `${what}.${key} length`).toBe(list.length);
    list.forEach((v, i) => expect(Math.abs((gotList[i] as number) - v), `${what}.${key}[${i}]: page ${gotList[i]}, Node ${v}`).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(v))));
  }
}

describeInBrowser('every browser package runs one real operation in Chromium', (context) => {
  let page: Page;
  let errors: string[];
  beforeAll(async () => {
    await initBackend({ log: null });
    ({ page, errors } = await openPage(context.browser, `${context.url}smoke.html`));
    await page.waitForSelector('#status[data-ready="true"]');
  });

  for (const name of Object.keys(smokeOperations)) {
    it(`${name}: the page computes what Node computes`, async () => {
      const inPage = await page.evaluate((n) => window.polyfuseSmoke(n), name);
      const inNode = await smokeOperations[name]!(inputs);
      expectSameResult(inPage, inNode, name);
      expect(errors).toEqual([]);
    });
  }

  it('the results are the known answers, not just equal', async () => {
    const run = (name: string) => page.evaluate((n) => window.polyfuseSmoke(n), name);
    expect(await run('metrics')).toMatchObject({ accuracy: 5 / 7 }); // 5 of the 7 predictions are right
    expect((await run('audio')).length).toBe(40 * 32);
    const losses = (await run('trainer')).losses as number[];
    expect(losses[2]).toBeLessThan(losses[0]!);
    expect((await run('core')).product).toEqual([4.5, -0.5, 9.5, -2]);
    const image = await run('image');
    expect(image.pngSize).toEqual([28, 28, 4]);
    expect(Math.max(...(image.png as number[]))).toBe(255); // a white stroke on black
    const fusion = await run('fusion');
    expect(fusion.both).not.toEqual(fusion.withoutB); // masking a modality changes the output
  });

  it('tf.loadLayersModel + predict open the committed model in the page and predict what polyfuse predicts in Node', async () => {
    const inPage = await page.evaluate(() => window.polyfusePlainTfjs());
    const modelDir = new URL('../public/models/av-digits/', import.meta.url);
    const model = await modelFromFiles({
      'model.json': readFileSync(new URL('model.json', modelDir), 'utf8'),
      'weights.bin': new Uint8Array(readFileSync(new URL('weights.bin', modelDir))),
      'polyfuse.json': readFileSync(new URL('polyfuse.json', modelDir), 'utf8'),
    });
    const { image, audio } = await sampleModelInputs(inputs);
    const inNode = tf.tidy(() => {
      const twice = (values: Float32Array, shape: number[]) => tf.tensor(Float32Array.from({ length: 2 * values.length }, (_, i) => values[i % values.length]!), [2, ...shape]);
      const logits = model.predict({ inputs: { image: twice(image, [28, 28, 1]), audio: twice(audio, [40, 32, 1]) }, mask: { image: tf.tensor1d([1, 1]), audio: tf.tensor1d([1, 0]) } });
      return tf.softmax(logits).arraySync() as number[][];
    });
    model.dispose();
    expect(inPage[0]!.indexOf(Math.max(...inPage[0]!))).toBe(7);
    inNode.forEach((row, r) => row.forEach((p, c) => expect(Math.abs(inPage[r]![c]! - p), `row ${r} class ${c}`).toBeLessThan(1e-4)));
    expect(inPage[0]).not.toEqual(inPage[1]); // the [B, 1] audio mask is read
    expect(errors).toEqual([]);
  });
});
