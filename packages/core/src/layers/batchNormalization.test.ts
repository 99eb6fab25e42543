import { beforeAll, describe, expect, it } from 'vitest';
import { tf, initBackend } from '../index.js';
import { batchNormalization } from './batchNormalization.js';
import { computeOn, maxRelativeDifference } from '../testing/backendParity.js';

type Result = { y: number[]; dx: number[]; dGamma: number[]; dBeta: number[]; movingMean: number[]; movingVariance: number[]; inference: number[] };

/** One training pass through a layer with set weights: output, gradients, moving statistics, then an inference pass. */
function run(layer: tf.layers.Layer, shape: number[], channels = shape[shape.length - 1]!): Result {
  return tf.tidy(() => {
    const x = tf.randomNormal(shape, 1, 2, 'float32', 7);
    const w = tf.randomNormal(shape, 0, 1, 'float32', 9);
    layer.apply(x);
    layer.setWeights([tf.linspace(0.5, 2, channels), tf.linspace(-0.3, 0.3, channels), tf.fill([channels], 0.2), tf.fill([channels], 1.5)]);
    const [gamma, beta] = layer.trainableWeights.map((v) => v.read());
    const loss = (input: tf.Tensor) => (layer.apply(input, { training: true }) as tf.Tensor).mul(w).sum() as tf.Scalar;
    const y = layer.apply(x, { training: true }) as tf.Tensor;
    const dx = tf.grad(loss)(x);
    const { grads } = tf.variableGrads(() => loss(x), [gamma as tf.Variable, beta as tf.Variable]);
    // Four training passes so far, each moving the averages.
    const [, , movingMean, movingVariance] = layer.getWeights();
    const inference = layer.apply(x, { training: false }) as tf.Tensor;
    const list = (t: tf.Tensor) => Array.from(t.dataSync());
    return { y: list(y), dx: list(dx), dGamma: list(grads[gamma!.name]!), dBeta: list(grads[beta!.name]!), movingMean: list(movingMean!), movingVariance: list(movingVariance!), inference: list(inference) };
  });
}

describe('BatchNormalization (fused training pass)', () => {
  beforeAll(async () => {
    await initBackend({ log: null });
  });

  for (const backend of ['wasm', 'cpu']) {
    it.each([[[8, 5, 4, 3]], [[16, 6]], [[4, 3, 7, 32]]])(`matches tf.layers.batchNormalization on ${backend} for input %j`, async (shape) => {
      await tf.setBackend(backend);
      const ours = run(batchNormalization({ momentum: 0.9 }), shape);
      const reference = run(tf.layers.batchNormalization({ momentum: 0.9 }), shape);
      for (const key of Object.keys(ours) as (keyof Result)[]) {
        expect(maxRelativeDifference(ours[key], reference[key]), key).toBeLessThan(1e-4);
      }
    });
  }

  it('frees every tensor it creates in training', async () => {
    await tf.setBackend('wasm');
    const before = tf.memory().numTensors;
    run(batchNormalization({}), [6, 4, 5]);
    // what stays is the layer's four weights
    expect(tf.memory().numTensors - before).toBe(4);
  });

  it('saves and loads as PolyfuseBatchNormalization with the same predictions', async () => {
    await tf.setBackend('wasm');
    const input = tf.input({ shape: [4, 3] });
    const model = tf.model({ inputs: input, outputs: batchNormalization({ name: 'bn' }).apply(input) as tf.SymbolicTensor });
    const x = tf.randomNormal([5, 4, 3], 0, 1, 'float32', 3);
    tf.tidy(() => void model.apply(x, { training: true })); // moves the averages
    let artifacts!: tf.io.ModelArtifacts;
    await model.save(tf.io.withSaveHandler(async (a) => ((artifacts = a), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })));
    expect(JSON.stringify(artifacts.modelTopology)).toContain('PolyfuseBatchNormalization');
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
    const a = (model.predict(x) as tf.Tensor).dataSync();
    const b = (loaded.predict(x) as tf.Tensor).dataSync();
    expect(Array.from(b)).toEqual(Array.from(a));
  });

  it('computes the same on both backends', async () => {
    const compute = () => tf.tidy(() => batchNormalization({}).apply(tf.randomNormal([6, 3, 3, 4], 0, 1, 'float32', 5), { training: true }) as tf.Tensor);
    const wasm = await computeOn('wasm', compute);
    const cpu = await computeOn('cpu', compute);
    expect(maxRelativeDifference(wasm.values, cpu.values)).toBeLessThan(1e-4);
  });
});
