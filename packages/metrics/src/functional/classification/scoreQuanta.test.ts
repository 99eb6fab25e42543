import { describe, expect, it } from 'vitest';
import { binadeQuantum, descendingKey, equalizeBinades, HIGH_WORD, linearQuantum, linearScale, prefersBitPattern } from './scoreQuanta.js';

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Quanta of `values` (sorted descending) never decrease and stay in [0, quanta). */
function expectMonotone(quanta: number[], count: number): void {
  const bad = quanta.findIndex((q, i) => !(q >= 0 && q < count && (i === 0 || q >= quanta[i - 1])));
  expect(bad, `quanta ${quanta[bad - 1]}, ${quanta[bad]} at ${bad}`).toBe(-1);
}

describe('score quanta', () => {
  const rand = lcg(3);
  const wide = (n: number) =>
    Float64Array.from({ length: n }, (_, i) =>
      i % 50 === 0 ? [0, -0, 5e-324, -5e-324, Number.MAX_VALUE, -Number.MAX_VALUE][i % 6] : (rand() < 0.2 ? -1 : 1) * Math.exp((rand() - 0.5) * 1400),
    );

  it('orders high words by descending value', () => {
    // The native sort puts -0 before 0, so reversed +0 comes first, as its key does.
    const values = wide(2000).sort().reverse();
    const words = new Uint32Array(values.buffer);
    const keys = Array.from(values, (_, i) => descendingKey(words[2 * i + HIGH_WORD]));
    expectMonotone(keys, 2 ** 32);
  });

  it('maps linearly without ever decreasing, over the whole range', () => {
    const values = Float64Array.from({ length: 5000 }, () => (rand() - 0.5) * 1e3).sort().reverse();
    const count = 2 ** 14;
    const scale = linearScale(values[values.length - 1], values[0], count);
    expectMonotone(Array.from(values, (v) => linearQuantum(v, values[0], scale)), count);
  });

  it('has no linear scale for a range past float64 or a subnormal one', () => {
    expect(linearScale(-Number.MAX_VALUE, Number.MAX_VALUE, 1024)).toBe(0);
    expect(linearScale(0, 5e-324, 1024)).toBe(0);
  });

  it('maps by binade without ever decreasing, and spreads scores over many orders of magnitude', () => {
    const values = wide(20000).sort().reverse();
    const count = 2 ** 17;
    equalizeBinades(new Uint32Array(values.buffer), values.length, count);
    const words = new Uint32Array(values.buffer);
    const quanta = Array.from(values, (_, i) => binadeQuantum(words[2 * i + HIGH_WORD]));
    expectMonotone(quanta, count);
    // Apart from the repeated extremes, no quantum holds more than a few scores.
    const counts = new Map<number, number>();
    quanta.forEach((q) => counts.set(q, (counts.get(q) ?? 0) + 1));
    const crowded = [...counts.values()].filter((c) => c > 8).length;
    expect(crowded).toBeLessThanOrEqual(6);
  });

  it('prefers the bit-pattern map for scores over many orders of magnitude only', () => {
    const spread = wide(10000);
    const uniform = Float64Array.from({ length: 10000 }, rand);
    const maxOf = (a: Float64Array) => a.reduce((x, y) => Math.max(x, y), -Infinity);
    const minOf = (a: Float64Array) => a.reduce((x, y) => Math.min(x, y), Infinity);
    const q = 2 ** 16;
    expect(prefersBitPattern(spread, spread.length, maxOf(spread), linearScale(minOf(spread), maxOf(spread), q), q)).toBe(true);
    expect(prefersBitPattern(uniform, uniform.length, maxOf(uniform), linearScale(minOf(uniform), maxOf(uniform), q), q)).toBe(false);
  });
});
