import { describe, expect, it, beforeAll } from 'vitest';
import os from 'node:os';
import path from 'node:path';
import { promises as fs } from 'node:fs';
import { tf, initBackend, MultimodalModel, withSeed, InputError, type Encoder, type Fusion, type Head } from '../index.js';
import { saveModel, loadModel } from '../node.js';

/** A dense encoder made of tfjs-layers layers, as encoder packages build them. */
function denseEncoder(inputSize: number, units: number): Encoder {
  const dense = tf.layers.dense({ units, activation: 'relu' });
  return {
    inputShape: [inputSize],
    inputDtype: 'float32',
    outputShape: [units],
    config: { units },
    apply: ((x: tf.SymbolicTensor) => dense.apply(x)) as Encoder['apply'],
  };
}

/** Concatenation, enough to exercise the wiring (the real fusions live in @polyfuse/fusion). */
function concatFusion(modalities: string[], size: number): Fusion {
  const concat = tf.layers.concatenate();
  return {
    modalities,
    outputShape: [size],
    config: {},
    apply: ((embeddings: Record<string, tf.SymbolicTensor>) => concat.apply(modalities.map((m) => embeddings[m]))) as Fusion['apply'],
  };
}

function linearHead(classes: number): Head {
  const dense = tf.layers.dense({ units: classes });
  return { outputShape: [classes], config: {}, apply: ((x: tf.SymbolicTensor) => dense.apply(x)) as Head['apply'] };
}

function build(seed: number): MultimodalModel {
  return withSeed(seed, () =>
    MultimodalModel.fromParts({
      encoders: { image: denseEncoder(6, 4), audio: denseEncoder(3, 5) },
      fusion: concatFusion(['image', 'audio'], 9),
      head: linearHead(3),
      auxiliaryHeads: { image: linearHead(3) },
    }),
  );
}

describe('MultimodalModel', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'cpu', log: null });
  });

  it('wires encoders, fusion and heads and groups variables by module', () => {
    const model = build(1);
    expect(model.outputNames).toEqual(['logits', 'logits_image']);
    const counts = model.parameterCounts();
    expect(counts['encoder:image']).toBe(6 * 4 + 4);
    expect(counts['encoder:audio']).toBe(3 * 5 + 5);
    expect(counts.head).toBe(9 * 3 + 3);
    expect(counts['head:image']).toBe(4 * 3 + 3);
    expect(model.trainableVariables(['encoder:audio'])).toHaveLength(2);
    const out = model.call({ inputs: { image: tf.ones([2, 6]), audio: tf.ones([2, 3]) } });
    expect(out.logits.shape).toEqual([2, 3]);
    expect(out.logits_image.shape).toEqual([2, 3]);
  });

  it('gives identical weights for the same seed and different ones otherwise', () => {
    const a = build(7).model.getWeights().map((w) => Array.from(w.dataSync()));
    const b = build(7).model.getWeights().map((w) => Array.from(w.dataSync()));
    const c = build(8).model.getWeights().map((w) => Array.from(w.dataSync()));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('rejects wrong shapes and missing modalities with a clear error', () => {
    const model = build(1);
    expect(() => model.call({ inputs: { image: tf.ones([2, 5]), audio: tf.ones([2, 3]) } })).toThrow(/Input 'image' has shape \[2, 5\]; expected \[batch, 6\]/);
    expect(() => model.call({ inputs: { image: tf.ones([2, 6]) } })).toThrow(InputError);
  });

  it('saves to a folder and loads back to identical outputs', async () => {
    const model = build(3);
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'polyfuse-model-'));
    const inputs = { image: tf.randomNormal([4, 6]), audio: tf.randomNormal([4, 3]) };
    const before = model.predict({ inputs });
    await saveModel(path.join(dir, 'saved'), model);
    const loaded = await loadModel(path.join(dir, 'saved'));
    const after = loaded.predict({ inputs });
    expect(Array.from(after.dataSync())).toEqual(Array.from(before.dataSync()));
    expect(loaded.metadata.modules).toEqual(model.metadata.modules);
    // The standard TF.js artefact opens without polyfuse.
    const json = JSON.parse(await fs.readFile(path.join(dir, 'saved', 'model.json'), 'utf8'));
    expect(json.format).toBe('layers-model');
    await fs.writeFile(path.join(dir, 'saved', 'weights.bin'), new Uint8Array(10));
    await expect(loadModel(path.join(dir, 'saved'))).rejects.toThrow(/truncated or belongs to another model/);
    await expect(loadModel(path.join(dir, 'nowhere'))).rejects.toThrow(/does not exist/);
  });
});
