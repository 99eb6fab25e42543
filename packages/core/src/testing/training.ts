import { tf } from '../tf.js';
import { InputError } from '../errors/errors.js';
import { withSeed } from '../random/withSeed.js';
import type { MultimodalModel } from '../model/multimodalModel.js';

/** The only modality of a model built by `classifierAround`. */
export function singleModality(model: MultimodalModel): string {
  if (model.modalities.length !== 1) throw new InputError(`model must have exactly one modality (it has ${model.modalities.join(', ')}).`);
  return model.modalities[0]!;
}

/** Softmax cross-entropy of the model's logits on `x` against integer `labels`. */
function classificationLoss(model: MultimodalModel, x: tf.Tensor, labels: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => {
    const logits = model.call({ inputs: { [singleModality(model)]: x } }, { training: true }).logits!;
    // oneHot in int32, then cast: the wasm backend has no float oneHot.
    const targets = tf.cast(tf.oneHot(labels, logits.shape.at(-1)!), 'float32');
    return tf.losses.softmaxCrossEntropy(targets, logits) as tf.Scalar;
  });
}

export interface OverfitOptions {
  steps: number;
  /** Adam learning rate. Default 0.01. */
  learningRate?: number;
}

export interface OverfitResult {
  /** The loss before each step, then the final loss (training mode). */
  losses: number[];
  /** Live tensors after the last step minus after the first (0 when nothing leaks). */
  leakedTensors: number;
}

/**
 * Adam steps on one batch, step `i` under `withSeed(i)` (dropout is reproducible).
 * The final loss is taken in training mode, so batch norm uses batch statistics
 * as it did while training.
 */
export function trainOnBatch(model: MultimodalModel, x: tf.Tensor, labels: readonly number[], options: OverfitOptions): OverfitResult {
  const { steps, learningRate = 0.01 } = options;
  if (!(Number.isInteger(steps) && steps > 0)) throw new InputError(`steps must be a positive integer (got ${steps}).`);
  const y = tf.tensor1d(labels as number[], 'int32');
  const optimizer = tf.train.adam(learningRate);
  const variables = model.trainableVariables();
  const losses: number[] = [];
  let afterFirstStep = 0;
  for (let i = 0; i < steps; i++) {
    const value = withSeed(i, () => optimizer.minimize(() => classificationLoss(model, x, y), true, variables))!;
    losses.push(value.dataSync()[0]!);
    value.dispose();
    // The optimizer creates its slots on the first step; from then on the count must stay flat.
    if (i === 0) afterFirstStep = tf.memory().numTensors;
  }
  const leakedTensors = tf.memory().numTensors - afterFirstStep;
  const final = withSeed(steps, () => classificationLoss(model, x, y));
  losses.push(final.dataSync()[0]!);
  tf.dispose([final, y]);
  optimizer.dispose();
  return { losses, leakedTensors };
}

/** `trainOnBatch`'s losses: the loss before each step, then the final loss. */
export function overfit(model: MultimodalModel, x: tf.Tensor, labels: readonly number[], options: OverfitOptions): number[] {
  return trainOnBatch(model, x, labels, options).losses;
}

/** Sum of |gradient| of the classification loss per trainable variable (by variable name). */
export function gradientMagnitudes(model: MultimodalModel, x: tf.Tensor, labels: readonly number[]): Record<string, number> {
  const y = tf.tensor1d(labels as number[], 'int32');
  const variables = model.trainableVariables();
  const { value, grads } = tf.variableGrads(() => withSeed(0, () => classificationLoss(model, x, y)), variables);
  const magnitudes: Record<string, number> = {};
  for (const variable of variables) {
    const grad = grads[variable.name];
    magnitudes[variable.name] = grad ? tf.tidy(() => tf.sum(tf.abs(grad)).dataSync()[0]!) : 0;
  }
  tf.dispose([value, y, ...Object.values(grads)]);
  return magnitudes;
}
