import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf, type Batch } from '@polyfuse/core';
import { createMetric, type TrainingMetric } from '../index.js';

// Rows are (image, caption) pairs; image 0 has two captions, so its embedding
// repeats (once scaled: cosine similarity ignores length). In degrees:
// images 0°, 0°, 90°, 45°; captions 5.7° (0a), 78.7° (0b, nearer image 1), 59° (1), 38.7° (2).
const images = [[1, 0], [2, 0], [0, 1], [1, 1]];
const captions = [[1, 0.1], [0.2, 1], [0.6, 1], [1, 0.8]];
const groups = [0, 0, 1, 2];
// Hand-ranked. Image → text, three images once each: image 0 finds 0a first (rank 1), image 1
// sees 0b before its caption (rank 2), image 2 finds caption 2 (rank 1).
// Text → image, four captions: 0a → 1, 0b → 3 (images 1 and 2 come first), 1 → 2, 2 → 1.
const expected = {
  imageToText: { recallAt1: 2 / 3, recallAt2: 1, medianRank: 1 },
  textToImage: { recallAt1: 2 / 4, recallAt2: 3 / 4, medianRank: 1.5 },
};

function stream(metric: TrainingMetric, batchSize: number): number {
  for (let start = 0; start < groups.length; start += batchSize) {
    const end = Math.min(start + batchSize, groups.length);
    const image = tf.tensor2d(images.slice(start, end));
    const text = tf.tensor2d(captions.slice(start, end));
    const target = tf.tensor1d(groups.slice(start, end), 'int32');
    const batch: Batch = { inputs: {}, mask: {}, targets: { pair: target }, ids: [] };
    metric.update(image, target, { batch, outputs: { embedding_image: image, embedding_text: text }, generated: () => [] });
    tf.dispose([image, text, target]);
  }
  return metric.compute();
}

const create = (name: string, config: Record<string, unknown> = {}) => createMetric({ name, config: { outputs: ['embedding_image', 'embedding_text'], target: 'pair', ...config } });

describe('matching metrics', () => {
  beforeAll(async () => {
    await initBackend({ log: null });
  });

  it('recall@k in each direction, with a repeated image counted once, streamed or in one batch', () => {
    for (const batchSize of [4, 2, 1]) {
      expect(stream(create('recall@k', { k: 1, direction: 'a-to-b' }), batchSize)).toBeCloseTo(expected.imageToText.recallAt1, 12);
      expect(stream(create('recall@k', { k: 2, direction: 'a-to-b' }), batchSize)).toBeCloseTo(expected.imageToText.recallAt2, 12);
      expect(stream(create('recall@k', { k: 1, direction: 'b-to-a' }), batchSize)).toBeCloseTo(expected.textToImage.recallAt1, 12);
      expect(stream(create('recall@k', { k: 2, direction: 'b-to-a' }), batchSize)).toBeCloseTo(expected.textToImage.recallAt2, 12);
    }
    expect(stream(create('recall@1'), 2)).toBeCloseTo((2 / 3 + 2 / 4) / 2, 12);
    expect(stream(create('recall@5'), 2)).toBe(1);
  });

  it('median-rank in each direction and their mean', () => {
    expect(stream(create('median-rank', { direction: 'a-to-b' }), 3)).toBe(expected.imageToText.medianRank);
    expect(stream(create('median-rank', { direction: 'b-to-a' }), 3)).toBe(expected.textToImage.medianRank);
    expect(stream(create('median-rank'), 4)).toBe((1 + 1.5) / 2);
  });

  it('names each direction after the embedding outputs, resets and rejects bad input', () => {
    expect(create('recall@k', { k: 5 }).name).toBe('recall@5_image_text');
    expect(create('recall@5', { direction: 'a-to-b' }).name).toBe('recall@5_image_to_text');
    expect(create('recall@10', { direction: 'b-to-a' }).name).toBe('recall@10_text_to_image');
    const medianRank = create('median-rank', { direction: 'b-to-a' });
    expect([medianRank.name, medianRank.higherIsBetter, medianRank.output, medianRank.outputs, medianRank.target]).toEqual(['median_rank_text_to_image', false, 'embedding_image', ['embedding_image', 'embedding_text'], 'pair']);
    expect(create('recall@1').higherIsBetter).toBe(true);

    const metric = create('recall@1', { direction: 'a-to-b' });
    expect(stream(metric, 4)).toBeCloseTo(2 / 3, 12);
    metric.reset();
    expect(() => metric.compute()).toThrow(/recall@1_image_to_text: no samples were seen/);

    const image = tf.ones([2, 3]);
    const target = tf.tensor1d([0, 1], 'int32');
    const batch: Batch = { inputs: {}, mask: {}, targets: { pair: target }, ids: [] };
    expect(() => metric.update(image, target)).toThrow(/needs output 'embedding_text' from the metric context \(update's third argument\); outputs: none/);
    expect(() => metric.update(image, target, { batch, outputs: { embedding_text: tf.ones([2, 4]) }, generated: () => [] })).toThrow(
      /expected embedding_image \[B, D\], embedding_text \[B, D\] \(the same D\) and pair \[B\], got \[2, 3\], \[2, 4\] and \[2\]/,
    );
    metric.update(image, target, { batch, outputs: { embedding_text: image }, generated: () => [] });
    expect(() => metric.update(tf.ones([2, 2]), target, { batch, outputs: { embedding_text: tf.ones([2, 2]) }, generated: () => [] })).toThrow(/embeddings have 2 dimensions but earlier batches had 3/);
    expect(() => create('recall@k', { outputs: ['embedding_image'] })).toThrow(/metric\/recall@k\.outputs must name two different embedding outputs/);
    expect(() => create('recall@k', { k: 0 })).toThrow(/metric\.k/);
    expect(() => create('median-rank', { direction: 'both' })).toThrow(/metric\.direction must be one of "a-to-b", "b-to-a", "mean"/);
    tf.dispose([image, target]);
  });
});
