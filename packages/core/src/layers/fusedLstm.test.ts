import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { tf, initBackend, fusedLstm, fusedBidirectionalLstm, FusedLstm, ConfigError, InputError, withSeed } from '../index.js';
import { jsKernelsEnvVar, simdKernelsFor } from '../backend/wasm-gradients/simdKernels.js';

type Nested = number | Nested[];
interface LstmCase {
  name: string;
  returnSequences: boolean;
  goBackwards: boolean;
  mask: number[][] | null;
  initialState: boolean;
  output: Nested;
  cotangent: Nested;
  grads: Record<'x' | 'kernel' | 'recurrentKernel' | 'inputBias' | 'recurrentBias', Nested> & { h0?: Nested; c0?: Nested };
}
/** torch 1.13 nn.LSTM references written by fixtures/generate_lstm.py. */
const reference = JSON.parse(readFileSync(new URL('../../fixtures/lstm.json', import.meta.url), 'utf8')) as {
  shape: { batch: number; steps: number; inputDim: number; units: number };
  x: Nested;
  initialState: { h0: Nested; c0: Nested };
  weights: Record<'kernel' | 'recurrentKernel' | 'inputBias' | 'recurrentBias', Nested>;
  cases: LstmCase[];
};
const weightNames = ['kernel', 'recurrentKernel', 'inputBias', 'recurrentBias'] as const;

function expectClose(actual: tf.Tensor, expected: Nested, tolerance = 1e-5): void {
  const want = [expected].flat(Infinity) as number[];
  const got = Array.from(actual.dataSync());
  expect(got.length).toBe(want.length);
  const worst = Math.max(...got.map((v, i) => Math.abs(v - want[i]!)));
  expect(worst).toBeLessThan(tolerance);
}

/** A FusedLstm holding the reference weights (torch's, transposed into our layout). */
function referenceLayer({ returnSequences, goBackwards }: { returnSequences: boolean; goBackwards: boolean }): FusedLstm {
  const { steps, inputDim, units } = reference.shape;
  const layer = fusedLstm({ units, returnSequences, goBackwards });
  layer.build([null, steps, inputDim]);
  layer.setWeights(weightNames.map((name) => tf.tensor(reference.weights[name] as number[])));
  return layer;
}

/** Each path of the op: wasm's compiled kernels (the fixture's units are in fours), and the JavaScript recurrence on wasm and cpu. */
const paths = [
  { label: 'wasm, compiled SIMD kernels', backend: 'wasm', simd: true },
  { label: 'wasm, JavaScript recurrence', backend: 'wasm', simd: false },
  { label: 'cpu', backend: 'cpu', simd: false },
] as const;

for (const { label, backend, simd } of paths) {
  describe(`FusedLstm on ${label}`, () => {
    /** The backend, with the compiled kernels switched off for the JavaScript path. */
    async function start(): Promise<void> {
      await initBackend({ backend, log: null });
      if (backend === 'wasm' && !simd) process.env[jsKernelsEnvVar] = 'FusedLstm';
      expect(simdKernelsFor(tf.backend(), 'FusedLstm') !== undefined).toBe(simd);
    }
    afterEach(() => {
      delete process.env[jsKernelsEnvVar];
    });

    it('matches torch.nn.LSTM outputs and gradients (last state, sequences, goBackwards, masks, initial state)', async () => {
      await start();
      for (const c of reference.cases) {
        const layer = referenceLayer(c);
        const x = tf.tensor3d(reference.x as number[][][]);
        const state = c.initialState ? [tf.tensor2d(reference.initialState.h0 as number[][]), tf.tensor2d(reference.initialState.c0 as number[][])] : [];
        const mask = c.mask ? tf.tensor2d(c.mask) : undefined;
        const cotangent = tf.tensor(c.cotangent as number[]);
        const before = tf.memory().numTensors;
        const output = layer.apply([x, ...state], mask ? { mask } : {}) as tf.Tensor;
        const loss = (...inputs: tf.Tensor[]) => tf.sum(tf.mul(layer.call(inputs, mask ? { mask } : {}), cotangent));
        const { value, grads } = tf.variableGrads(() => loss(x, ...state) as tf.Scalar, layer.trainableWeights.map((w) => w.read() as tf.Variable));
        const inputGrads = tf.grads(loss)([x, ...state]);
        try {
          expectClose(output, c.output);
          expectClose(inputGrads[0]!, c.grads.x);
          layer.trainableWeights.forEach((w, i) => expectClose(grads[w.read().name]!, c.grads[weightNames[i]!]));
          if (c.initialState) {
            expectClose(inputGrads[1]!, c.grads.h0!);
            expectClose(inputGrads[2]!, c.grads.c0!);
          }
        } catch (error) {
          throw new Error(`case '${c.name}': ${(error as Error).message}`);
        }
        tf.dispose([output, value, ...inputGrads, ...Object.values(grads)]);
        expect(tf.memory().numTensors).toBe(before);
        tf.dispose([x, cotangent, ...state, ...(mask ? [mask] : [])]);
        layer.weights.forEach((w) => w.dispose());
      }
    });

    it('masks like tf.layers.lstm after an Embedding with maskZero (state carried, mask passed on)', async () => {
      await start();
      const tokens = tf.input({ shape: [4], dtype: 'int32' });
      const embedded = tf.layers.embedding({ inputDim: 9, outputDim: 3, maskZero: true }).apply(tokens) as tf.SymbolicTensor;
      const sequence = fusedLstm({ units: 4, returnSequences: true }).apply(embedded) as tf.SymbolicTensor;
      const last = fusedLstm({ units: 4 }).apply(sequence) as tf.SymbolicTensor;
      const model = tf.model({ inputs: tokens, outputs: [sequence, last] });
      const ids = tf.tensor2d([[3, 5, 0, 0], [0, 4, 0, 2]], [2, 4], 'int32');
      const [states, final] = model.predict(ids) as tf.Tensor[];
      const s = states!.arraySync() as number[][][];
      expect(s[0]![2]).toEqual(s[0]![1]); // padding after the last token: state carried
      expect(s[0]![3]).toEqual(s[0]![1]);
      expect(s[1]![0]).toEqual([0, 0, 0, 0]); // leading padding: the zero initial state
      expect(s[1]![2]).toEqual(s[1]![1]);
      // The second LSTM saw the mask too: trailing padding does not change its final state.
      const trimmed = model.predict(tf.tensor2d([[3, 5, 0, 0]], [1, 4], 'int32')) as tf.Tensor[];
      expectClose(trimmed[1]!, (final!.arraySync() as number[][])[0]!, 1e-6);
      tf.dispose([ids, states!, final!, ...trimmed]);
    });

    it('trains: a tiny model fitting the sign of a sequence sum reduces its loss', async () => {
      await start();
      const model = withSeed(3, () => {
        const input = tf.input({ shape: [6, 2] });
        const state = fusedLstm({ units: 8 }).apply(input) as tf.SymbolicTensor;
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

describe('FusedLstm initial state', () => {
  it('takes [h0, c0] as tf.layers.lstm does (initialState) or as inputs [x, h0, c0], and trains the layers that make them', async () => {
    await initBackend({ log: null });
    const { steps, inputDim, units } = reference.shape;
    const x = tf.input({ shape: [steps, inputDim] });
    const context = tf.input({ shape: [3] });
    const h0 = tf.layers.dense({ units, activation: 'tanh' }).apply(context) as tf.SymbolicTensor;
    const c0 = tf.layers.dense({ units }).apply(context) as tf.SymbolicTensor;
    const layer = fusedLstm({ units, returnSequences: true, name: 'decoder_lstm' });
    const viaKwargs = layer.apply(x, { initialState: [h0, c0] }) as tf.SymbolicTensor;
    const viaInputs = layer.apply([x, h0, c0]) as tf.SymbolicTensor;
    expect(viaKwargs.shape).toEqual([null, steps, units]);
    const model = tf.model({ inputs: [x, context], outputs: [viaKwargs, viaInputs] });
    const inputs = [withSeed(5, () => tf.randomNormal([2, steps, inputDim])), tf.tensor2d([[1, 0, -1], [0.5, 2, 0]])];
    const [a, b] = model.predict(inputs) as tf.Tensor[];
    expect(Array.from(a!.dataSync())).toEqual(Array.from(b!.dataSync()));
    // A different context gives a different sequence: the state is used.
    const [other] = model.predict([inputs[0]!, tf.zeros([2, 3])]) as tf.Tensor[];
    expect(tf.max(tf.abs(tf.sub(a!, other!))).dataSync()[0]).toBeGreaterThan(1e-3);
    // The dense layers that make h0 and c0 receive gradients.
    const { grads } = tf.variableGrads(() => tf.sum((model.apply(inputs) as tf.Tensor[])[0]!) as tf.Scalar);
    const stateWeights = model.layers.filter((l) => l.name.startsWith('dense')).flatMap((l) => l.trainableWeights.map((w) => w.read().name));
    expect(stateWeights).toHaveLength(4);
    for (const name of stateWeights) expect(tf.max(tf.abs(grads[name]!)).dataSync()[0]).toBeGreaterThan(0);
    // And the graph saves and loads with the two extra inbound tensors.
    let artifacts!: tf.io.ModelArtifacts;
    await model.save(tf.io.withSaveHandler(async (saved) => ((artifacts = saved), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })));
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
    const [c] = loaded.predict(inputs) as tf.Tensor[];
    expect(Array.from(c!.dataSync())).toEqual(Array.from(a!.dataSync()));
    tf.dispose([...inputs, a!, b!, other!, c!, ...Object.values(grads)]);
  });

  it("ignoreMask: a decoder after a masked encoder runs the same in the model's graph as alone", async () => {
    await initBackend({ log: null });
    const ids = tf.input({ shape: [4], dtype: 'int32' });
    const tokens = tf.input({ shape: [4], dtype: 'int32' });
    const text = tf.tensor2d([[4, 5, 0, 0], [7, 8, 1, 2]], undefined, 'int32');
    const prefix = tf.tensor2d([[2, 4, 5, 6], [2, 6, 7, 8]], undefined, 'int32');
    for (const ignoreMask of [false, true]) {
      const tokenEmbedding = tf.layers.embedding({ inputDim: 9, outputDim: 3 });
      const decoder = fusedLstm({ units: 4, returnSequences: true, ignoreMask });
      const model = withSeed(6, () => {
        const encoded = fusedLstm({ units: 4 }).apply(tf.layers.embedding({ inputDim: 9, outputDim: 3, maskZero: true }).apply(ids) as tf.SymbolicTensor) as tf.SymbolicTensor;
        const decoded = decoder.apply(tokenEmbedding.apply(tokens) as tf.SymbolicTensor, { initialState: [encoded, encoded] }) as tf.SymbolicTensor;
        return tf.model({ inputs: [ids, tokens], outputs: [decoded, encoded] });
      });
      const [decoded, encoded] = model.predict([text, prefix]) as tf.Tensor[];
      // The decoder alone: the same layers on the same state, outside the graph.
      const alone = decoder.apply(tokenEmbedding.apply(prefix) as tf.Tensor, { initialState: [encoded!, encoded!] }) as tf.Tensor;
      const steps = (decoded!.arraySync() as number[][][])[0]!;
      if (ignoreMask) {
        expectClose(decoded!, alone.arraySync() as Nested, 1e-6);
      } else {
        // tfjs' executor hands the decoder (whose inputs carry no mask) the padding mask of row 0's text: its steps 2 and 3 are skipped.
        expect(steps[3]).toEqual(steps[1]);
        expect(tf.max(tf.abs(tf.sub(decoded!, alone))).dataSync()[0]).toBeGreaterThan(1e-3);
      }
      tf.dispose([decoded!, encoded!, alone]);
    }
    tf.dispose([text, prefix]);
  });

  it('rejects an initial state that is not two [batch, units] tensors', async () => {
    await initBackend({ log: null });
    const x = tf.ones([2, 3, 4]);
    const [h, c, wide] = [tf.zeros([2, 5]), tf.zeros([2, 5]), tf.zeros([2, 6])];
    const layer = fusedLstm({ units: 5, name: 'l' });
    expect(() => layer.apply(x, { initialState: [h] })).toThrow(/'l': the initial state is \[h0, c0\], got 1 tensor\./);
    expect(() => layer.apply([x, h, wide])).toThrow(/initial states must be \[batch, units\] = \[2, 5\], got \[2, 6\]/);
    expect(() => layer.apply([x, h], { initialState: [h, c] })).toThrow(InputError);
    tf.dispose([x, h, c, wide]);
  });
});

describe('FusedLstm directions', () => {
  it("sequenceOrder 'time' reverses a goBackwards sequence back to time order", async () => {
    await initBackend({ log: null });
    const processing = referenceLayer({ returnSequences: true, goBackwards: true });
    const timeOrdered = fusedLstm({ units: reference.shape.units, returnSequences: true, goBackwards: true, sequenceOrder: 'time' });
    timeOrdered.build([null, reference.shape.steps, reference.shape.inputDim]);
    timeOrdered.setWeights(processing.getWeights());
    const x = tf.tensor3d(reference.x as number[][][]);
    const [a, b] = [processing.apply(x) as tf.Tensor, timeOrdered.apply(x) as tf.Tensor];
    expectClose(b, tf.reverse(a, 1).arraySync() as Nested, 1e-7);
    expect(timeOrdered.getConfig()).toMatchObject({ sequenceOrder: 'time', goBackwards: true });
    expect(() => fusedLstm({ units: 2, sequenceOrder: 'reversed' as never })).toThrow(ConfigError);
    tf.dispose([x, a, b]);
  });

  it('bidirectional: [forward, backward] like tf.layers.bidirectional, masks reaching both directions', async () => {
    await initBackend({ log: null });
    const tokens = tf.input({ shape: [5], dtype: 'int32' });
    const embedded = tf.layers.embedding({ inputDim: 9, outputDim: 3, maskZero: true }).apply(tokens) as tf.SymbolicTensor;
    const sequence = fusedBidirectionalLstm({ units: 2, returnSequences: true, name: 'bi' });
    const pooled = fusedBidirectionalLstm({ units: 2, name: 'pool' });
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

describe('FusedLstm config and errors', () => {
  it('saves and loads (TF.js LayersModel format) with identical predictions', async () => {
    await initBackend({ log: null });
    const input = tf.input({ shape: [5, 3] });
    const layer = fusedLstm({ units: 4, returnSequences: true, goBackwards: true, name: 'lstm' });
    const model = tf.model({ inputs: input, outputs: layer.apply(input) as tf.SymbolicTensor });
    let artifacts!: tf.io.ModelArtifacts;
    await model.save(tf.io.withSaveHandler(async (a) => ((artifacts = a), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })));
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
    expect(loaded.getLayer('lstm')).toBeInstanceOf(FusedLstm);
    expect(loaded.getLayer('lstm').getConfig()).toMatchObject({ units: 4, returnSequences: true, goBackwards: true, sequenceOrder: 'processing', ignoreMask: false });
    expect(loaded.getLayer('lstm').getWeights().map((w) => w.shape)).toEqual([[3, 16], [4, 16], [16], [16]]);
    const x = tf.randomNormal([2, 5, 3]);
    const [a, b] = [model.predict(x) as tf.Tensor, loaded.predict(x) as tf.Tensor];
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    tf.dispose([x, a, b]);
  });

  it('rejects bad units and inputs that are not [batch, time, features]', async () => {
    await initBackend({ log: null });
    expect(() => fusedLstm({ units: 0 })).toThrow(ConfigError);
    expect(() => fusedLstm({ units: 0 })).toThrow(/units must be a positive integer, got 0/);
    expect(() => fusedLstm({ units: 2.5 })).toThrow(ConfigError);
    const flat = tf.input({ shape: [7] });
    expect(() => fusedLstm({ units: 3, name: 'l' }).apply(flat)).toThrow(InputError);
    expect(() => fusedLstm({ units: 3, name: 'l' }).apply(flat)).toThrow(/'l': input must be \[batch, time, features\].*got \[batch, 7\]/);
    const x = tf.ones([2, 4]);
    expect(() => fusedLstm({ units: 3 }).apply(x)).toThrow(InputError);
    const badMask = tf.ones([2, 3]);
    expect(() => fusedLstm({ units: 3 }).apply(tf.ones([2, 4, 1]), { mask: badMask })).toThrow(/mask must be \[batch, time\] = \[2, 4\], got \[2, 3\]/);
    tf.dispose([x, badMask]);
  });
});
