import { ConfigError } from '@polyfuse/core';
import type { LearningRateSchedule } from './learningRateSchedule.js';

export interface ReduceOnPlateauOptions {
  /** Logged value to watch, e.g. `val.loss.total` or `val.accuracy`. */
  monitor: string;
  /** `min` for losses, `max` for scores. Default `min`. */
  mode?: 'min' | 'max';
  /** Multiplier applied on a plateau. Default 0.1. */
  factor?: number;
  /** Epochs without improvement before reducing. Default 10. */
  patience?: number;
  /** Relative improvement that counts (torch's threshold_mode 'rel'). Default 1e-4. */
  threshold?: number;
  /** Epochs to wait after a reduction before counting again. Default 0. */
  cooldown?: number;
  /** Lower bound of the learning rate. Default 0. */
  minLearningRate?: number;
}

interface PlateauState {
  best: number | null;
  badEpochs: number;
  cooldownLeft: number;
  scale: number;
}

/**
 * torch.optim.lr_scheduler.ReduceLROnPlateau (threshold_mode 'rel'): after
 * `patience` epochs without the monitored value improving by more than
 * `threshold` (relative), the rate is multiplied by `factor`.
 */
export class ReduceOnPlateauSchedule implements LearningRateSchedule {
  readonly name = 'reduce-on-plateau';
  private state: PlateauState = { best: null, badEpochs: 0, cooldownLeft: 0, scale: 1 };

  constructor(readonly options: ReduceOnPlateauOptions) {}

  learningRate(base: number): number {
    return Math.max(base * this.state.scale, this.options.minLearningRate ?? 0);
  }

  onEpochEnd(values: Record<string, number>): void {
    const { monitor, mode = 'min', factor = 0.1, patience = 10, threshold = 1e-4, cooldown = 0 } = this.options;
    const value = values[monitor];
    if (value === undefined) {
      throw new ConfigError(`schedule reduce-on-plateau: monitor '${monitor}' is not logged. Logged values: ${Object.keys(values).join(', ')}.`);
    }
    const s = this.state;
    const better = s.best === null || (mode === 'min' ? value < s.best * (1 - threshold) : value > s.best * (1 + threshold));
    if (better) {
      s.best = value;
      s.badEpochs = 0;
    } else {
      s.badEpochs++;
    }
    if (s.cooldownLeft > 0) {
      s.cooldownLeft--;
      s.badEpochs = 0;
    }
    if (s.badEpochs > patience) {
      s.scale *= factor;
      s.cooldownLeft = cooldown;
      s.badEpochs = 0;
    }
  }

  getState(): unknown {
    return { ...this.state };
  }

  setState(state: unknown): void {
    this.state = { ...(state as PlateauState) };
  }
}
