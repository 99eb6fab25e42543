import { tf } from '../tf.js';
import { initBackend } from '../backend/initBackend.js';
import { withSeed } from '../random/withSeed.js';
import type { Encoder } from '../contracts/encoder.js';
import { classifierAround } from './classifierAround.js';
import { gradientMagnitudes, trainOnBatch } from './training.js';
import { roundTrip } from './roundTrip.js';

export interface EncoderReport {
  backend: string;
  /** The encoder's output on a concrete batch, minus the batch dimension. */
  actualShape: number[];
  declaredShape: number[];
  /** Max |prediction before save - after load|. */
  saveLoadDifference: number;
  /** Names of trainable variables whose gradient is all zeros (should be empty). */
  zeroGradient: string[];
  variableCount: number;
  lossStart: number;
  lossEnd: number;
  /** Live tensors after the last training step minus after the first (should be 0). */
  leakedTensors: number;
}

export interface CheckEncoderOptions {
  /** Adam steps on the batch. Default 60. */
  steps?: number;
  /** Default 0.01. */
  learningRate?: number;
  /** The modality name the encoder is wrapped under. Default 'input'. */
  modality?: string;
}

/**
 * Measures what the encoder contract promises, on `backend`: the encoder that
 * `build()` makes (under `withSeed(1)`, with its first concrete call, since
 * layers create weights on first use) is wrapped by `classifierAround`, given
 * one class per sample of `inputs()` (so the batch can be memorised), and
 * checked for declared vs actual shape, gradients reaching every variable,
 * overfitting, tensor leaks and save/load identity.
 */
export async function checkEncoder(
  backend: 'cpu' | 'wasm',
  build: () => Encoder,
  inputs: () => tf.Tensor,
  options: CheckEncoderOptions = {},
): Promise<EncoderReport> {
  const { steps = 60, learningRate = 0.01, modality = 'input' } = options;
  await initBackend({ backend, log: null });
  const x = inputs();
  const batch = x.shape[0]!;
  const labels = Array.from({ length: batch }, (_, i) => i);
  const { encoder, actualShape } = withSeed(1, () => {
    const built = build();
    return { encoder: built, actualShape: tf.tidy(() => built.apply(x).shape.slice(1)) };
  });
  const model = classifierAround(encoder, batch, { modality, seed: 2 });
  const variableCount = model.trainableVariables().length;
  const zeroGradient = Object.entries(gradientMagnitudes(model, x, labels))
    .filter(([, magnitude]) => magnitude === 0)
    .map(([name]) => name);
  const { losses, leakedTensors } = trainOnBatch(model, x, labels, { steps, learningRate });
  const { before, after } = await roundTrip(model, x);
  const saveLoadDifference = before.reduce((worst, value, i) => Math.max(worst, Math.abs(value - after[i]!)), 0);
  x.dispose();
  model.dispose();
  return { backend, actualShape, declaredShape: encoder.outputShape, saveLoadDifference, zeroGradient, variableCount, lossStart: losses[0]!, lossEnd: losses.at(-1)!, leakedTensors };
}
