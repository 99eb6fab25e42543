import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf, InputError } from '@polyfuse/core';
import { collateBatch, disposeBatch } from './collate.js';

describe('collateBatch', () => {
  beforeAll(async () => {
    await initBackend({ log: null });
  });

  it('stacks samples, zero-fills absent modalities and sets their mask to 0', () => {
    const batch = collateBatch(
      [
        { id: 'a', features: { x: Float32Array.from([1, 2]), t: Int32Array.from([5]) }, targets: { label: 1 } },
        { id: 'b', features: { x: undefined, t: Int32Array.from([6, 7, 8]) }, targets: { label: 0 } },
      ],
      { x: { shape: [2], dtype: 'float32' }, t: { shape: [-1], dtype: 'int32' } },
      { label: 'class' },
    );
    expect(batch.ids).toEqual(['a', 'b']);
    expect(batch.inputs.x.arraySync()).toEqual([[1, 2], [0, 0]]);
    expect(batch.mask.x.arraySync()).toEqual([1, 0]);
    // variable length: padded to the longest sample in the batch
    expect(batch.inputs.t.dtype).toBe('int32');
    expect(batch.inputs.t.arraySync()).toEqual([[5, 0, 0], [6, 7, 8]]);
    expect(batch.targets.label.dtype).toBe('int32');
    expect(batch.targets.label.arraySync()).toEqual([1, 0]);
    const before = tf.memory().numTensors;
    disposeBatch(batch);
    expect(tf.memory().numTensors).toBe(before - 5);
  });

  it('pads fixed-length sequences and rejects values that are too long', () => {
    const features = { s: { shape: [3, 2], dtype: 'float32' as const } };
    const batch = collateBatch([{ id: 'a', features: { s: Float32Array.from([1, 1]) }, targets: {} }], features, {});
    expect(batch.inputs.s.shape).toEqual([1, 3, 2]);
    expect(batch.inputs.s.arraySync()).toEqual([[[1, 1], [0, 0], [0, 0]]]);
    disposeBatch(batch);
    expect(() => collateBatch([{ id: 'long', features: { s: new Float32Array(8) }, targets: {} }], features, {})).toThrow(/Sample 'long', modality 's': 4 rows exceed the expected length 3/);
    expect(() => collateBatch([{ id: 'odd', features: { s: new Float32Array(3) }, targets: {} }], features, {})).toThrow(InputError);
    expect(() => collateBatch([], features, {})).toThrow(/samples is empty/);
  });

  it('stacks typed targets into [B, ...shape], pads sequences with their pad id and passes references on', () => {
    const batch = collateBatch(
      [
        { id: 'a', features: {}, targets: { tags: Float32Array.from([1, 0, 1]), caption: Int32Array.from([2, 5, 3]), speed: 0.5 }, references: { caption: ['a cat', 'one cat'] } },
        { id: 'b', features: {}, targets: { tags: Float32Array.from([0, 1, 0]), caption: Int32Array.from([2, 6, 7, 8, 3]), speed: -1 }, references: { caption: ['a big red dog'] } },
      ],
      {},
      {
        tags: { shape: [3], dtype: 'float32' },
        caption: { shape: [-1], dtype: 'int32', padValue: 9 },
        speed: 'number',
      },
    );
    expect(batch.targets.tags.shape).toEqual([2, 3]);
    expect(batch.targets.tags.arraySync()).toEqual([[1, 0, 1], [0, 1, 0]]);
    expect(batch.targets.caption.dtype).toBe('int32');
    expect(batch.targets.caption.arraySync()).toEqual([[2, 5, 3, 9, 9], [2, 6, 7, 8, 3]]);
    expect(batch.targets.speed.arraySync()).toEqual([0.5, -1]);
    expect(batch.references).toEqual({ caption: [['a cat', 'one cat'], ['a big red dog']] });
    disposeBatch(batch);
    const long = { id: 'long', features: {}, targets: { caption: new Int32Array(5) } };
    expect(() => collateBatch([long], {}, { caption: { shape: [4], dtype: 'int32' } })).toThrow(/Sample 'long', target 'caption': 5 values do not fit shape \[4\]/);
  });
});
