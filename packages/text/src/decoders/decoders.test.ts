import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, FusedLstm, InputError, initBackend, registry, tf, withSeed } from '@polyfuse/core';
import { LstmDecoder, TransformerDecoder, WordTokenizer, padSequence, type TextDecoder } from '../index.js';

/** A tiny captioning set: four "images" (fixed random embeddings) and their captions. */
const captions = ['a red ball', 'two cats sleep', 'a dog runs fast', 'the sky is blue'];
const tokenizer = new WordTokenizer({ addBosEos: true }).fit(captions);
const maxLength = 6; // bos + 4 words + eos

function targets(): tf.Tensor {
  return tf.tensor2d(captions.map((c) => Array.from(padSequence(tokenizer.encode(c), maxLength, tokenizer.padId))), undefined, 'int32');
}

function train(decoder: TextDecoder, context: tf.Tensor, contextMask: tf.Tensor | undefined, steps: number, learningRate: number): number[] {
  const optimizer = tf.train.adam(learningRate);
  const y = targets();
  const losses: number[] = [];
  for (let i = 0; i < steps; i++) {
    const loss = optimizer.minimize(() => decoder.loss(context, y, { contextMask }), true)!;
    losses.push(loss.dataSync()[0]!);
    loss.dispose();
  }
  y.dispose();
  optimizer.dispose();
  return losses;
}

const decodeAll = (ids: number[][]) => ids.map((s) => tokenizer.decode(s));

describe('text decoders', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'cpu', log: null });
  });

  const variants: { label: string; make: (contextShape: number[]) => TextDecoder; sequence: boolean; steps: number }[] = [
    { label: 'LSTM on a fused embedding', make: (s) => new LstmDecoder({ vocabSize: tokenizer.vocabSize, contextShape: s, maxLength, units: 32, embeddingDim: 16 }), sequence: false, steps: 60 },
    { label: 'LSTM with cross-attention to an encoder sequence', make: (s) => new LstmDecoder({ vocabSize: tokenizer.vocabSize, contextShape: s, maxLength, units: 32, embeddingDim: 16 }), sequence: true, steps: 60 },
    { label: 'transformer on a fused embedding', make: (s) => new TransformerDecoder({ vocabSize: tokenizer.vocabSize, contextShape: s, maxLength, embeddingDim: 32, numHeads: 2, depth: 1 }), sequence: false, steps: 60 },
    { label: 'transformer with cross-attention to an encoder sequence', make: (s) => new TransformerDecoder({ vocabSize: tokenizer.vocabSize, contextShape: s, maxLength, embeddingDim: 32, numHeads: 2, depth: 1 }), sequence: true, steps: 60 },
  ];

  for (const { label, make, sequence, steps } of variants) {
    it(`${label}: overfits the captions with teacher forcing; greedy and beam search recover them`, () => {
      const contextShape = sequence ? [3, 8] : [8];
      const decoder = withSeed(1, () => make(contextShape));
      const context = tf.randomNormal([4, ...contextShape], 0, 1, 'float32', 7);
      // The last sequence slot of samples 0 and 2 is padding: the decoder must not depend on it.
      const contextMask = sequence ? tf.tensor2d([[1, 1, 0], [1, 1, 1], [1, 1, 0], [1, 1, 1]]) : undefined;
      const losses = withSeed(2, () => train(decoder, context, contextMask, steps, 0.03));
      expect(losses[0]).toBeGreaterThan(1.5);
      expect(losses.at(-1)).toBeLessThan(0.05);
      expect(decodeAll(decoder.greedy(context, { contextMask }))).toEqual(captions);
      const beams = decoder.beamSearch(context, { contextMask, beamWidth: 3 });
      expect(decodeAll(beams.ids)).toEqual(captions);
      beams.scores.forEach((s) => expect(s).toBeLessThanOrEqual(0));
      if (contextMask) {
        const noisy = tf.where(tf.expandDims(contextMask, 2).tile([1, 1, 8]).cast('bool'), context, tf.randomNormal([4, 3, 8], 0, 5, 'float32', 9));
        expect(decodeAll(decoder.greedy(noisy, { contextMask }))).toEqual(captions);
      }
    });
  }

  it('leaks no tensors in training steps, greedy decoding or beam search', () => {
    const decoder = withSeed(6, () => new TransformerDecoder({ vocabSize: tokenizer.vocabSize, contextShape: [3, 8], maxLength, embeddingDim: 16, numHeads: 2, depth: 1 }));
    const context = tf.randomNormal([4, 3, 8], 0, 1, 'float32', 7);
    const contextMask = tf.ones([4, 3]);
    train(decoder, context, contextMask, 1, 0.01);
    const live = tf.memory().numTensors;
    train(decoder, context, contextMask, 3, 0.01);
    decoder.greedy(context, { contextMask });
    decoder.beamSearch(context, { contextMask, beamWidth: 2 });
    expect(tf.memory().numTensors).toBe(live);
  });

  it('is causal: logits at a position do not depend on later tokens', () => {
    for (const decoder of [
      withSeed(3, () => new TransformerDecoder({ vocabSize: 10, contextShape: [4], maxLength: 5, embeddingDim: 8, numHeads: 2, depth: 1 })),
      withSeed(3, () => new LstmDecoder({ vocabSize: 10, contextShape: [4], maxLength: 5, units: 8 })),
    ]) {
      const context = tf.randomNormal([1, 4], 0, 1, 'float32', 1);
      const a = decoder.logits(context, tf.tensor2d([[2, 5, 6, 7]], undefined, 'int32')).slice([0, 0, 0], [1, 2, -1]).dataSync();
      const b = decoder.logits(context, tf.tensor2d([[2, 5, 9, 1]], undefined, 'int32')).slice([0, 0, 0], [1, 2, -1]).dataSync();
      Array.from(a).forEach((v, i) => expect(v).toBeCloseTo(b[i]!, 5));
    }
  });

  it('saves as a standard LayersModel and loads back to identical logits', async () => {
    const decoder = withSeed(4, () => new TransformerDecoder({ vocabSize: 10, contextShape: [3, 4], maxLength: 5, embeddingDim: 8, numHeads: 2, depth: 1 }));
    let saved: tf.io.ModelArtifacts | undefined;
    await decoder.model.save(tf.io.withSaveHandler(async (artifacts) => ((saved = artifacts), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })));
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(saved!));
    const inputs = [tf.randomNormal([2, 3, 4], 0, 1, 'float32', 1), tf.tensor2d([[1, 1, 0], [1, 1, 1]]), tf.tensor2d([[2, 4], [2, 5]], undefined, 'int32')];
    expect(Array.from((loaded.predict(inputs) as tf.Tensor).dataSync())).toEqual(Array.from((decoder.model.predict(inputs) as tf.Tensor).dataSync()));
  });

  it("LSTM: core's FusedLstm, which gives the same logits after a masked encoder in a model's graph (training) as alone (decoding)", () => {
    const ids = tf.input({ shape: [6], dtype: 'int32' });
    const tokens = tf.input({ shape: [null as unknown as number], dtype: 'int32' });
    const { model, decoder } = withSeed(3, () => {
      const embedded = tf.layers.embedding({ inputDim: 12, outputDim: 8, maskZero: true }).apply(ids) as tf.SymbolicTensor;
      const context = tf.layers.gru({ units: 8 }).apply(embedded) as tf.SymbolicTensor;
      const decoder = new LstmDecoder({ vocabSize: 10, contextShape: [8], maxLength: 6, units: 8, embeddingDim: 8 });
      return { model: tf.model({ inputs: [ids, tokens], outputs: [decoder.applyDecoder(context, undefined, tokens), context] }), decoder };
    });
    expect(decoder.model.getLayer('decoder_lstm')).toBeInstanceOf(FusedLstm);
    // Row 0's text is padded; its padding mask must not reach the decoder's own steps (tf.layers.lstm's did).
    for (const length of [4, 6]) {
      const text = tf.tensor2d([[4, 5, 0, 0, 0, 0], [7, 8, 9, 10, 11, 1]], undefined, 'int32');
      const prefix = tf.tensor2d([[2, 4, 5, 6, 7, 8], [2, 6, 7, 8, 9, 1]], undefined, 'int32').slice([0, 0], [-1, length]);
      const [inGraph, context] = model.predict([text, prefix]) as tf.Tensor[];
      const alone = decoder.logits(context!, prefix);
      expect(tf.max(tf.abs(tf.sub(inGraph!, alone))).dataSync()[0]).toBeLessThan(1e-6);
      tf.dispose([text, prefix, inGraph!, context!, alone]);
    }
    decoder.dispose();
  });

  it('is registered for config files as decoder/lstm and decoder/transformer', () => {
    const lstm = withSeed(7, () => registry.create<TextDecoder>('decoder', 'lstm', { vocabSize: 10, contextShape: [4], maxLength: 5, units: 8 }));
    expect(lstm).toBeInstanceOf(LstmDecoder);
    const transformer = withSeed(7, () => registry.create<TextDecoder>('decoder', 'transformer', { vocabSize: 10, contextShape: [2, 4], maxLength: 5, embeddingDim: 8, numHeads: 2, depth: 1 }));
    expect(transformer.sequenceContext).toBe(true);
    expect(() => registry.create('decoder', 'transformer', { vocabSize: 10, contextShape: [4], maxLength: 5, heads: 2 })).toThrow(/decoder\/transformer.heads is not a known option/);
  });

  it('rejects bad options and inputs with typed errors', () => {
    expect(() => new LstmDecoder({ vocabSize: 10, contextShape: [2, 3, 4], maxLength: 5 })).toThrow(ConfigError);
    expect(() => new LstmDecoder({ vocabSize: 10, contextShape: [4], maxLength: 5, eosId: 10 })).toThrow(/decoder.eosId must be an id in \[0, 10\)/);
    expect(() => new TransformerDecoder({ vocabSize: 10, contextShape: [4], maxLength: 5, embeddingDim: 6, numHeads: 4 })).toThrow(/divisible by numHeads/);
    const decoder = withSeed(5, () => new LstmDecoder({ vocabSize: 10, contextShape: [4], maxLength: 5, units: 8 }));
    expect(() => decoder.greedy(tf.zeros([2, 5]))).toThrow(InputError);
    expect(() => decoder.loss(tf.zeros([2, 4]), tf.zeros([2, 1], 'int32'))).toThrow(/targets must be \[batch, L ≥ 2\]/);
  });
});
