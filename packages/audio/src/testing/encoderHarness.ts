import { initBackend, MultimodalModel, tf, withSeed, type Encoder, type Fusion, type Head } from '@polyfuse/core';
import { loadModel, saveModel } from '@polyfuse/core/node';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Test support for encoders (not exported from the package): wraps an encoder
 * in a MultimodalModel with a pass-through fusion and a linear head, then
 * measures what the encoder contract promises: declared shape, save/load
 * identity, gradients reaching every variable, and overfitting a tiny batch.
 */

/** Flattens one modality's embedding: the simplest fusion, enough to carry any encoder. */
export function passThroughFusion(modality: string, inputShape: number[]): Fusion {
  const flatten = tf.layers.flatten({ name: 'test_fusion_flatten' });
  const size = inputShape.reduce((a, b) => a * b, 1);
  return {
    modalities: [modality],
    outputShape: [size],
    config: {},
    apply: ((embeddings: Record<string, tf.SymbolicTensor | tf.Tensor>) =>
      inputShape.length > 1 ? flatten.apply(embeddings[modality]!) : embeddings[modality]!) as Fusion['apply'],
  };
}

export function linearHead(classes: number): Head {
  const dense = tf.layers.dense({ units: classes, name: 'test_head' });
  return { outputShape: [classes], config: {}, apply: ((x: tf.SymbolicTensor) => dense.apply(x)) as Head['apply'] };
}

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

/**
 * Runs every contract check for the encoder `build()` makes (built under
 * `withSeed`), on `backend`, with the batch `inputs()` and one class per
 * sample (so the batch can be memorised).
 */
export async function checkEncoder(
  backend: 'cpu' | 'wasm',
  build: () => Encoder,
  inputs: () => tf.Tensor,
  options: { steps?: number; learningRate?: number; modality?: string } = {},
): Promise<EncoderReport> {
  const { steps = 60, learningRate = 0.01, modality = 'audio' } = options;
  await initBackend({ backend, log: null });
  const x = inputs();
  const batch = x.shape[0]!;
  // Layers create their weights on first use, so the first (concrete) call is seeded too.
  const { encoder, actualShape } = withSeed(1, () => {
    const built = build();
    return { encoder: built, actualShape: tf.tidy(() => built.apply(x).shape.slice(1)) };
  });
  const model = withSeed(2, () =>
    MultimodalModel.fromParts({ encoders: { [modality]: encoder }, fusion: passThroughFusion(modality, encoder.outputShape), head: linearHead(batch) }),
  );
  const targets = tf.tidy(() => tf.tensor2d(Array.from({ length: batch * batch }, (_, i) => (Math.floor(i / batch) === i % batch ? 1 : 0)), [batch, batch]));
  const lossOf = () => tf.losses.softmaxCrossEntropy(targets, model.call({ inputs: { [modality]: x } }, { training: true }).logits!) as tf.Scalar;

  const variables = model.trainableVariables();
  const { value, grads } = tf.variableGrads(lossOf, variables);
  const zeroGradient = variables.filter((v) => tf.tidy(() => tf.max(tf.abs(grads[v.name]!)).dataSync()[0]!) === 0).map((v) => v.name);
  const lossStart = value.dataSync()[0]!;
  tf.dispose([value, ...Object.values(grads)]);

  const optimizer = tf.train.adam(learningRate);
  let lossEnd = lossStart;
  let afterFirstStep = 0;
  withSeed(3, () => {
    for (let step = 0; step < steps; step++) {
      const loss = optimizer.minimize(lossOf, true, variables)!;
      lossEnd = loss.dataSync()[0]!;
      loss.dispose();
      // The optimizer creates its slots on the first step; from then on the count must stay flat.
      if (step === 0) afterFirstStep = tf.memory().numTensors;
    }
  });
  const leakedTensors = tf.memory().numTensors - afterFirstStep;

  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'polyfuse-encoder-'));
  const predicted = model.predict({ inputs: { [modality]: x } });
  await saveModel(path.join(dir, 'model'), model);
  const loaded = await loadModel(path.join(dir, 'model'));
  const reloaded = loaded.predict({ inputs: { [modality]: x } });
  const saveLoadDifference = tf.tidy(() => tf.max(tf.abs(tf.sub(predicted, reloaded))).dataSync()[0]!);
  await fs.rm(dir, { recursive: true, force: true });
  tf.dispose([x, targets, predicted, reloaded]);
  optimizer.dispose();
  model.dispose();
  loaded.dispose();
  return { backend, actualShape, declaredShape: encoder.outputShape, saveLoadDifference, zeroGradient, variableCount: variables.length, lossStart, lossEnd, leakedTensors };
}
