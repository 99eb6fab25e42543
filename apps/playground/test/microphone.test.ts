import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { appDir } from './support/buildPage.js';
import { describeInBrowser } from './support/browserSuite.js';
import { openPage } from './support/launchChromium.js';

// Chromium's fake capture device plays a WAV file (in a loop) as the microphone, and its fake
// permission prompt grants access: the page's real getUserMedia -> MediaRecorder -> decode ->
// WAV -> log-mel path runs on a known recording, the committed spoken 7. The page keeps the
// middle 0.97 s of its 1.5 s recording, as the preprocessor centre-crops, so the 1 s clip is
// played after 0.265 s of silence (and followed by some) to land in that window.
const spokenSeven = paddedWav(readFileSync(path.join(appDir, 'public/samples/spoken-7.wav')), 0.265, 0.5);

/** A 16-bit mono PCM WAV (44-byte header, as the committed sample is) with silence before and after, in a temporary file. */
function paddedWav(wav: Buffer, before: number, after: number): string {
  const rate = wav.readUInt32LE(24);
  const samples = wav.subarray(44);
  const head = Buffer.alloc(Math.round(before * rate) * 2);
  const tail = Buffer.alloc(Math.round(after * rate) * 2);
  const data = Buffer.concat([head, samples, tail]);
  const header = Buffer.from(wav.subarray(0, 44));
  header.writeUInt32LE(36 + data.length, 4);
  header.writeUInt32LE(data.length, 40);
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'playground-mic-')), 'spoken-7-padded.wav');
  writeFileSync(file, Buffer.concat([header, data]));
  return file;
}

describeInBrowser(
  'recording from the microphone in Chromium',
  (context) => {
    let page: Page;
    let errors: string[];

    beforeAll(async () => {
      ({ page, errors } = await openPage(context.browser, context.url));
      await page.waitForSelector('body[data-ready="true"]');
    });

    it('records 1.5 s, turns it into a log-mel like an uploaded WAV, and predicts the spoken digit from audio alone', async () => {
      await page.click('#record');
      await page.waitForFunction(() => document.getElementById('audio-status')!.textContent!.includes('microphone'), undefined, { timeout: 30_000 });
      await page.waitForSelector('#prediction[data-predicted]');
      expect(await page.getAttribute('#prediction', 'data-predicted')).toBe('7');
      const rows = (await page.$$eval('#probabilities tbody tr', (trs) =>
        Object.fromEntries(trs.map((tr) => [(tr as HTMLElement).dataset.mode, JSON.parse((tr as HTMLElement).dataset.probabilities!)])),
      )) as Record<'fused' | 'withoutImage' | 'withoutAudio', number[]>;
      // Nothing is drawn, so the image is masked in the first two rows too: both are the audio's prediction.
      for (const mode of ['fused', 'withoutImage'] as const) expect(rows[mode].indexOf(Math.max(...rows[mode])), mode).toBe(7);
      expect(errors).toEqual([]);
    });
  },
  { chromiumArgs: ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-audio-capture=${spokenSeven}`] },
);
