import type { SeededRandom, TargetInfo, TargetType } from '@polyfuse/core';

/** One sample's encoded target: a number for `[]` targets, flat values otherwise. */
export type TargetValue = Float32Array | Int32Array | number;

/** What a target is told when it encodes one sample. */
export interface TargetEncodeContext {
  /** Seeded per sample, target and epoch by the loader (sequence targets draw a reference with it). */
  rng?: SeededRandom;
  /** True in training batches; evaluation encodes deterministically. */
  training: boolean;
}

/**
 * A training target read from a manifest field (`data.labels.<name>`): it
 * learns what it needs from the training split (`fit`), turns one raw value
 * into the per-sample values of `targets.<name>` (`encode`), describes itself
 * to the model (`info`), and saves what it learned (`getState`/`setState`).
 * See docs/tasks.md, "Targets".
 */
export interface Target {
  readonly name: string;
  readonly type: TargetType;
  /** Per-sample shape: `[]`, `[C]` (classes, regression width) or `[L]` (`-1`: padded per batch). Known after `fit`. */
  readonly shape: number[];
  readonly dtype: 'float32' | 'int32';
  /** Class names in index order for `class` and `multilabel` targets; empty for the others. */
  readonly classes: string[];
  /** Fills the end of shorter values when batching (a sequence's pad id); 0 otherwise. */
  readonly padValue: number;
  /**
   * True when training batches may encode a sample differently each epoch
   * (a sequence target draws one of several references), so the loader
   * encodes it per batch instead of once when the manifest is read.
   */
  readonly perEpoch: boolean;
  /** Learns from the training split's raw values (missing values excluded): classes, scaling, a vocabulary. */
  fit(values: unknown[], context?: { baseDir: string }): Promise<void>;
  /**
   * One sample's target, or a message saying what is wrong with `value`.
   * Synchronous for every type but `sequence`, whose tokenizer is an
   * (asynchronous) preprocessor.
   */
  encode(value: unknown, context: TargetEncodeContext): TargetValue | string | Promise<TargetValue | string>;
  /** The reference texts of a raw value, kept on the sample for metrics (sequence targets), or a message. */
  references?(value: unknown): string[] | string;
  /** What heads size themselves from. */
  info(): TargetInfo;
  /** What `fit` learned, as JSON. */
  getState(): unknown;
  setState(state: unknown): void;
}
