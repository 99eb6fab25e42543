import { ConfigError } from '@polyfuse/core';
import type { Callback, EpochLog } from './callback.js';
import type { Trainer } from '../loop/trainer.js';

export interface EarlyStoppingOptions {
  /** Logged epoch value to watch. Default `val.loss.total`. */
  monitor?: string;
  /** `min` for losses, `max` for scores. Default `min`. */
  mode?: 'min' | 'max';
  /** Epochs without improvement before stopping. Default 5. */
  patience?: number;
  /** Smallest absolute change that counts as improvement (Keras' min_delta). Default 0. */
  minDelta?: number;
}

/**
 * Stops training when the monitored value has not improved by more than
 * `minDelta` for `patience` epochs, as Keras' EarlyStopping. Its memory is
 * checkpointed, so a resumed run stops at the same epoch.
 */
export class EarlyStopping implements Callback {
  readonly name = 'early-stopping';
  readonly options: Required<EarlyStoppingOptions>;
  private best: number | null = null;
  private wait = 0;

  constructor(options: EarlyStoppingOptions = {}) {
    this.options = { monitor: 'val.loss.total', mode: 'min', patience: 5, minDelta: 0, ...options };
  }

  onEpochEnd(log: EpochLog, trainer: Trainer): void {
    const { monitor, mode, patience, minDelta } = this.options;
    const value = log.values[monitor];
    if (value === undefined) {
      throw new ConfigError(`early stopping: monitor '${monitor}' is not logged. Logged values: ${Object.keys(log.values).join(', ')}.`);
    }
    const improved = this.best === null || (mode === 'min' ? value < this.best - minDelta : value > this.best + minDelta);
    if (improved) {
      this.best = value;
      this.wait = 0;
      return;
    }
    this.wait++;
    if (this.wait >= patience) trainer.stop(`${monitor} did not improve for ${patience} epochs (best ${this.best}).`);
  }

  getState(): unknown {
    return { best: this.best, wait: this.wait };
  }

  setState(state: unknown): void {
    ({ best: this.best, wait: this.wait } = state as { best: number | null; wait: number });
  }
}
