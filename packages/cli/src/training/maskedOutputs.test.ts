import { beforeAll, describe, expect, it } from 'vitest';
import { createMultimodalModel, initBackend, SeededRandom, tf } from '@polyfuse/core';
import type { DataLoader, LoadedBatch } from '@polyfuse/data';
import '@polyfuse/fusion';
import '@polyfuse/trainer';
import { collectMaskedOutputs, modalityContribution, robustnessCurves, scoreSource } from './evaluate.js';

/** 50 samples of two random modalities in batches of 16 (the last one short), labels from both. */
function randomLoader(): DataLoader {
  const rng = new SeededRandom(3);
  const n = 50;
  const batchSize = 16;
  const image = Array.from({ length: n * 6 }, () => rng.next() * 2 - 1);
  const audio = Array.from({ length: n * 4 }, () => rng.next() * 2 - 1);
  const label = Array.from({ length: n }, (_, i) => (image[i * 6]! + audio[i * 4]! > 0 ? 1 : 0) + (image[i * 6 + 1]! > 0.5 ? 1 : 0));
  const batchCount = Math.ceil(n / batchSize);
  return {
    size: n,
    batchSize,
    batchCount,
    async *batches(): AsyncIterable<LoadedBatch> {
      for (let b = 0; b < batchCount; b++) {
        const lo = b * batchSize;
        const hi = Math.min(n, lo + batchSize);
        yield {
          index: b,
          ids: Array.from({ length: hi - lo }, (_, i) => `s${lo + i}`),
          inputs: { image: tf.tensor2d(image.slice(lo * 6, hi * 6), [hi - lo, 6]), audio: tf.tensor2d(audio.slice(lo * 4, hi * 4), [hi - lo, 4]) },
          mask: { image: tf.ones([hi - lo]), audio: tf.ones([hi - lo]) },
          targets: { label: tf.tensor1d(label.slice(lo, hi), 'int32') },
        };
      }
    },
  };
}

describe('contribution and robustness from one pass per modality', () => {
  beforeAll(async () => {
    await initBackend({ log: null });
  });

  const model = () =>
    createMultimodalModel({
      encoders: { image: { name: 'flatten', config: { inputShape: [6] } }, audio: { name: 'flatten', config: { inputShape: [4] } } },
      fusion: { name: 'gated', config: { units: 8 } },
      head: { name: 'mlp', config: { hiddenUnits: [8], units: 3 } },
      seed: 2,
    });
  const metric = { name: 'accuracy' };

  it('gives exactly what a separate pass with those samples masked gives, for every modality and rate', async () => {
    const m = model();
    const source = randomLoader();
    const rates = [0, 0.3, 0.5, 0.9, 1];
    const points = await robustnessCurves(m, source, { label: 'label', metric, rates, seed: 7 });
    // The reference: one full pass per modality and rate, with the same seeded samples masked.
    const order = new SeededRandom(7).shuffle(Array.from({ length: source.size }, (_, i) => i));
    for (const modality of m.modalities) {
      for (const rate of rates) {
        const dropped = new Set(order.slice(0, Math.round(rate * source.size)));
        const scores = await scoreSource(m, source, { label: 'label', metrics: [metric], dropped: (i, mod) => mod === modality && dropped.has(i) });
        const point = points.find((p) => p.modality === modality && p.rate === rate);
        expect(point?.value, `${modality} at ${rate}`).toBe(scores.metrics.accuracy);
      }
    }
    // The curves are not flat: masking changes the predictions of this model.
    expect(new Set(points.map((p) => p.value)).size).toBeGreaterThan(1);
  });

  it('shares one collection between contribution and robustness and frees its tensors', async () => {
    const m = model();
    const source = randomLoader();
    const before = tf.memory().numTensors;
    const outputs = await collectMaskedOutputs(m, source, { metric });
    expect(outputs.batches).toHaveLength(4);
    const contribution = await modalityContribution(m, source, { label: 'label', metric, outputs });
    const points = await robustnessCurves(m, source, { label: 'label', metric, rates: [0, 1], seed: 1, outputs });
    for (const modality of m.modalities) {
      expect(points.find((p) => p.modality === modality && p.rate === 0)?.value).toBe(contribution[modality]!.full);
      expect(points.find((p) => p.modality === modality && p.rate === 1)?.value).toBe(contribution[modality]!.without);
      const alone = await scoreSource(m, source, { label: 'label', metrics: [metric], dropped: (_, mod) => mod === modality });
      expect(contribution[modality]!.without).toBe(alone.metrics.accuracy);
    }
    outputs.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
