import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, initBackend, tf, withSeed } from '../index.js';
import { conv1dStack } from './conv1dStack.js';

describe('conv1dStack', () => {
  beforeAll(async () => {
    await initBackend({ log: null });
  });

  it('strides the first conv, pools each block and averages over time into a dense layer', () => {
    const stack = withSeed(1, () => conv1dStack({ filters: [4, 8], firstKernelSize: 9, firstStride: 4, pool: 2, batchNorm: true, denseUnits: 5, namePrefix: 'wave' }));
    expect(stack.layers.map((l) => l.name)).toEqual(['wave_conv1', 'wave_bn1', 'wave_act1', 'wave_pool1', 'wave_conv2', 'wave_bn2', 'wave_act2', 'wave_pool2', 'wave_gap', 'wave_dense']);
    expect(stack.outputShape([64, 1])).toEqual([5]);
    const y = stack.apply(tf.ones([2, 64, 1]));
    expect(y.shape).toEqual([2, 5]);
    expect((stack.layers[0] as unknown as { kernelSize: number[] }).kernelSize).toEqual([9]);
    y.dispose();
  });

  it("keeps the feature sequence with reduce 'none': 64 / 4 / 2 / 2 = 4 steps", () => {
    const stack = conv1dStack({ filters: [3, 6], firstStride: 4, reduce: 'none', denseUnits: 5 });
    expect(stack.outputShape([64, 2])).toEqual([4, 6]);
  });

  it('names the caller and the problem', () => {
    expect(() => conv1dStack({ filters: [] })).toThrow(ConfigError);
    expect(() => conv1dStack({ filters: [4], firstStride: 0, label: 'encoder/x' })).toThrow(/encoder\/x: firstStride must be a positive integer/);
    const stack = conv1dStack({ filters: [4, 4, 4], label: 'encoder/x' });
    expect(() => stack.outputShape([4, 1])).toThrow(/encoder\/x: input \[4,1\] is too short for 3 blocks/);
  });
});
