import { MetricInputError } from '../../errors.js';
import { pairwiseSum } from '../../util/fsum.js';
import { describe } from '../../util/validate.js';
import { boxIou, indexCocoInput, type CocoInput } from './cocoFormat.js';

export interface VocApOptions {
  /** A detection is a true positive when its best IoU is strictly above this. Default 0.5. */
  iouThreshold?: number;
}

export interface VocClassScores {
  /** All-point interpolated AP; null when the class has no (non-difficult) ground truth. */
  ap: number | null;
  /** Ground-truth boxes that count (not difficult or crowd). */
  numGroundTruth: number;
  /** Detections of the class. */
  numDetections: number;
}

export interface VocEvaluation {
  /** Scores per category id. */
  perClass: Record<number, VocClassScores>;
  /** Mean AP over classes with ground truth. */
  map: number;
}

/**
 * VOC 2010+ all-point interpolated AP: precision made monotone from the
 * right, integrated over the recall steps (`voc_ap(..., use_07_metric=False)`).
 */
export function allPointAp(recall: ArrayLike<number>, precision: ArrayLike<number>): number {
  const n = recall.length;
  const mrec = new Float64Array(n + 2);
  const mpre = new Float64Array(n + 2);
  mrec[n + 1] = 1;
  for (let i = 0; i < n; i++) {
    mrec[i + 1] = recall[i];
    mpre[i + 1] = precision[i];
  }
  for (let i = n + 1; i > 0; i--) mpre[i - 1] = Math.max(mpre[i - 1], mpre[i]);
  const terms: number[] = [];
  for (let i = 0; i < n + 1; i++) if (mrec[i + 1] !== mrec[i]) terms.push((mrec[i + 1] - mrec[i]) * mpre[i + 1]);
  return pairwiseSum(terms);
}

/**
 * PASCAL VOC detection AP per class, as the VOC devkit / py-faster-rcnn
 * `voc_eval` with `use_07_metric=False`: detections of a class over all
 * images sorted by descending score (stable), each matched to the
 * ground truth of its image with the highest IoU (first on ties); a
 * true positive when that IoU > `iouThreshold` and the ground truth is not
 * yet taken, ignored when it is difficult (`difficult` or `iscrowd`), else a
 * false positive. Input is COCO format; IoU uses continuous coordinates
 * (no VOC "+1" pixel convention).
 */
export function vocAp(input: CocoInput, options: VocApOptions = {}): VocEvaluation {
  const threshold = options.iouThreshold ?? 0.5;
  if (typeof threshold !== 'number' || !(threshold >= 0 && threshold <= 1)) {
    throw new MetricInputError('iouThreshold', `expected a number in [0, 1], got ${describe(threshold)}`);
  }
  const data = indexCocoInput(input);
  const perClass: Record<number, VocClassScores> = {};
  const aps: number[] = [];
  data.categoryIds.forEach((categoryId, k) => {
    const gtsByImage = new Map<number, { box: number[]; difficult: boolean; taken: boolean }[]>();
    let npos = 0;
    for (const g of data.gts) {
      if (g.category !== k) continue;
      const difficult = g.difficult || g.crowd;
      if (!difficult) npos++;
      const list = gtsByImage.get(g.image) ?? [];
      list.push({ box: g.box, difficult, taken: false });
      gtsByImage.set(g.image, list);
    }
    const dts = data.dts.filter((d) => d.category === k);
    dts.sort((a, b) => b.score - a.score || a.index - b.index);
    const tp = new Float64Array(dts.length);
    const fp = new Float64Array(dts.length);
    dts.forEach((d, j) => {
      const gts = gtsByImage.get(d.image) ?? [];
      let best = -Infinity;
      let bestIndex = -1;
      gts.forEach((g, gi) => {
        const iou = boxIou(d.box, g.box, false);
        if (iou > best) {
          best = iou;
          bestIndex = gi;
        }
      });
      if (bestIndex >= 0 && best > threshold) {
        const g = gts[bestIndex];
        if (g.difficult) return;
        if (!g.taken) {
          tp[j] = 1;
          g.taken = true;
        } else fp[j] = 1;
      } else fp[j] = 1;
    });
    if (npos === 0) {
      perClass[categoryId] = { ap: null, numGroundTruth: 0, numDetections: dts.length };
      return;
    }
    const rec = new Float64Array(dts.length);
    const prec = new Float64Array(dts.length);
    let ctp = 0;
    let cfp = 0;
    for (let j = 0; j < dts.length; j++) {
      ctp += tp[j];
      cfp += fp[j];
      rec[j] = ctp / npos;
      prec[j] = ctp / Math.max(ctp + cfp, 2.220446049250313e-16);
    }
    const ap = allPointAp(rec, prec);
    aps.push(ap);
    perClass[categoryId] = { ap, numGroundTruth: npos, numDetections: dts.length };
  });
  if (aps.length === 0) throw new MetricInputError('annotations', 'no class has ground truth, so mAP is undefined');
  return { perClass, map: pairwiseSum(aps) / aps.length };
}
