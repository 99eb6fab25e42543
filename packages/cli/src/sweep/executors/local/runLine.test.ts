import { describe, expect, it } from 'vitest';
import { formatRunLine, lastEpoch } from './runLine.js';

describe('local executor progress lines', () => {
  it('shows each run\'s state, epochs finished while running, exit code when failed, and elapsed time', () => {
    expect(formatRunLine({ index: 0, id: '0000-seed=1', state: 'queued' }, 0, 14)).toBe('0000-seed=1     queued');
    expect(formatRunLine({ index: 0, id: '0000-seed=1', state: 'running', startedAt: 1000, epoch: { current: 2, total: 8 } }, 66_000)).toBe('0000-seed=1  running  2/8 epochs  1:05');
    expect(formatRunLine({ index: 1, id: '0001-seed=2', state: 'failed', startedAt: 0, endedAt: 3000, exitCode: 1 }, 99_000)).toBe('0001-seed=2  failed   exit 1  0:03');
    expect(formatRunLine({ index: 1, id: '0001-seed=2', state: 'done', startedAt: 0, endedAt: 3000, epoch: { current: 8, total: 8 } }, 99_000)).toBe('0001-seed=2  done     0:03');
  });

  it('reads the last epoch a run printed', () => {
    expect(lastEpoch('Samples: train 18\nepoch 1/2 [###] 3/3 loss 1.05\nepoch 2/2 [#')).toEqual({ current: 2, total: 2 });
    expect(lastEpoch('Reading manifest.jsonl')).toBeUndefined();
  });
});
