import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { initBackend, tf } from '@polyfuse/core';
import { clipGradientsByNorm, clipGradientsByValue } from '../index.js';

const { clipping } = JSON.parse(readFileSync(new URL('../../fixtures/optimizers.json', import.meta.url), 'utf8'));

describe('gradient clipping matches torch.nn.utils', () => {
  beforeAll(async () => {
    await initBackend({ log: null });
  });

  it('clip_grad_norm_ scales all gradients together and reports the norm', () => {
    const grads = { a: tf.tensor(clipping.a), b: tf.tensor(clipping.b) };
    const { grads: clipped, norm } = clipGradientsByNorm(grads, clipping.maxNorm);
    expect(norm).toBeCloseTo(clipping.byNorm.norm, 5);
    (clipped.a.arraySync() as number[]).forEach((v, i) => expect(v).toBeCloseTo(clipping.byNorm.a[i], 5));
    (clipped.b.arraySync() as number[][]).flat().forEach((v, i) => expect(v).toBeCloseTo(clipping.byNorm.b.flat()[i], 5));
    // below the limit nothing changes
    const { grads: same } = clipGradientsByNorm(grads, 100);
    expect(same.a.arraySync()).toEqual(clipping.a);
    tf.dispose([...Object.values(grads), ...Object.values(clipped), ...Object.values(same)]);
  });

  it('clip_grad_value_ clamps each element', () => {
    const grads = { a: tf.tensor(clipping.a), b: tf.tensor(clipping.b) };
    const clipped = clipGradientsByValue(grads, clipping.clipValue);
    expect(clipped.a.arraySync()).toEqual(clipping.byValue.a);
    expect(clipped.b.arraySync()).toEqual(clipping.byValue.b);
    expect(() => clipGradientsByValue(grads, 0)).toThrow(/clipGradients\.value must be > 0/);
    tf.dispose([...Object.values(grads), ...Object.values(clipped)]);
  });
});
