import { registry } from '@polyfuse/core';
import { CheckpointCallback } from './checkpointCallback.js';
import { JsonlLogger } from './jsonlLogger.js';
import { ProgressBar } from './progressBar.js';

/** Registers the Node-only callbacks; runs when `@polyfuse/trainer/node` is imported. */
export function registerNodeCallbacks(): void {
  if (!registry.has('callback', 'checkpoint')) {
    registry.register({
      kind: 'callback',
      name: 'checkpoint',
      description: 'Atomic <dir>/last and <dir>/best checkpoints (model + optimizer + trainer state).',
      schema: {
        dir: { type: 'string', required: true },
        monitor: { type: 'string', default: 'val.loss.total' },
        mode: { type: 'string', enum: ['min', 'max'], default: 'min' },
        every: { type: 'integer', min: 1, default: 1 },
      },
      create: (c: { dir: string; monitor: string; mode: 'min' | 'max'; every: number }) => new CheckpointCallback(c),
    });
  }
  if (!registry.has('callback', 'jsonl-logger')) {
    registry.register({
      kind: 'callback',
      name: 'jsonl-logger',
      description: 'One JSON line per step and epoch with every loss term, weight, metric and the learning rate.',
      schema: { file: { type: 'string', required: true }, steps: { type: 'boolean', default: true } },
      create: (c: { file: string; steps: boolean }) => new JsonlLogger(c.file, { steps: c.steps }),
    });
  }
  if (!registry.has('callback', 'progress')) {
    registry.register({
      kind: 'callback',
      name: 'progress',
      description: 'Progress bar on stderr when it is a terminal, and a line per epoch.',
      schema: { epochs: { type: 'integer', min: 1 }, stepsPerEpoch: { type: 'integer', min: 1 } },
      create: (c: { epochs?: number; stepsPerEpoch?: number }) => new ProgressBar(c),
    });
  }
}

registerNodeCallbacks();
