import { beforeAll, describe, expect, it } from 'vitest';
import { tf, initBackend, registry, withSeed, InputError, MultimodalModel, type Encoder, type Fusion, type Head } from '@polyfuse/core';
import { crossEntropyLoss, modalityConfidence, OgmGe, StaticWeighting, unimodalLossTerms, type WeightingStrategy } from '../index.js';

/** A small fused model with a unimodal head per modality, built from tfjs-layers as the encoder packages do. */
function buildModel(): MultimodalModel {
  const encoder = (inputSize: number, units: number): Encoder => {
    const dense = tf.layers.dense({ units, activation: 'tanh' });
    return { inputShape: [inputSize], inputDtype: 'float32', outputShape: [units], config: {}, apply: ((x: tf.SymbolicTensor) => dense.apply(x)) as Encoder['apply'] };
  };
  const head = (classes: number): Head => {
    const dense = tf.layers.dense({ units: classes });
    return { outputShape: [classes], config: {}, apply: ((x: tf.SymbolicTensor) => dense.apply(x)) as Head['apply'] };
  };
  const concat = tf.layers.concatenate();
  const fusion: Fusion = {
    modalities: ['audio', 'video'],
    outputShape: [16],
    config: {},
    apply: ((e: Record<string, tf.SymbolicTensor>) => concat.apply([e.audio, e.video])) as Fusion['apply'],
  };
  return withSeed(1, () =>
    MultimodalModel.fromParts({
      encoders: { audio: encoder(20, 8), video: encoder(30, 8) },
      fusion,
      head: head(3),
      auxiliaryHeads: { audio: head(3), video: head(3) },
    }),
  );
}

describe('weighting/ogm-ge', () => {
  beforeAll(async () => {
    await initBackend({ log: null });
  });

  it('shrinks the dominant modality’s encoder gradient by 1 − tanh(α ρ) and leaves the other alone', () => {
    const model = buildModel();
    const batch = { inputs: { audio: tf.randomNormal([6, 20], 0, 1, 'float32', 1), video: tf.randomNormal([6, 30], 0, 1, 'float32', 2) } };
    const target = tf.tensor1d([0, 1, 2, 0, 1, 2], 'int32');
    const terms = unimodalLossTerms({
      outputs: () => model.call(batch, { training: true }),
      target,
      loss: (p, t) => crossEntropyLoss(p, t),
      modalities: ['audio', 'video'],
    });
    expect(Object.keys(terms)).toEqual(['fused', 'audio', 'video']);
    const variables = model.trainableVariables();
    const modalityVariables = {
      audio: model.trainableVariables(['encoder:audio']),
      video: model.trainableVariables(['encoder:video']),
    };
    const modalityScores = { audio: 4.5, video: 1.5 }; // audio dominates: ρ = 3
    const context = { variables, modalityVariables, modalityScores, step: 0, epoch: 0 };

    const plain = new StaticWeighting().computeGradients(terms, context);
    const ogm = registry.create<OgmGe & WeightingStrategy>('weighting', 'ogm-ge', { alpha: 0.3, gaussianEnhancement: false });
    const modulated = ogm.computeGradients(terms, context);
    const k = 1 - Math.tanh(0.3 * 3);
    expect(ogm.lastCoefficients).toEqual({ audio: k, video: 1 });
    for (const v of modalityVariables.audio) {
      const expected = Array.from(plain.grads[v.name].dataSync()).map((g) => g * k);
      Array.from(modulated.grads[v.name].dataSync()).forEach((g, i) => expect(g).toBeCloseTo(expected[i], 5));
    }
    for (const v of [...modalityVariables.video, ...model.trainableVariables(['fusion', 'head', 'head:audio'])]) {
      expect(Array.from(modulated.grads[v.name].dataSync())).toEqual(Array.from(plain.grads[v.name].dataSync()));
    }
    expect(modulated.losses).toEqual(plain.losses);
    tf.dispose([...Object.values(plain.grads), ...Object.values(modulated.grads)]);

    // Outside the modulation epochs the gradients are the plain weighted sum.
    const late = new OgmGe({ alpha: 0.3, gaussianEnhancement: false, modulationEnds: 5 });
    const after = late.computeGradients(terms, { ...context, epoch: 5 });
    expect(late.lastCoefficients).toEqual({ audio: 1, video: 1 });
    tf.dispose(Object.values(after.grads));
    tf.dispose([batch.inputs.audio, batch.inputs.video, target]);
  });

  it('adds Gaussian noise with the gradient’s own spread (GE), reproducibly from the seed, without leaks', () => {
    const big = tf.variable(tf.randomNormal([40, 50], 0, 1, 'float32', 3), true, 'ogm_big_audio');
    const other = tf.variable(tf.randomNormal([10], 0, 1, 'float32', 4), true, 'ogm_video');
    const x = tf.randomNormal([40, 50], 0, 1, 'float32', 5);
    const terms = { fused: () => big.mul(x).square().sum().add(other.square().sum()) as tf.Scalar };
    const context = {
      variables: [big, other],
      modalityVariables: { audio: [big], video: [other] },
      modalityScores: { audio: 10, video: 20 }, // video dominates
      step: 0,
      epoch: 0,
    };
    const plain = new StaticWeighting().computeGradients(terms, context);
    const run = () => new OgmGe({ alpha: 0.5, seed: 7 }).computeGradients(terms, context);
    const first = run();
    const second = run();
    expect(Array.from(first.grads[big.name].dataSync())).toEqual(Array.from(second.grads[big.name].dataSync()));
    // audio is not dominant (k = 1): what remains after removing the gradient is the noise.
    const g = plain.grads[big.name].dataSync();
    const noise = Array.from(first.grads[big.name].dataSync()).map((v, i) => v - g[i]);
    const std = (values: ArrayLike<number>) => {
      const list = Array.from(values);
      const mean = list.reduce((s, v) => s + v, 0) / list.length;
      return Math.sqrt(list.reduce((s, v) => s + (v - mean) ** 2, 0) / (list.length - 1));
    };
    expect(std(noise) / std(g)).toBeCloseTo(1, 1);
    expect(Math.abs(noise.reduce((s, v) => s + v, 0) / noise.length)).toBeLessThan(0.1 * std(g));
    tf.dispose([...Object.values(plain.grads), ...Object.values(first.grads), ...Object.values(second.grads)]);

    const strategy = new OgmGe({ seed: 1 });
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) tf.dispose(Object.values(strategy.computeGradients(terms, context).grads));
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([big, other, x]);
  });

  it('computes modality scores from the unimodal heads and requires them', () => {
    const outputs = {
      logits: tf.zeros([2, 3]),
      logits_audio: tf.tensor2d([[10, 0, 0], [0, 10, 0]]),
      logits_video: tf.zeros([2, 3]),
    };
    const scores = modalityConfidence(outputs, tf.tensor1d([0, 1], 'int32'), ['audio', 'video']);
    expect(scores.audio).toBeCloseTo(2 * (1 / (1 + 2 * Math.exp(-10))), 4);
    expect(scores.video).toBeCloseTo(2 / 3, 5);
    expect(() => modalityConfidence(outputs, tf.tensor1d([0, 1], 'int32'), ['depth'])).toThrow(/no 'logits_depth'/);
    const w = tf.variable(tf.ones([2]), true, 'ogm_needs');
    expect(() => new OgmGe().computeGradients({ a: () => w.sum() as tf.Scalar }, { variables: [w], step: 0, epoch: 0 })).toThrow(
      InputError,
    );
    expect(new OgmGe().needs).toEqual(['modalityScores', 'modalityVariables']);
    tf.dispose([w, ...Object.values(outputs)]);
  });
});
