import { tf, InputError, modelFromFiles, modelToFiles, type MultimodalModel } from '@polyfuse/core';
import type { OptimizerState } from '../optimizers/optimizer.js';

/**
 * A checkpoint's files: the model as a standard polyfuse model folder
 * (model.json, weights.bin, polyfuse.json — loadable for prediction on its
 * own), the optimizer's state tensors (optimizer.bin with its index in
 * optimizer.json), and trainer.json (epoch, step, RNG-relevant position,
 * schedule, weighting and callback states).
 */
export interface CheckpointFiles {
  'model.json': string;
  'weights.bin': Uint8Array;
  'polyfuse.json': string;
  'optimizer.json': string;
  'optimizer.bin': Uint8Array;
  'trainer.json': string;
}

export const checkpointFileNames = ['model.json', 'weights.bin', 'polyfuse.json', 'optimizer.json', 'optimizer.bin', 'trainer.json'] as const;

/** Serialises the model and optimizer state (trainer state is passed in as JSON-able data). */
export async function encodeCheckpoint(model: MultimodalModel, optimizer: OptimizerState, trainerState: unknown): Promise<CheckpointFiles> {
  const modelFiles = await modelToFiles(model);
  const { data, specs } = await tf.io.encodeWeights(optimizer.slots);
  return {
    ...modelFiles,
    'optimizer.json': JSON.stringify({ name: optimizer.name, learningRate: optimizer.learningRate, steps: optimizer.steps, specs }),
    'optimizer.bin': new Uint8Array(data),
    'trainer.json': JSON.stringify(trainerState, null, 1),
  };
}

/**
 * Reads a checkpoint back: copies its weights into `model` (which must have
 * the same architecture) and returns the optimizer state (its tensors are
 * the caller's to dispose) and the trainer state.
 */
export async function decodeCheckpoint(files: CheckpointFiles, model: MultimodalModel, source = 'checkpoint'): Promise<{ optimizer: OptimizerState; trainer: unknown }> {
  const saved = await modelFromFiles({ 'model.json': files['model.json'], 'weights.bin': files['weights.bin'], 'polyfuse.json': files['polyfuse.json'] }, source);
  try {
    const weights = saved.model.getWeights();
    const target = model.model.weights;
    if (weights.length !== target.length || weights.some((w, i) => w.shape.join(',') !== target[i].shape.join(','))) {
      throw new InputError(`${source}: the checkpoint's model (${weights.length} weights) does not match this model's architecture (${target.length} weights).`);
    }
    model.model.setWeights(weights);
  } finally {
    saved.dispose();
  }
  const index = parseJson(files['optimizer.json'], `${source}/optimizer.json`) as {
    name: string;
    learningRate: number;
    steps: Record<string, number>;
    specs: tf.io.WeightsManifestEntry[];
  };
  const buffer = files['optimizer.bin'];
  const slots = tf.io.decodeWeights(buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength) as ArrayBuffer, index.specs);
  return {
    optimizer: { name: index.name, learningRate: index.learningRate, steps: index.steps, slots },
    trainer: parseJson(files['trainer.json'], `${source}/trainer.json`),
  };
}

function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InputError(`${where} is not valid JSON (${(error as Error).message}); the checkpoint is damaged.`);
  }
}
