import { MultimodalModel, modelFromFiles, modelToFiles, registry, tf, withSeed, type Encoder, type Fusion, type Head } from '@polyfuse/core';

/**
 * Test harness shared by this package's encoder tests: wraps one encoder in a
 * MultimodalModel with a pass-through fusion and a dense classifier head, and
 * runs the checks every encoder must pass (overfit, gradients, save/load).
 */
export function classifierAround(encoder: Encoder, classes: number, modality = 'image', seed = 0): MultimodalModel {
  return withSeed(seed, () => {
    const pool = encoder.outputShape.length === 2 ? tf.layers.globalAveragePooling1d({}) : undefined;
    const fusion: Fusion = {
      modalities: [modality],
      outputShape: [encoder.outputShape.at(-1)!],
      config: {},
      apply: ((embeddings: Record<string, tf.SymbolicTensor>) => (pool ? (pool.apply(embeddings[modality]!) as tf.SymbolicTensor) : embeddings[modality]!)) as unknown as Fusion['apply'],
    };
    const dense = tf.layers.dense({ units: classes });
    const head: Head = { outputShape: [classes], config: {}, apply: ((x: tf.SymbolicTensor) => dense.apply(x)) as Head['apply'] };
    return MultimodalModel.fromParts({ encoders: { [modality]: encoder }, fusion, head });
  });
}

function loss(model: MultimodalModel, modality: string, x: tf.Tensor, labels: tf.Tensor, classes: number, training: boolean): tf.Scalar {
  const logits = model.call({ inputs: { [modality]: x } }, { training }).logits!;
  const targets = tf.cast(tf.oneHot(tf.cast(labels, 'int32'), classes), 'float32');
  return tf.losses.softmaxCrossEntropy(targets, logits) as tf.Scalar;
}

/**
 * Adam steps on one batch; returns the loss before each step, then the final
 * loss in training mode (so batch-norm uses batch statistics, as it trained).
 */
export function overfit(model: MultimodalModel, modality: string, x: tf.Tensor, labels: number[], classes: number, steps: number, learningRate = 0.01): number[] {
  const y = tf.tensor1d(labels, 'int32');
  const optimizer = tf.train.adam(learningRate);
  const losses: number[] = [];
  const variables = model.trainableVariables();
  for (let i = 0; i < steps; i++) {
    const value = withSeed(i, () => optimizer.minimize(() => loss(model, modality, x, y, classes, true), true, variables));
    losses.push(value!.dataSync()[0]!);
    value!.dispose();
  }
  const final = tf.tidy(() => withSeed(steps, () => loss(model, modality, x, y, classes, true)));
  losses.push(final.dataSync()[0]!);
  final.dispose();
  optimizer.dispose();
  y.dispose();
  return losses;
}

/** Sum of absolute gradient per trainable variable (by variable name). */
export function gradientMagnitudes(model: MultimodalModel, modality: string, x: tf.Tensor, labels: number[], classes: number): Record<string, number> {
  const y = tf.tensor1d(labels, 'int32');
  const variables = model.trainableVariables();
  const { value, grads } = tf.variableGrads(() => withSeed(0, () => loss(model, modality, x, y, classes, true)), variables);
  const out: Record<string, number> = {};
  for (const variable of variables) {
    const grad = grads[variable.name];
    out[variable.name] = grad ? tf.tidy(() => tf.sum(tf.abs(grad)).dataSync()[0]!) : 0;
  }
  tf.dispose([value, y, ...Object.values(grads)]);
  return out;
}

/** Saves to in-memory files and loads back; returns both models' logits on `x`. */
export async function roundTrip(model: MultimodalModel, modality: string, x: tf.Tensor): Promise<{ before: number[]; after: number[] }> {
  const loaded = await modelFromFiles(await modelToFiles(model));
  const before = tf.tidy(() => Array.from(model.predict({ inputs: { [modality]: x } }).dataSync()));
  const after = tf.tidy(() => Array.from(loaded.predict({ inputs: { [modality]: x } }).dataSync()));
  loaded.dispose();
  return { before, after };
}

/**
 * Registers `fusion/test-pass` (the single modality's embedding) and
 * `head/test-dense` so tests can build models from registry specs without
 * depending on @polyfuse/fusion.
 */
export function registerTestParts(): void {
  registry.register(
    {
      kind: 'fusion',
      name: 'test-pass',
      create: (config: { inputShapes: Record<string, number[]> }): Fusion => {
        const [modality, shape] = Object.entries(config.inputShapes)[0]!;
        return { modalities: [modality], outputShape: shape, config: {}, apply: ((embeddings: Record<string, tf.SymbolicTensor>) => embeddings[modality]!) as unknown as Fusion['apply'] };
      },
    },
    { override: true },
  );
  registry.register(
    {
      kind: 'head',
      name: 'test-dense',
      create: (config: { units: number }): Head => {
        const dense = tf.layers.dense({ units: config.units });
        return { outputShape: [config.units], config: {}, apply: ((x: tf.SymbolicTensor) => dense.apply(x)) as Head['apply'] };
      },
    },
    { override: true },
  );
}
