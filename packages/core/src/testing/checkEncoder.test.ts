import { describe, expect, it } from 'vitest';
import { tf, type Encoder } from '../index.js';
import { checkEncoder, classifierAround, overfit, randomValues, roundTrip } from './index.js';

/** A one-layer encoder: [4] -> dense(units), declaring `declared` as its output shape. */
function denseEncoder(units: number, declared = [units]): Encoder {
  const dense = tf.layers.dense({ units, activation: 'tanh', name: 'enc_dense' });
  return {
    inputShape: [4],
    inputDtype: 'float32',
    outputShape: declared,
    config: { name: 'test-dense-encoder', config: { units } },
    apply: ((x: tf.SymbolicTensor) => dense.apply(x)) as Encoder['apply'],
  };
}

const batch = () => tf.tensor(randomValues(16, 3), [4, 4]);

describe('checkEncoder', () => {
  it('passes a sound encoder', async () => {
    const report = await checkEncoder('cpu', () => denseEncoder(8), batch, { steps: 80, learningRate: 0.05 });
    expect(report.actualShape).toEqual([8]);
    expect(report.declaredShape).toEqual([8]);
    expect(report.zeroGradient).toEqual([]);
    expect(report.variableCount).toBe(4); // encoder kernel + bias, head kernel + bias
    expect(report.lossEnd).toBeLessThan(0.1);
    expect(report.lossEnd).toBeLessThan(report.lossStart);
    expect(report.leakedTensors).toBe(0);
    expect(report.saveLoadDifference).toBeLessThan(1e-6);
  });

  it('reports a declared shape that differs from the real one', async () => {
    const report = await checkEncoder('cpu', () => denseEncoder(6, [8]), batch, { steps: 1 });
    expect(report.actualShape).toEqual([6]);
    expect(report.declaredShape).toEqual([8]);
  });

  it('is reproducible: same seed, same losses', async () => {
    const run = () => checkEncoder('cpu', () => denseEncoder(8), batch, { steps: 5 });
    const [a, b] = [await run(), await run()];
    expect([a.lossStart, a.lossEnd]).toEqual([b.lossStart, b.lossEnd]);
  });
});

describe('classifierAround', () => {
  it('averages a sequence embedding over time and round-trips through save/load', async () => {
    const sequence: Encoder = {
      inputShape: [5, 3],
      inputDtype: 'float32',
      outputShape: [5, 6],
      config: {},
      apply: ((x: tf.SymbolicTensor) => tf.layers.dense({ units: 6, name: 'seq_dense' }).apply(x)) as Encoder['apply'],
    };
    const model = classifierAround(sequence, 2, { modality: 'series' });
    const x = tf.tensor(randomValues(30, 4), [2, 5, 3]);
    expect(model.modalities).toEqual(['series']);
    const losses = overfit(model, x, [0, 1], { steps: 30, learningRate: 0.05 });
    expect(losses.at(-1)).toBeLessThan(losses[0]!);
    const { before, after } = await roundTrip(model, x);
    expect(after).toEqual(before);
    x.dispose();
    model.dispose();
  });
});
