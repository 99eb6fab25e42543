import { ConfigError } from '../errors/errors.js';

/**
 * A small, fast, seedable pseudo-random generator (mulberry32 for the stream,
 * splitmix32 to derive child seeds). Same seed, same sequence, on every
 * platform: we never depend on Math.random for anything a user must reproduce.
 */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    if (!Number.isFinite(seed)) {
      throw new ConfigError(`seed must be a finite number, got ${seed}.`);
    }
    this.state = splitmix32(Math.floor(seed) >>> 0);
  }

  /** Uniform float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform integer in [0, maxExclusive). */
  int(maxExclusive: number): number {
    return Math.floor(this.next() * maxExclusive);
  }

  /** Uniform float in [low, high). */
  uniform(low: number, high: number): number {
    return low + (high - low) * this.next();
  }

  /** Standard normal sample (Box-Muller). */
  normal(mean = 0, std = 1): number {
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    return mean + std * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Shuffles `items` in place (Fisher-Yates) and returns it. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [items[i], items[j]] = [items[j], items[i]];
    }
    return items;
  }

  /** A 32-bit integer suitable as a seed for another generator. */
  nextSeed(): number {
    return Math.floor(this.next() * 4294967296) >>> 0;
  }

  /** An independent generator derived from this one (does not share state). */
  fork(): SeededRandom {
    return new SeededRandom(this.nextSeed());
  }

  /** The internal state, for checkpoints. */
  getState(): number {
    return this.state;
  }

  /** Restores a state saved with `getState`. */
  setState(state: number): void {
    this.state = state >>> 0;
  }
}

function splitmix32(seed: number): number {
  let z = (seed + 0x9e3779b9) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

/** Derives a seed from a base seed and a string key (e.g. a layer name). */
export function deriveSeed(seed: number, key: string): number {
  let hash = 2166136261 ^ (seed >>> 0);
  for (let i = 0; i < key.length; i++) {
    hash = Math.imul(hash ^ key.charCodeAt(i), 16777619) >>> 0;
  }
  return splitmix32(hash);
}
