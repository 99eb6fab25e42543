import { describe, expect, it } from 'vitest';
import { MetricInputError, cocoEvaluate, type CocoAnnotation, type CocoDetection } from '../../index.js';

// Hand-derived from pycocotools 2.0 COCOeval's rules. With 101 recall
// thresholds, precision 1 up to recall 0.5 and nothing after gives
// AP = 51/101 (thresholds 0.00 ... 0.50).
const categories = [{ id: 1 }, { id: 2 }];
const box = (x: number, y: number, w: number, h: number) => [x, y, w, h];
const gt = (image_id: number, bbox: number[], extra: Partial<CocoAnnotation> = {}): CocoAnnotation => ({
  image_id,
  category_id: 1,
  bbox,
  area: bbox[2] * bbox[3],
  iscrowd: 0,
  ...extra,
});
const dt = (image_id: number, bbox: number[], score: number, category_id = 1): CocoDetection => ({ image_id, category_id, bbox, score });

/** Precision is tp / (tp + fp + ε) there, so a perfect score is 1 − 2.2e-16: compare to 12 digits. */
const close = (actual: number[], expected: number[]) => expected.forEach((e, i) => expect(actual[i]).toBeCloseTo(e, 12));

describe('cocoEvaluate', () => {
  it('scores a perfect detection 1 and leaves undefined entries at -1', () => {
    const { stats, perCategory } = cocoEvaluate({
      images: [{ id: 7 }],
      categories,
      annotations: [gt(7, box(10, 10, 20, 20))], // area 400: small
      detections: [dt(7, box(10, 10, 20, 20), 0.9)],
    });
    close(stats, [1, 1, 1, 1, -1, -1, 1, 1, 1, 1, -1, -1]);
    // Category 2 has no ground truth: -1, and left out of the means above.
    expect(perCategory[2]).toEqual({ ap: -1, ap50: -1, ap75: -1, ar100: -1 });
    const c = perCategory[1];
    close([c.ap, c.ap50, c.ap75, c.ar100], [1, 1, 1, 1]);
  });

  it('reads precision at the 101 recall thresholds', () => {
    const { stats } = cocoEvaluate({
      images: [{ id: 1 }],
      categories,
      annotations: [gt(1, box(0, 0, 10, 10)), gt(1, box(50, 50, 10, 10))],
      detections: [dt(1, box(0, 0, 10, 10), 0.9), dt(1, box(100, 100, 10, 10), 0.8)],
    });
    expect(stats[0]).toBeCloseTo(51 / 101, 14);
    expect(stats[8]).toBe(0.5); // AR100
  });

  it('counts a match only at the IoU thresholds it reaches', () => {
    // IoU = 10·9 / (10·10 + 10·10 − 90) = 90/110 ≈ 0.818: matched at 0.50 ... 0.80 (7 of 10 thresholds).
    const { stats } = cocoEvaluate({
      images: [{ id: 1 }],
      categories,
      annotations: [gt(1, box(0, 0, 10, 10))],
      detections: [dt(1, box(0, 1, 10, 10), 0.9)],
    });
    expect(stats[0]).toBeCloseTo(0.7, 14);
    expect(stats[1]).toBeCloseTo(1, 12);
    expect(stats[2]).toBeCloseTo(1, 12);
    expect(stats[8]).toBeCloseTo(0.7, 14);
  });

  it('merges tied scores across images in ascending image id order', () => {
    // One ground truth per image; image 1's detection misses, image 2's hits; both score 0.5.
    const run = (missImage: number, hitImage: number) =>
      cocoEvaluate({
        images: [{ id: 1 }, { id: 2 }],
        categories,
        annotations: [gt(1, box(0, 0, 10, 10)), gt(2, box(0, 0, 10, 10))],
        detections: [dt(missImage, box(50, 50, 10, 10), 0.5), dt(hitImage, box(0, 0, 10, 10), 0.5)],
      }).stats[0];
    // Miss first: precisions [0, 1/2] -> monotone [1/2, 1/2]: AP = 0.5 · 51/101.
    expect(run(1, 2)).toBeCloseTo((0.5 * 51) / 101, 14);
    // Hit first: precisions [1, 1/2]: AP = 51/101.
    expect(run(2, 1)).toBeCloseTo(51 / 101, 14);
  });

  it('ignores detections on crowd regions (IoU over detection area) instead of counting them false', () => {
    const { stats } = cocoEvaluate({
      images: [{ id: 1 }],
      categories,
      annotations: [gt(1, box(0, 0, 10, 10)), gt(1, box(100, 100, 100, 100), { iscrowd: 1 })],
      detections: [
        dt(1, box(120, 120, 10, 10), 0.95), // inside the crowd: IoU = 100/100 = 1 -> ignored
        dt(1, box(150, 150, 10, 10), 0.94), // the crowd matches again
        dt(1, box(0, 0, 10, 10), 0.9),
      ],
    });
    expect(stats[0]).toBeCloseTo(1, 12);
  });

  it('keeps only the top maxDets detections per image and category', () => {
    const detections = [
      dt(1, box(200, 200, 10, 10), 0.99), // false positive, highest score
      dt(1, box(0, 0, 10, 10), 0.5),
      dt(1, box(50, 50, 10, 10), 0.4),
    ];
    const { stats } = cocoEvaluate({
      images: [{ id: 1 }],
      categories,
      annotations: [gt(1, box(0, 0, 10, 10)), gt(1, box(50, 50, 10, 10))],
      detections,
    });
    expect(stats[6]).toBe(0); // AR1: only the false positive survives
    expect(stats[7]).toBeCloseTo(1, 12); // AR10
    // AP100: precisions [0, 1/2, 2/3] -> monotone [2/3, 2/3, 2/3] at every threshold.
    expect(stats[0]).toBeCloseTo(2 / 3, 14);
    // 150 detections: those past the 100th are dropped even at maxDets 100.
    const many = Array.from({ length: 150 }, (_, i) => dt(1, box(500 + i, 500, 10, 10), 0.9));
    const cut = cocoEvaluate({
      images: [{ id: 1 }],
      categories,
      annotations: [gt(1, box(0, 0, 10, 10))],
      detections: [...many, dt(1, box(0, 0, 10, 10), 0.1)],
    });
    expect(cut.stats[8]).toBe(0);
  });

  it('uses area ranges for ground truth and for unmatched detections', () => {
    const { stats } = cocoEvaluate({
      images: [{ id: 1 }],
      categories,
      annotations: [gt(1, box(0, 0, 100, 100))], // large (area 10000 > 96²)
      detections: [dt(1, box(0, 0, 100, 100), 0.9), dt(1, box(300, 300, 5, 5), 0.95)], // a small false positive
    });
    expect(stats[5]).toBeCloseTo(1, 12); // APl: the small false positive is ignored in the large range
    expect(stats[0]).toBeCloseTo(0.5 * 101 / 101, 14); // all areas: FP first, then TP -> precision 1/2
    expect(stats[3]).toBe(-1); // no small ground truth
  });

  it('rejects bad input naming the argument', () => {
    const base = { images: [{ id: 1 }], categories, annotations: [gt(1, box(0, 0, 1, 1))], detections: [] as CocoDetection[] };
    expect(() => cocoEvaluate({ ...base, detections: [dt(2, box(0, 0, 1, 1), 0.5)] })).toThrow(/detections\[0\]\.image_id/);
    expect(() => cocoEvaluate({ ...base, detections: [dt(1, box(0, 0, -1, 1), 0.5)] })).toThrow(/detections\[0\]\.bbox/);
    expect(() => cocoEvaluate({ ...base, detections: [dt(1, box(0, 0, 1, 1), Number.NaN)] })).toThrow(/detections\[0\]\.score/);
    expect(() => cocoEvaluate({ ...base, annotations: [gt(1, box(0, 0, 1, 1), { category_id: 9 })] })).toThrow(/annotations\[0\]\.category_id/);
    expect(() => cocoEvaluate({ ...base, images: [] })).toThrow(MetricInputError);
  });
});
