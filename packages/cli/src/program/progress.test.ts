import { describe, expect, it } from 'vitest';
import { createProgress, formatDuration, formatProgress } from './progress.js';

/** A stream that records what is written, as a terminal (`isTTY`) or a pipe. */
function stream(isTTY: boolean): NodeJS.WritableStream & { isTTY: boolean; text: string } {
  const out = { isTTY, text: '', write: (chunk: string) => ((out.text += chunk), true) };
  return out as unknown as NodeJS.WritableStream & { isTTY: boolean; text: string };
}

describe('formatProgress', () => {
  it('shows the bar, the status, the elapsed time, the ETA and samples/s', () => {
    // 10 of 40 batches of 8 samples (320 in all) in 5 s: 2 batches/s, so 15 s left and 16 samples/s.
    const line = formatProgress({ label: 'epoch 2/4', done: 10, total: 40, elapsedMs: 5000, samples: 320, status: 'loss 0.4231' });
    expect(line).toBe('epoch 2/4 [######..................] 10/40 loss 0.4231 | 0:05 elapsed, ETA 0:15, 16.0 samples/s');
  });

  it('counts the units themselves as samples when the bar is not of batches', () => {
    expect(formatProgress({ label: 'Checking samples', done: 300, total: 1200, elapsedMs: 2000 })).toBe(
      'Checking samples [######..................] 300/1200 | 0:02 elapsed, ETA 0:06, 150 samples/s',
    );
  });

  it('leaves the ETA and rate out until a unit is done, and the ETA out of the final line', () => {
    expect(formatProgress({ label: 'epoch 1/2', done: 0, total: 4, elapsedMs: 800 })).toBe('epoch 1/2 [........................] 0/4 | 0:01 elapsed');
    expect(formatProgress({ label: 'epoch 1/2', done: 4, total: 4, elapsedMs: 90_000, samples: 30, finished: true })).toBe(
      'epoch 1/2 [########################] 4/4 | 1:30 elapsed, 0.333 samples/s',
    );
  });

  it('rates only what this bar did when it started part-way (a resumed epoch)', () => {
    // 30 of 40 batches were done before the bar started; 5 more in 5 s is 1 batch/s, so 5 s for the last 5.
    expect(formatProgress({ label: 'epoch 3/4', done: 35, total: 40, elapsedMs: 5000, startDone: 30 })).toBe(
      'epoch 3/4 [#####################...] 35/40 | 0:05 elapsed, ETA 0:05, 1.00 samples/s',
    );
  });

  it('formats durations as m:ss or h:mm:ss', () => {
    expect([formatDuration(0), formatDuration(7.4), formatDuration(754), formatDuration(3723)]).toEqual(['0:00', '0:07', '12:34', '1:02:03']);
  });
});

describe('createProgress', () => {
  it('redraws in place on a terminal, at most every 100 ms, and ends the bar with a line', () => {
    let now = 0;
    const out = stream(true);
    const progress = createProgress(out, { now: () => now });
    progress.start('epoch 1/1', 4, { samples: 16 });
    now = 50;
    progress.update(1, 'loss 1.0000'); // too soon after the start: not drawn
    now = 1000;
    progress.update(2, 'loss 0.5000');
    now = 1600;
    progress.update(4, 'loss 0.3000'); // the last unit is always drawn
    // Validation after the last batch: the final line's elapsed time counts it, its rate does not.
    now = 3000;
    progress.finish('loss 0.2500');
    expect(out.text.split('\r')).toEqual([
      'epoch 1/1 [........................] 0/4 | 0:00 elapsed',
      'epoch 1/1 [############............] 2/4 loss 0.5000 | 0:01 elapsed, ETA 0:01, 8.00 samples/s\x1b[K',
      'epoch 1/1 [########################] 4/4 loss 0.3000 | 0:02 elapsed, 10.0 samples/s\x1b[K',
      'epoch 1/1 [########################] 4/4 loss 0.2500 | 0:03 elapsed, 10.0 samples/s\x1b[K\n',
    ]);
  });

  it('writes only the final line of each bar to a pipe, and nothing but log lines when quiet', () => {
    let now = 0;
    const piped = stream(false);
    const progress = createProgress(piped, { now: () => now });
    progress.start('epoch 1/1', 2, { samples: 10 });
    now = 500;
    progress.update(1);
    now = 1000;
    progress.finish('loss 0.1000');
    progress.log('Model: run/model');
    expect(piped.text).toBe('epoch 1/1 [########################] 2/2 loss 0.1000 | 0:01 elapsed, 10.0 samples/s\nModel: run/model\n');

    const quiet = stream(true);
    const silent = createProgress(quiet, { quiet: true, now: () => now });
    silent.start('epoch 1/1', 2);
    silent.update(1);
    silent.finish('loss 0.1000');
    silent.log('Model: run/model');
    expect(quiet.text).toBe('Model: run/model\n');
  });

  it('shows where an interrupted bar stopped', () => {
    let now = 0;
    const piped = stream(false);
    const progress = createProgress(piped, { now: () => now });
    progress.start('epoch 2/9', 10);
    now = 3000;
    progress.update(3, 'loss 0.7000');
    progress.finish();
    expect(piped.text).toBe('epoch 2/9 [#######.................] 3/10 loss 0.7000 | 0:03 elapsed, 1.00 samples/s\n');
  });
});
