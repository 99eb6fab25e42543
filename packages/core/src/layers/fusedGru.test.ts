import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { tf, initBackend, fusedGru, fusedBidirectionalGru, FusedGru, ConfigError, InputError, withSeed } from '../index.js';

type Nested = number | Nested[];
interface GruCase {
  name: string;
  returnSequences: boolean;
  goBackwards: boolean;
  mask: number[][] | null;
  output: Nested;
  cotangent: Nested;
  grads: Record<'x' | 'kernel' | 'recurrentKernel' | 'inputBias' | 'recurrentBias', Nested>;
}
/** torch 1.13 nn.GRU references written by fixtures/generate_gru.py. */
const reference = JSON.parse(readFileSync(new URL('../../fixtures/gru.json', import.meta.url), 'utf8')) as {
  shape: { batch: number; steps: number; inputDim: number; units: number };
  x: Nested;
  weights: Record<'kernel' | 'recurrentKernel' | 'inputBias' | 'recurrentBias', Nested>;
  cases: GruCase[];
};
const weightNames = ['kernel', 'recurrentKernel', 'inputBias', 'recurrentBias'] as const;

function expectClose(actual: tf.Tensor, expected: Nested, tolerance = 1e-5): void {
  const want = [expected].flat(Infinity) as number[];
  const got = Array.from(actual.dataSync());
  expect(got.length).toBe(want.length);
  const worst = Math.max(...got.map((v, i) => Math.abs(v - want[i]!)));
  expect(worst).toBeLessThan(tolerance);
}

/** A FusedGru holding the reference weights (torch's, transposed into our layout). */
function referenceLayer({ returnSequences, goBackwards }: { returnSequences: boolean; goBackwards: boolean }): FusedGru {
  const { steps, inputDim, units } = reference.shape;
  const layer = fusedGru({ units, returnSequences, goBackwards });
  layer.build([null, steps, inputDim]);
  layer.setWeights(weightNames.map((name) => tf.tensor(reference.weights[name] as number[])));
  return layer;
}

for (const backend of ['wasm', 'cpu'] as const) {
  describe(`FusedGru on ${backend}`, () => {
    it('matches torch.nn.GRU outputs and gradients (last state, sequences, goBackwards, masks)', async () => {
      await initBackend({ backend, log: null });
      for (const c of reference.cases) {
        const layer = referenceLayer(c);
        const x = tf.tensor3d(reference.x as number[][][]);
        const mask = c.mask ? tf.tensor2d(c.mask) : undefined;
        const cotangent = tf.tensor(c.cotangent as number[]);
        const before = tf.memory().numTensors;
        const output = layer.apply(x, mask ? { mask } : {}) as tf.Tensor;
        const loss = (xIn: tf.Tensor) => tf.sum(tf.mul(layer.call(xIn, mask ? { mask } : {}), cotangent));
        const { value, grads } = tf.variableGrads(() => loss(x) as tf.Scalar, layer.trainableWeights.map((w) => w.read() as tf.Variable));
        const dx = tf.grad(loss)(x);
        try {
          expectClose(output, c.output);
          expectClose(dx, c.grads.x);
          layer.trainableWeights.forEach((w, i) => expectClose(grads[w.read().name]!, c.grads[weightNames[i]!]));
        } catch (error) {
          throw new Error(`case '${c.name}': ${(error as Error).message}`);
        }
        tf.dispose([output, dx, value, ...Object.values(grads)]);
        expect(tf.memory().numTensors).toBe(before);
        tf.dispose([x, cotangent, ...(mask ? [mask] : [])]);
        layer.weights.forEach((w) => w.dispose());
      }
    });

    it('masks like tf.layers.gru after an Embedding with maskZero (state carried, mask passed on)', async () => {
      await initBackend({ backend, log: null });
      const tokens = tf.input({ shape: [4], dtype: 'int32' });
      const embedded = tf.layers.embedding({ inputDim: 9, outputDim: 3, maskZero: true }).apply(tokens) as tf.SymbolicTensor;
      const sequence = fusedGru({ units: 2, returnSequences: true }).apply(embedded) as tf.SymbolicTensor;
      const last = fusedGru({ units: 2 }).apply(sequence) as tf.SymbolicTensor;
      const model = tf.model({ inputs: tokens, outputs: [sequence, last] });
      const ids = tf.tensor2d([[3, 5, 0, 0], [0, 4, 0, 2]], [2, 4], 'int32');
      const [states, final] = model.predict(ids) as tf.Tensor[];
      const s = states!.arraySync() as number[][][];
      expect(s[0]![2]).toEqual(s[0]![1]); // padding after the last token: state carried
      expect(s[0]![3]).toEqual(s[0]![1]);
      expect(s[1]![0]).toEqual([0, 0]); // leading padding: the zero initial state
      expect(s[1]![2]).toEqual(s[1]![1]);
      // The second GRU saw the mask too: trailing padding does not change its final state.
      const trimmed = model.predict(tf.tensor2d([[3, 5, 0, 0]], [1, 4], 'int32')) as tf.Tensor[];
      expectClose(trimmed[1]!, (final!.arraySync() as number[][])[0]!, 1e-6);
      tf.dispose([ids, states!, final!, ...trimmed]);
    });

    it('trains: a tiny model fitting the sign of a sequence sum reduces its loss', async () => {
      await initBackend({ backend, log: null });
      const model = withSeed(3, () => {
        const input = tf.input({ shape: [6, 2] });
        const state = fusedGru({ units: 8 }).apply(input) as tf.SymbolicTensor;
        return tf.model({ inputs: input, outputs: tf.layers.dense({ units: 1, activation: 'sigmoid' }).apply(state) as tf.SymbolicTensor });
      });
      model.compile({ optimizer: tf.train.adam(0.03), loss: 'binaryCrossentropy' });
      const x = withSeed(4, () => tf.randomNormal([64, 6, 2]));
      const y = tf.tidy(() => tf.cast(tf.greater(tf.sum(x, [1, 2]), 0), 'float32').reshape([64, 1]));
      const history = await model.fit(x, y, { epochs: 30, batchSize: 32, verbose: 0, shuffle: false });
      const losses = history.history.loss as number[];
      expect(losses[losses.length - 1]!).toBeLessThan(losses[0]! * 0.6);
      const tensors = tf.memory().numTensors;
      await model.fit(x, y, { epochs: 2, batchSize: 32, verbose: 0, shuffle: false });
      expect(tf.memory().numTensors).toBe(tensors);
      tf.dispose([x, y]);
      model.dispose();
    });
  });
}

describe('FusedGru directions', () => {
  it("sequenceOrder 'time' reverses a goBackwards sequence back to time order", async () => {
    await initBackend({ log: null });
    const processing = referenceLayer({ returnSequences: true, goBackwards: true });
    const timeOrdered = fusedGru({ units: reference.shape.units, returnSequences: true, goBackwards: true, sequenceOrder: 'time' });
    timeOrdered.build([null, reference.shape.steps, reference.shape.inputDim]);
    timeOrdered.setWeights(processing.getWeights());
    const x = tf.tensor3d(reference.x as number[][][]);
    const [a, b] = [processing.apply(x) as tf.Tensor, timeOrdered.apply(x) as tf.Tensor];
    expectClose(b, tf.reverse(a, 1).arraySync() as Nested, 1e-7);
    expect(timeOrdered.getConfig()).toMatchObject({ sequenceOrder: 'time', goBackwards: true });
    expect(() => fusedGru({ units: 2, sequenceOrder: 'reversed' as never })).toThrow(ConfigError);
    tf.dispose([x, a, b]);
  });

  it('bidirectional: [forward, backward] like tf.layers.bidirectional, masks reaching both directions', async () => {
    await initBackend({ log: null });
    const tokens = tf.input({ shape: [5], dtype: 'int32' });
    const embedded = tf.layers.embedding({ inputDim: 9, outputDim: 3, maskZero: true }).apply(tokens) as tf.SymbolicTensor;
    const sequence = fusedBidirectionalGru({ units: 2, returnSequences: true, name: 'bi' });
    const pooled = fusedBidirectionalGru({ units: 2, name: 'pool' });
    const states = sequence.apply(embedded);
    const model = tf.model({ inputs: tokens, outputs: [states, pooled.apply(embedded)] });
    expect(model.outputs.map((o) => o.shape)).toEqual([[null, 5, 4], [null, 4]]);
    expect(sequence.layers.map((l) => l.name)).toEqual(['bi_forward', 'bi_backward', 'bi_concat']);
    const [padded, trimmed] = [[[3, 5, 7, 0, 0]], [[3, 5, 7]]].map((ids) => tf.tensor2d(ids, undefined, 'int32'));
    const [seq, last] = model.predict(padded!) as tf.Tensor[];
    const s = (seq!.arraySync() as number[][][])[0]!;
    // The backward direction starts at the last real token: its state there equals a run on the trimmed ids.
    const [, backward] = pooled.layers;
    const alone = backward.apply(tf.layers.embedding({ inputDim: 9, outputDim: 3, weights: model.layers[1]!.getWeights() }).apply(trimmed!) as tf.Tensor) as tf.Tensor;
    expectClose(tf.slice(last!, [0, 2], [1, 2]), alone.arraySync() as Nested, 1e-6);
    // Time order: step t holds the forward state after tokens 0..t and the backward state after tokens T-1..t.
    expect(s[3]!.slice(0, 2)).toEqual(s[2]!.slice(0, 2)); // forward carried through padding
    expect(s[4]!.slice(2)).toEqual([0, 0]); // backward: padding before any real token keeps the zero state
    tf.dispose([padded!, trimmed!, seq!, last!, alone]);
  });
});

describe('FusedGru config and errors', () => {
  it('saves and loads (TF.js LayersModel format) with identical predictions', async () => {
    await initBackend({ log: null });
    const input = tf.input({ shape: [5, 3] });
    const layer = fusedGru({ units: 4, returnSequences: true, goBackwards: true, name: 'gru' });
    const model = tf.model({ inputs: input, outputs: layer.apply(input) as tf.SymbolicTensor });
    let artifacts!: tf.io.ModelArtifacts;
    await model.save(tf.io.withSaveHandler(async (a) => ((artifacts = a), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })));
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
    expect(loaded.getLayer('gru')).toBeInstanceOf(FusedGru);
    expect(loaded.getLayer('gru').getConfig()).toMatchObject({ units: 4, returnSequences: true, goBackwards: true });
    expect(loaded.getLayer('gru').getWeights().map((w) => w.shape)).toEqual([[3, 12], [4, 12], [12], [12]]);
    const x = tf.randomNormal([2, 5, 3]);
    const [a, b] = [model.predict(x) as tf.Tensor, loaded.predict(x) as tf.Tensor];
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    tf.dispose([x, a, b]);
  });

  it('rejects bad units and inputs that are not [batch, time, features]', async () => {
    await initBackend({ log: null });
    expect(() => fusedGru({ units: 0 })).toThrow(ConfigError);
    expect(() => fusedGru({ units: 0 })).toThrow(/units must be a positive integer, got 0/);
    expect(() => fusedGru({ units: 2.5 })).toThrow(ConfigError);
    const flat = tf.input({ shape: [7] });
    expect(() => fusedGru({ units: 3, name: 'g' }).apply(flat)).toThrow(InputError);
    expect(() => fusedGru({ units: 3, name: 'g' }).apply(flat)).toThrow(/'g': input must be \[batch, time, features\].*got \[batch, 7\]/);
    const x = tf.ones([2, 4]);
    expect(() => fusedGru({ units: 3 }).apply(x)).toThrow(InputError);
    const badMask = tf.ones([2, 3]);
    expect(() => fusedGru({ units: 3 }).apply(tf.ones([2, 4, 1]), { mask: badMask })).toThrow(/mask must be \[batch, time\] = \[2, 4\], got \[2, 3\]/);
    tf.dispose([x, badMask]);
  });
});

describe('FusedGru ignoreMask', () => {
  /** A signal GRU after a masked text branch in the graph's order: tfjs' predict hands it the text's mask. */
  function signalAfterText(ignoreMask: boolean) {
    const sig = tf.input({ shape: [4, 3] });
    const ids = tf.input({ shape: [6] });
    const gru = fusedGru({ units: 4, ignoreMask });
    const signal = gru.apply(tf.layers.dense({ units: 3 }).apply(sig)) as tf.SymbolicTensor;
    const text = fusedGru({ units: 4 }).apply(tf.layers.embedding({ inputDim: 10, outputDim: 4, maskZero: true }).apply(ids)) as tf.SymbolicTensor;
    const model = tf.model({ inputs: [sig, ids], outputs: tf.layers.concatenate().apply([signal, text]) as tf.SymbolicTensor });
    const signalOnly = tf.model({ inputs: sig, outputs: signal });
    return { model, signalOnly };
  }

  it('keeps a signal GRU unmasked when tfjs passes on another input’s mask', async () => {
    await initBackend({ backend: 'wasm', log: null });
    const x = tf.randomNormal([2, 4, 3], 0, 1, 'float32', 5);
    const padded = tf.tensor2d([[1, 2, 3, 0, 0, 0], [4, 0, 0, 0, 0, 0]]);
    const { model, signalOnly } = withSeed(3, () => signalAfterText(true));
    const both = (model.predict([x, padded]) as tf.Tensor).slice([0, 0], [2, 4]);
    expect(both.arraySync()).toEqual((signalOnly.predict(x) as tf.Tensor).arraySync());
    expect(fusedGru({ units: 4, ignoreMask: true }).getConfig().ignoreMask).toBe(true);
    // Without it, the text's [2, 6] mask reaches the signal GRU (tfjs-layers 4.22's executor).
    const { model: unguarded } = withSeed(3, () => signalAfterText(false));
    expect(() => unguarded.predict([x, padded])).toThrow(InputError);
  });
});
