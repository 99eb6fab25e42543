import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateSequences, initBackend, modelFromFiles, tf, type ModelFiles } from '@polyfuse/core';
import '../index.js'; // registers head/text-decoder, which rebuilds the decoder of a loaded model

type Nested = number | Nested[];
/** What the code before FusedLstm predicted with the saved model (fixtures/legacy-lstm/save.mjs). */
const expected = JSON.parse(readFileSync(new URL('../../fixtures/legacy-lstm/expected.json', import.meta.url), 'utf8')) as {
  inputs: Record<string, number[][]>;
  targets: Record<string, number[][]>;
  outputs: Record<string, Nested>;
  greedy: Record<string, number[][]>;
  beam: Record<string, { ids: number[][]; scores: number[] }>;
  layerClasses: Record<string, string>;
};

function savedFiles(): ModelFiles {
  const read = (name: string) => readFileSync(new URL(`../../fixtures/legacy-lstm/model/${name}`, import.meta.url));
  return { 'model.json': read('model.json').toString('utf8'), 'weights.bin': new Uint8Array(read('weights.bin')), 'polyfuse.json': read('polyfuse.json').toString('utf8') };
}

function worstDifference(actual: tf.Tensor, want: Nested): number {
  const values = [want].flat(Infinity) as number[];
  const got = actual.dataSync();
  expect(got.length).toBe(values.length);
  return Math.max(...values.map((v, i) => Math.abs(got[i]! - v)));
}

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`a model saved when text-rnn and decoder/lstm were tf.layers.lstm, on ${backend}`, () => {
    it('still loads, keeps its tfjs LSTM layers, and predicts and decodes as before', async () => {
      await initBackend({ backend, log: null });
      const model = await modelFromFiles(savedFiles(), 'legacy-lstm');
      expect(Object.fromEntries(model.model.layers.map((layer) => [layer.name, layer.getClassName()]))).toEqual(expected.layerClasses);
      expect(expected.layerClasses).toMatchObject({ text_text_rnn_bilstm1: 'Bidirectional', head_caption_lstm: 'LSTM' });
      const inputs = { text: tf.tensor2d(expected.inputs.text!, undefined, 'int32') };
      const targets = { caption: tf.tensor2d(expected.targets.caption!, undefined, 'int32') };
      const outputs = model.call({ inputs, targets }, { training: false });
      for (const [name, want] of Object.entries(expected.outputs)) expect(worstDifference(outputs[name]!, want), name).toBeLessThan(1e-5);
      // Decoding rebuilds LstmDecoder on the loaded layers: the decoder's own tf.layers.lstm, applied with initialState.
      expect(generateSequences(model, { inputs }, 'caption').ids).toEqual(expected.greedy.caption);
      const beam = generateSequences(model, { inputs }, 'caption', { beamWidth: 3 });
      expect(beam.ids).toEqual(expected.beam.caption!.ids);
      beam.scores!.forEach((score, i) => expect(score).toBeCloseTo(expected.beam.caption!.scores[i]!, 5));
      tf.dispose([inputs.text, targets.caption, ...Object.values(outputs)]);
      model.dispose();
    });
  });
}
