/**
 * The seeded generator of @polyfuse/core's SeededRandom (mulberry32 stream,
 * splitmix32 seeding: the same seed gives the same sequence), copied here so
 * the data scripts load without TensorFlow.js or a built workspace.
 */
export class SeededRandom {
  constructor(seed) {
    if (!Number.isFinite(seed)) throw new Error(`seed must be a finite number, got ${seed}.`);
    let z = ((Math.floor(seed) >>> 0) + 0x9e3779b9) >>> 0;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    this.state = (z ^ (z >>> 16)) >>> 0;
  }

  /** Uniform float in [0, 1). */
  next() {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform integer in [0, maxExclusive). */
  int(maxExclusive) {
    return Math.floor(this.next() * maxExclusive);
  }

  /** Shuffles `items` in place (Fisher-Yates) and returns it. */
  shuffle(items) {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [items[i], items[j]] = [items[j], items[i]];
    }
    return items;
  }
}
