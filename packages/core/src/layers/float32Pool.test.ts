import { describe, expect, it } from 'vitest';
import { Float32Pool } from './float32Pool.js';

describe('Float32Pool', () => {
  it('hands back given arrays of the same length, zeroed on request', () => {
    const pool = new Float32Pool(2);
    const a = pool.take(4);
    a.fill(7);
    pool.give(a);
    expect(pool.take(3)).not.toBe(a);
    const again = pool.take(4, true);
    expect(again).toBe(a);
    expect(Array.from(again)).toEqual([0, 0, 0, 0]);
  });

  it('keeps at most perLength free arrays per length, each once', () => {
    const pool = new Float32Pool(1);
    const a = pool.take(2);
    const b = pool.take(2);
    pool.give(a, a, b);
    expect(pool.take(2)).toBe(a);
    expect(pool.take(2)).not.toBe(b);
  });
});
