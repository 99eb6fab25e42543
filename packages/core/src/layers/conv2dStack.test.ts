import { beforeAll, describe, expect, it } from 'vitest';
import { tf, initBackend, conv2dStack, ConfigError } from '../index.js';

describe('conv2dStack', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'cpu', log: null });
  });

  it('builds conv → bn → act → pool blocks and declares its output shape', () => {
    const stack = conv2dStack({ filters: [4, 8], batchNorm: true, pool: 2, denseUnits: 5, namePrefix: 'img' });
    expect(stack.layers.map((l) => l.getClassName())).toEqual([
      'PolyfuseConv2D', 'PolyfuseBatchNormalization', 'Activation', 'MaxPooling2D',
      'PolyfuseConv2D', 'PolyfuseBatchNormalization', 'Activation', 'MaxPooling2D',
      'Flatten', 'Dense',
    ]);
    expect(stack.outputShape([8, 8, 1])).toEqual([5]);
    const input = tf.input({ shape: [8, 8, 1] });
    const model = tf.model({ inputs: input, outputs: stack.apply(input) });
    expect(model.outputs[0].shape).toEqual([null, 5]);
    const y = stack.apply(tf.ones([2, 8, 8, 1]));
    expect(y.shape).toEqual([2, 5]);
  });

  it('global-average-pools without dense', () => {
    const stack = conv2dStack({ filters: [3], reduce: 'globalAverage', pool: 0 });
    expect(stack.outputShape([5, 7, 2])).toEqual([3]);
  });

  it('rejects bad filters and inputs too small for the pooling', () => {
    expect(() => conv2dStack({ filters: [] })).toThrow(ConfigError);
    expect(() => conv2dStack({ filters: [4, 4, 4] }).outputShape([4, 4, 1])).toThrow(/too small/);
  });
});
