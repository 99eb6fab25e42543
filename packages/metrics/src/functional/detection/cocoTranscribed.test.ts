import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cocoEvaluate, type CocoCategoryScores, type CocoInput } from '../../index.js';

// fixtures/coco_transcribed.json: random data (tied scores, crowd regions, all area ranges, >100
// detections in one image, a category without ground truth) scored by a line-by-line Python
// transcription of pycocotools 2.0 COCOeval (pycocotools itself cannot be installed here).
const fixture = JSON.parse(readFileSync(new URL('../../../fixtures/coco_transcribed.json', import.meta.url), 'utf8')) as CocoInput & {
  stats: number[];
  perCategory: Record<string, CocoCategoryScores>;
};

describe('cocoEvaluate against the transcribed COCOeval', () => {
  const result = cocoEvaluate(fixture);

  it('gives the 12 summary stats', () => {
    fixture.stats.forEach((s, i) => expect(result.stats[i]).toBeCloseTo(s, 12));
  });

  it('gives the per-category scores, -1 for the category without ground truth', () => {
    for (const [id, expected] of Object.entries(fixture.perCategory)) {
      const actual = result.perCategory[Number(id)];
      expect(actual.ap).toBeCloseTo(expected.ap, 12);
      expect(actual.ap50).toBeCloseTo(expected.ap50, 12);
      expect(actual.ap75).toBeCloseTo(expected.ap75, 12);
      expect(actual.ar100).toBeCloseTo(expected.ar100, 12);
    }
    expect(result.perCategory[2].ap).toBe(-1);
  });
});
