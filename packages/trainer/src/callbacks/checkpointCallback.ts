import path from 'node:path';
import { ConfigError } from '@polyfuse/core';
import type { Callback, EpochLog } from './callback.js';
import type { Trainer } from '../loop/trainer.js';
import { saveCheckpoint } from '../checkpoint/checkpointDirectory.js';

export interface CheckpointOptions {
  /** Folder that receives `last/` and `best/`. */
  dir: string;
  /** Logged epoch value that decides `best/`; none: no best checkpoint. Default `val.loss.total`. */
  monitor?: string | null;
  /** `min` for losses, `max` for scores. Default `min`. */
  mode?: 'min' | 'max';
  /** Write `last/` after every `every` epochs (and always at the end and on interrupt). Default 1. */
  every?: number;
}

/**
 * Saves `<dir>/last` after epochs, at the end of training and when the run is
 * interrupted (Ctrl-C), and `<dir>/best` whenever the monitored value improves.
 * Both are complete checkpoints (model + optimizer + trainer state), written
 * atomically, and model folders that `loadModel` opens for prediction.
 */
export class CheckpointCallback implements Callback {
  readonly name = 'checkpoint';
  readonly options: Required<CheckpointOptions>;
  private best: number | null = null;
  /** Paths written so far, most recent last (for logs). */
  readonly written: string[] = [];

  constructor(options: CheckpointOptions) {
    if (!options?.dir) throw new ConfigError('checkpoint.dir is required.');
    this.options = { monitor: 'val.loss.total', mode: 'min', every: 1, ...options };
  }

  get lastDir(): string {
    return path.join(this.options.dir, 'last');
  }

  get bestDir(): string {
    return path.join(this.options.dir, 'best');
  }

  async onEpochEnd(log: EpochLog, trainer: Trainer): Promise<void> {
    const { monitor, mode, every } = this.options;
    if (monitor) {
      const value = log.values[monitor];
      if (value === undefined) {
        throw new ConfigError(`checkpoint: monitor '${monitor}' is not logged. Logged values: ${Object.keys(log.values).join(', ')}.`);
      }
      if (this.best === null || (mode === 'min' ? value < this.best : value > this.best)) {
        this.best = value;
        await this.write(this.bestDir, trainer);
      }
    }
    if ((log.epoch + 1) % every === 0) await this.write(this.lastDir, trainer);
  }

  async onInterrupt(trainer: Trainer): Promise<void> {
    await this.write(this.lastDir, trainer);
  }

  async onTrainEnd(_result: unknown, trainer: Trainer): Promise<void> {
    await this.write(this.lastDir, trainer);
  }

  getState(): unknown {
    return { best: this.best };
  }

  setState(state: unknown): void {
    this.best = (state as { best: number | null }).best;
  }

  private async write(dir: string, trainer: Trainer): Promise<void> {
    await saveCheckpoint(dir, await trainer.checkpoint());
    this.written.push(dir);
  }
}
