import { describe, expect, it } from 'vitest';
import { orderedMap } from './orderedMap.js';
import { prefetch } from './prefetch.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('orderedMap', () => {
  it('keeps input order with at most `concurrency` calls in flight', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const out: number[] = [];
    for await (const v of orderedMap([5, 1, 4, 2, 3, 0], async (x) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await sleep(x * 2);
      inFlight--;
      return x * 10;
    }, 3)) out.push(v);
    expect(out).toEqual([50, 10, 40, 20, 30, 0]);
    expect(maxInFlight).toBe(3);
  });

  it('lets calls in flight finish before an early stop returns', async () => {
    const finished: number[] = [];
    for await (const v of orderedMap([1, 2, 3, 4, 5], async (x) => {
      await sleep(x * 3);
      finished.push(x);
      return x;
    }, 3)) {
      if (v === 1) break;
    }
    expect(finished.sort()).toEqual([1, 2, 3, 4]);
  });

  it('surfaces an error at the position it happened', async () => {
    const seen: number[] = [];
    await expect(async () => {
      for await (const v of orderedMap([1, 2, 3], async (x) => {
        if (x === 2) throw new Error('bad 2');
        return x;
      }, 2)) seen.push(v);
    }).rejects.toThrow('bad 2');
    expect(seen).toEqual([1]);
  });
});

describe('prefetch', () => {
  it('produces ahead of the consumer and releases unconsumed items when it stops', async () => {
    const produced: number[] = [];
    async function* source() {
      for (let i = 0; i < 10; i++) {
        produced.push(i);
        yield i;
      }
    }
    const released: number[] = [];
    const consumed: number[] = [];
    for await (const v of prefetch(source(), 2, (x) => released.push(x))) {
      consumed.push(v);
      if (v === 3) break;
    }
    expect(consumed).toEqual([0, 1, 2, 3]);
    expect(released).toEqual([4, 5]);
    expect(produced.length).toBe(6);
  });
});
