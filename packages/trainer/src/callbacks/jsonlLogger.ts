import { promises as fs } from 'node:fs';
import path from 'node:path';
import { makeDirectory } from '@polyfuse/core/node';
import type { Callback, EpochLog, StepLog } from './callback.js';

/**
 * Appends one JSON line per training step and per epoch to `file`: every loss
 * term, every weighting-strategy weight, the learning rate, and (per epoch)
 * every validation loss and metric. Lines are flushed as they are written, so
 * a crash loses at most the line being written; a resumed run appends.
 */
export class JsonlLogger implements Callback {
  readonly name = 'jsonl-logger';
  private handle?: fs.FileHandle;

  constructor(readonly file: string, readonly options: { steps?: boolean } = {}) {}

  async onTrainBegin(): Promise<void> {
    await makeDirectory(path.dirname(this.file));
    this.handle = await fs.open(this.file, 'a');
  }

  async onStepEnd(log: StepLog): Promise<void> {
    if (this.options.steps === false) return;
    await this.write({ type: 'step', epoch: log.epoch, step: log.step, batch: log.batch, ...log.values });
  }

  async onEpochEnd(log: EpochLog): Promise<void> {
    await this.write({ type: 'epoch', epoch: log.epoch, step: log.step, seconds: log.seconds, ...log.values });
  }

  async onTrainEnd(): Promise<void> {
    await this.handle?.close();
    this.handle = undefined;
  }

  private async write(record: Record<string, unknown>): Promise<void> {
    await this.handle?.write(`${JSON.stringify(record)}\n`);
  }
}
