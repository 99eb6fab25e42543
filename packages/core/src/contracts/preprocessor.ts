import type { SeededRandom } from '../random/seededRandom.js';

/** What a preprocessor is told about the sample it is processing. */
export interface PreprocessContext {
  /** Folder of the manifest; file paths in the manifest are relative to it. */
  baseDir: string;
  /** True while training: random augmentation applies only then. */
  training: boolean;
  /** Seeded per sample and epoch by the loader, for reproducible augmentation. */
  rng: SeededRandom;
}

/**
 * Turns one manifest field (a file path, inline text or numbers) into the
 * flat values of one sample's tensor. Modality packages register these as
 * `preprocessor/<name>`; @polyfuse/data runs them, batches the results and
 * builds presence masks.
 */
export interface Preprocessor {
  /** Shape of one processed sample, without the batch dimension. */
  readonly outputShape: number[];
  readonly dtype: 'float32' | 'int32';
  /**
   * Whether `process` with `training: true` can differ from `training: false`
   * (random augmentation is configured). When every preprocessor of a dataset
   * says `false`, training batches come from the in-memory and disk caches
   * too. Unset counts as `true`, the safe answer for a plugin that does not say.
   */
  readonly augments?: boolean;
  /** The validated config, saved with the model so prediction preprocesses the same way. */
  readonly config: Record<string, unknown>;
  /**
   * Processes one value. Throws InputError naming the file or value when it
   * is unreadable or corrupt.
   */
  process(value: unknown, context: PreprocessContext): Promise<Float32Array | Int32Array>;
  /**
   * Optional: learns from the training split before processing (a vocabulary,
   * standardisation statistics). Called once with every training value.
   */
  fit?(values: unknown[], context: Omit<PreprocessContext, 'rng' | 'training'>): Promise<void>;
  /** Optional: what `fit` learned, as JSON, so a saved model preprocesses identically. */
  getState?(): unknown;
  setState?(state: unknown): void;
}
