import { createMultimodalModel, type MultimodalModel, type tf } from '@polyfuse/core';
import { modalityDropout } from '@polyfuse/fusion';
import { crossEntropyLoss } from '@polyfuse/losses';
import { Adam, Trainer, createMetric, type EpochLog, type StepLog } from '@polyfuse/trainer';
import settings from '../preprocess/settings.json';
import type { DigitDataset } from './dataset.js';
import { memoryBatches } from './memoryBatches.js';

export interface TrainingOptions {
  epochs: number;
  batchSize?: number;
  learningRate?: number;
  seed?: number;
  /** Aborting stops after the current step; the model keeps what it learned. */
  signal: AbortSignal;
  onStep(log: StepLog): void;
  onEpoch(log: EpochLog): void;
}

/**
 * Trains the pretrained model's architecture (settings.json) from scratch on
 * the shipped dataset with polyfuse's trainer: cross-entropy, Adam, modality
 * dropout 0.3 (as the pretrained model), validation accuracy each epoch.
 *
 * It runs on the page's thread but yields to the browser after every step, so
 * the charts redraw and the stop button answers between steps.
 */
export async function trainInPage(data: DigitDataset, options: TrainingOptions): Promise<{ model: MultimodalModel; stopped: boolean }> {
  const seed = options.seed ?? 1;
  const model = createMultimodalModel({ ...(settings.model as Parameters<typeof createMultimodalModel>[0]), seed });
  const trainer = new Trainer({
    model,
    losses: [{ name: 'fused', loss: (prediction, target) => crossEntropyLoss(prediction as tf.Tensor, target) as tf.Scalar }],
    optimizer: new Adam({ learningRate: options.learningRate ?? 0.002 }),
    metrics: [createMetric({ name: 'accuracy' })],
    modalityDropout: (masks, { rng }) => modalityDropout(masks, { rates: 0.3, random: rng }),
    seed,
    callbacks: [
      {
        name: 'page',
        onStepEnd: async (log) => {
          options.onStep(log);
          await new Promise((resolve) => setTimeout(resolve, 0));
        },
        onEpochEnd: (log) => options.onEpoch(log),
      },
    ],
  });
  const batchSize = options.batchSize ?? 32;
  const result = await trainer.fit(memoryBatches(data, 0, batchSize, seed), {
    epochs: options.epochs,
    validation: memoryBatches(data, 1, 100),
    signal: options.signal,
  });
  trainer.dispose();
  return { model, stopped: result.interrupted };
}
