import { beforeAll, describe, expect, it } from 'vitest';
import { tf, initBackend, registry } from '@polyfuse/core';
import { crossEntropyLoss, type LossFunction } from './index.js';

describe('losses in the registry', () => {
  beforeAll(async () => {
    await initBackend({ log: null });
  });

  it('registers every loss as loss/<kebab-name> on import', () => {
    expect(registry.list('loss')).toEqual(
      expect.arrayContaining([
        'mse', 'l1', 'huber', 'smooth-l1', 'bce-with-logits', 'cross-entropy', 'nll', 'kl-div',
        'cosine-embedding', 'triplet-margin', 'sigmoid-focal', 'clip-contrastive', 'sequence-cross-entropy',
      ]),
    );
  });

  it('binds the config options: loss/cross-entropy equals crossEntropyLoss with the same options', () => {
    const loss = registry.create<LossFunction>('loss', 'cross-entropy', { labelSmoothing: 0.1, weight: [1, 2, 0.5] });
    const logits = tf.tensor2d([[2, 0, -1], [0.5, 0.5, 3]]);
    const target = tf.tensor1d([0, 2], 'int32');
    const fromRegistry = loss(logits, target);
    const direct = crossEntropyLoss(logits, target, { labelSmoothing: 0.1, weight: [1, 2, 0.5] });
    expect(fromRegistry.rank).toBe(0);
    expect(fromRegistry.dataSync()[0]).toBeCloseTo(direct.dataSync()[0], 6);
    tf.dispose([logits, target, fromRegistry, direct]);
  });

  it('builds three-argument losses and defaults the CLIP scale', () => {
    const triplet = registry.create<LossFunction>('loss', 'triplet-margin', { margin: 2 });
    const a = tf.tensor2d([[0, 0]]);
    const value = triplet(a, tf.tensor2d([[1, 0]]), tf.tensor2d([[3, 0]]));
    expect(value.dataSync()[0]).toBeCloseTo(0, 4); // max(0, 2 + 1 − 3)
    const clip = registry.create<LossFunction>('loss', 'clip-contrastive', {});
    const e = tf.eye(3);
    expect(clip(e, e).dataSync()[0]).toBeCloseTo(Math.log(1 + 2 * Math.exp(-1 / 0.07)), 5);
    expect(() => triplet(a, a)).toThrow(/loss\/triplet-margin needs a third tensor argument 'negative'/);
  });

  it('rejects bad configs by field name', () => {
    expect(() => registry.create('loss', 'cross-entropy', { weight: [1, -2] })).toThrow(/loss\/cross-entropy\.weight\.1/);
    expect(() => registry.create('loss', 'cross-entropy', { labelSmoothing: 2 })).toThrow(/labelSmoothing must be a number >= 0 <= 1/);
    expect(() => registry.create('loss', 'mse', { reduction: 'none' })).toThrow(/loss\/mse\.reduction/);
    expect(() => registry.create('loss', 'cross-entropi')).toThrow(/Unknown loss 'cross-entropi'/);
  });
});
