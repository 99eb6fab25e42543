import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, initBackend, registry, tf, withSeed, type Encoder } from '@polyfuse/core';
import { TextRnnEncoder, TextTransformerEncoder } from '../index.js';
import { classifierAround, gradientMagnitudes, overfit, roundTrip } from '@polyfuse/core/testing';
import { tokenBatch, tokenLabels } from '../testing/tokenBatch.js';

const base = { vocabSize: 12, maxLength: 6, embeddingDim: 16 };
/** text-transformer calls its token width modelDim. */
const transformerBase = { vocabSize: 12, maxLength: 6, modelDim: 16 };

/** Every text encoder, with the per-sample output shape it must declare. */
const cases: { name: string; config: Record<string, unknown>; shape: number[]; lr?: number; steps?: number }[] = [
  { name: 'text-bag', config: { ...base }, shape: [16] },
  { name: 'text-bag', config: { ...base, units: 8 }, shape: [8] },
  { name: 'text-cnn', config: { ...base, kernelSizes: [2, 3], filters: 8 }, shape: [16] },
  { name: 'text-rnn', config: { ...base, cell: 'lstm', units: 8 }, shape: [8] },
  { name: 'text-rnn', config: { ...base, cell: 'gru', units: 8, bidirectional: true }, shape: [16] },
  { name: 'text-rnn', config: { ...base, cell: 'lstm', units: 8, bidirectional: true, pooling: 'sequence', depth: 2 }, shape: [6, 16] },
  { name: 'text-rnn', config: { ...base, cell: 'gru', units: 8, bidirectional: true, pooling: 'sequence', depth: 2 }, shape: [6, 16] },
  { name: 'text-transformer', config: { ...transformerBase, numHeads: 2, depth: 1 }, shape: [16] },
  { name: 'text-transformer', config: { ...transformerBase, numHeads: 2, depth: 1, pooling: 'first' }, shape: [16] },
  { name: 'text-transformer', config: { ...transformerBase, numHeads: 2, depth: 1, pooling: 'sequence' }, shape: [6, 16] },
];

describe('text encoders', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'cpu', log: null });
  });

  for (const { name, config, shape } of cases) {
    const label = `${name} ${JSON.stringify(config).replace(/"(vocabSize|maxLength|embeddingDim|modelDim)":\d+,?/g, '')}`;
    it(`${label}: declared shape, overfits, gradients everywhere, saves and loads`, async () => {
      const encoder = withSeed(1, () => registry.create<Encoder>('encoder', name, config, undefined, { modality: 'text' }));
      expect(encoder.inputDtype).toBe('int32');
      expect(encoder.outputShape).toEqual(shape);
      const x = tokenBatch();
      // Layers create their weights on first use: seed that too, so the overfitting check is the same every run.
      expect(withSeed(1, () => encoder.apply(x)).shape).toEqual([4, ...shape]);
      const model = classifierAround(encoder, 4, { modality: 'text' });
      const grads = gradientMagnitudes(model, x, tokenLabels);
      expect(Object.keys(grads).length).toBe(model.trainableVariables().length);
      for (const [variable, g] of Object.entries(grads)) expect(g, variable).toBeGreaterThan(0);
      const losses = overfit(model, x, tokenLabels, { steps: 50, learningRate: 0.03 });
      expect(losses.at(-1)).toBeLessThan(0.05);
      const { before, after } = await roundTrip(model, x);
      after.forEach((v, i) => expect(v).toBeCloseTo(before[i]!, 5));
    });
  }

  it('gives a padded sequence the same embedding as the unpadded one (recurrent and transformer)', () => {
    const padded = tf.tensor2d([[4, 5, 6, 0, 0, 0]], undefined, 'int32');
    const unpadded = tf.tensor2d([[4, 5, 6]], undefined, 'int32');
    const build = <E extends Encoder>(make: () => E) => withSeed(3, make);
    const pairs: [Encoder, Encoder][] = [
      [build(() => new TextRnnEncoder({ ...base, units: 4, bidirectional: true })), build(() => new TextRnnEncoder({ ...base, maxLength: 3, units: 4, bidirectional: true }))],
      [build(() => new TextRnnEncoder({ ...base, cell: 'gru', units: 4, bidirectional: true, depth: 2 })), build(() => new TextRnnEncoder({ ...base, cell: 'gru', maxLength: 3, units: 4, bidirectional: true, depth: 2 }))],
      [build(() => new TextTransformerEncoder({ ...transformerBase, numHeads: 2, depth: 1 })), build(() => new TextTransformerEncoder({ ...transformerBase, maxLength: 3, numHeads: 2, depth: 1 }))],
    ];
    for (const [long, short] of pairs) {
      // Same weights; the position table of the short model is the first rows of the long one.
      const model = (e: Encoder) => { const input = tf.input({ shape: e.inputShape, dtype: 'int32' }); return tf.model({ inputs: input, outputs: e.apply(input) }); };
      const longModel = model(long);
      const shortModel = model(short);
      shortModel.setWeights(longModel.getWeights().map((w, i) => (w.shape[0] === shortModel.getWeights()[i]!.shape[0] ? w : w.slice([0, 0], [3, -1]))));
      const a = Array.from((longModel.predict(padded) as tf.Tensor).dataSync());
      const b = Array.from((shortModel.predict(unpadded) as tf.Tensor).dataSync());
      a.forEach((v, i) => expect(v).toBeCloseTo(b[i]!, 5));
    }
  });

  it("cell 'gru' runs core's FusedGru (torch.nn.GRU semantics), forward and backward", () => {
    const encoder = new TextRnnEncoder({ ...base, modality: 'text', cell: 'gru', units: 4, bidirectional: true });
    const input = tf.input({ shape: encoder.inputShape, dtype: 'int32' });
    const model = tf.model({ inputs: input, outputs: encoder.apply(input) });
    const grus = model.layers.filter((l) => l.getClassName() === 'PolyfuseFusedGru');
    expect(grus.map((l) => [l.name, l.getConfig().goBackwards])).toEqual([['text_text_rnn_bigru1_forward', false], ['text_text_rnn_bigru1_backward', true]]);
  });

  it("cell 'lstm' (the default) runs core's FusedLstm (torch.nn.LSTM semantics), forward and backward", () => {
    const encoder = new TextRnnEncoder({ ...base, modality: 'text', units: 4, bidirectional: true, depth: 2 });
    const input = tf.input({ shape: encoder.inputShape, dtype: 'int32' });
    const model = tf.model({ inputs: input, outputs: encoder.apply(input) });
    const lstms = model.layers.filter((l) => l.getClassName() === 'PolyfuseFusedLstm');
    expect(lstms.map((l) => [l.name, l.getConfig().goBackwards, l.getConfig().returnSequences])).toEqual([
      ['text_text_rnn_bilstm1_forward', false, true],
      ['text_text_rnn_bilstm1_backward', true, true],
      ['text_text_rnn_bilstm2_forward', false, false],
      ['text_text_rnn_bilstm2_backward', true, false],
    ]);
    const single = new TextRnnEncoder({ ...base, modality: 'text', units: 4 });
    const alone = tf.model({ inputs: input, outputs: single.apply(input) });
    expect(alone.layers.filter((l) => l.getClassName() === 'PolyfuseFusedLstm').map((l) => l.name)).toEqual(['text_text_rnn_lstm1']);
  });

  it('leaks no tensors across training steps (transformer and bidirectional RNN)', () => {
    for (const [name, config] of [['text-transformer', { ...transformerBase, numHeads: 2, depth: 1, dropout: 0.1 }], ['text-rnn', { ...base, units: 4, bidirectional: true, pooling: 'sequence' }], ['text-rnn', { ...base, cell: 'gru', units: 4, bidirectional: true, pooling: 'sequence' }]] as const) {
      const model = classifierAround(withSeed(1, () => registry.create<Encoder>('encoder', name, config, undefined, { modality: 'text' })), 4, { modality: 'text' });
      const x = tokenBatch();
      overfit(model, x, tokenLabels, { steps: 2 });
      const live = tf.memory().numTensors;
      overfit(model, x, tokenLabels, { steps: 4 });
      expect(tf.memory().numTensors, name).toBe(live);
    }
  });

  it('rejects bad configs naming the field', () => {
    expect(() => registry.create('encoder', 'text-bag', { maxLength: 6 })).toThrow(/vocabSize is required/);
    expect(() => registry.create('encoder', 'text-cnn', { ...base, kernelSizes: [7] })).toThrow(/kernelSizes must be integers in \[1, maxLength=6\]/);
    expect(() => registry.create('encoder', 'text-rnn', { ...base, padId: 3 })).toThrow(ConfigError);
    expect(() => registry.create('encoder', 'text-transformer', { ...transformerBase, numHeads: 3 })).toThrow(/divisible by numHeads/);
  });
});
