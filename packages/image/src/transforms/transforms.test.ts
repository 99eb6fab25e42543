import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '@polyfuse/core';
import { centerCrop, crop, normalize, resizeBilinear, type ImageArray } from '../index.js';

const ramp = (h: number, w: number, c: number): ImageArray => ({
  data: Float32Array.from({ length: h * w * c }, (_, i) => (i * 37) % 101),
  height: h,
  width: w,
  channels: c,
});

describe('image transforms', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'cpu', log: null });
  });

  it('resizes exactly like tf.image.resizeBilinear with half-pixel centres (down and up)', () => {
    const image = ramp(7, 9, 3);
    for (const [h, w] of [[4, 5], [11, 13], [7, 3]] as const) {
      const ours = resizeBilinear(image, h, w);
      const reference = tf.image.resizeBilinear(tf.tensor3d(image.data, [7, 9, 3]), [h, w], false, true).dataSync();
      expect(ours.data.length).toBe(reference.length);
      ours.data.forEach((v, i) => expect(v).toBeCloseTo(reference[i]!, 3));
    }
  });

  it('crops, pads outside the image, and centre-crops like torchvision', () => {
    const image = ramp(4, 4, 1);
    expect(Array.from(crop(image, 1, 1, 2, 2).data)).toEqual([image.data[5], image.data[6], image.data[9], image.data[10]]);
    expect(Array.from(crop(image, -1, -1, 2, 2).data)).toEqual([0, 0, 0, image.data[0]]);
    expect(Array.from(centerCrop(image, 2, 2).data)).toEqual(Array.from(crop(image, 1, 1, 2, 2).data));
  });

  it('normalises per channel and rejects a wrong number of means', () => {
    const image = { data: new Float32Array([0.5, 1, 0.5, 1]), height: 1, width: 2, channels: 2 };
    expect(Array.from(normalize(image, [0.5, 0], [0.5, 2]).data)).toEqual([0, 0.5, 0, 0.5]);
    expect(() => normalize(image, [0.1, 0.2, 0.3], [1])).toThrow(/normalize.mean has 3 values; expected 1 or 2/);
  });
});
