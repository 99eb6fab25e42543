import { describe, expect, it } from 'vitest';
import { vocAp } from '../../index.js';

const images = [{ id: 1 }, { id: 2 }];
const categories = [{ id: 1 }, { id: 2 }];

// Hand-derived from voc_eval (use_07_metric=False).
describe('vocAp', () => {
  it('integrates the monotone precision envelope over recall steps', () => {
    const result = vocAp({
      images,
      categories,
      annotations: [
        { image_id: 1, category_id: 1, bbox: [0, 0, 10, 10] },
        { image_id: 2, category_id: 1, bbox: [0, 0, 10, 10] },
        { image_id: 2, category_id: 1, bbox: [40, 40, 10, 10], difficult: true },
      ],
      detections: [
        { image_id: 1, category_id: 1, bbox: [0, 0, 10, 10], score: 0.9 }, // TP
        { image_id: 1, category_id: 1, bbox: [0, 0, 10, 10], score: 0.8 }, // duplicate: FP
        { image_id: 2, category_id: 1, bbox: [40, 40, 10, 10], score: 0.7 }, // on a difficult box: ignored
        { image_id: 2, category_id: 1, bbox: [0, 0, 10, 10], score: 0.6 }, // TP
      ],
    });
    // recall [.5, .5, .5, 1], precision [1, 1/2, 1/2, 2/3]: AP = 0.5·1 + 0.5·(2/3).
    expect(result.perClass[1].ap).toBeCloseTo(0.5 + 1 / 3, 14);
    expect(result.perClass[1].numGroundTruth).toBe(2);
    expect(result.perClass[2]).toEqual({ ap: null, numGroundTruth: 0, numDetections: 0 });
    expect(result.map).toBeCloseTo(0.5 + 1 / 3, 14);
  });

  it('needs IoU strictly above the threshold', () => {
    // IoU = 50 / 150 = 1/3.
    const input = {
      images,
      categories,
      annotations: [{ image_id: 1, category_id: 1, bbox: [0, 0, 10, 10] }],
      detections: [{ image_id: 1, category_id: 1, bbox: [5, 0, 10, 10], score: 0.9 }],
    };
    expect(vocAp(input).perClass[1].ap).toBe(0);
    expect(vocAp(input, { iouThreshold: 0.3 }).perClass[1].ap).toBe(1);
    expect(() => vocAp(input, { iouThreshold: 2 })).toThrow(/iouThreshold/);
  });
});
