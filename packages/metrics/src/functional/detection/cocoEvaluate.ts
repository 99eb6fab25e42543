import { pairwiseSum } from '../../util/fsum.js';
import { boxIou, indexCocoInput, type CocoInput, type IndexedInput } from './cocoFormat.js';

/** pycocotools `Params` for bbox evaluation. */
const IOU_STEP = (0.95 - 0.5) / 9;
/** IoU thresholds 0.50:0.05:0.95, computed as `np.linspace` does so comparisons agree bit for bit. */
export const COCO_IOU_THRESHOLDS: readonly number[] = Array.from({ length: 10 }, (_, i) => (i === 9 ? 0.95 : i * IOU_STEP + 0.5));
/** The 101 recall thresholds 0:0.01:1 (`np.linspace(0, 1, 101)`). */
export const COCO_RECALL_THRESHOLDS: readonly number[] = Array.from({ length: 101 }, (_, i) => (i === 100 ? 1 : i * 0.01));
/** Area ranges all, small, medium, large (inclusive bounds, as pycocotools). */
export const COCO_AREA_RANGES: readonly (readonly [number, number])[] = [
  [0, 1e5 ** 2],
  [0, 32 ** 2],
  [32 ** 2, 96 ** 2],
  [96 ** 2, 1e5 ** 2],
];
export const COCO_MAX_DETS: readonly number[] = [1, 10, 100];

export interface CocoCategoryScores {
  /** AP over IoU 0.50:0.95, all areas, 100 detections; -1 without ground truth. */
  ap: number;
  ap50: number;
  ap75: number;
  /** Recall averaged over IoU 0.50:0.95 with 100 detections per image. */
  ar100: number;
}

export interface CocoEvaluation {
  /** COCOeval.stats in order: AP, AP50, AP75, APs, APm, APl, AR1, AR10, AR100, ARs, ARm, ARl; -1 where undefined. */
  stats: number[];
  /** Scores per category id. */
  perCategory: Record<number, CocoCategoryScores>;
}

/** What pycocotools' `evaluateImg` keeps for one image, category and area range. */
interface ImageEval {
  scores: Float64Array;
  /** matched[t * D + d]: detection d matched at threshold t. */
  matched: Uint8Array;
  /** ignored[t * D + d]: detection d ignored at threshold t. */
  ignored: Uint8Array;
  /** Ground truths not ignored in this area range. */
  gtCount: number;
}

const T = COCO_IOU_THRESHOLDS.length;
const R = COCO_RECALL_THRESHOLDS.length;
const A = COCO_AREA_RANGES.length;
const M = COCO_MAX_DETS.length;
const EPS = 2.220446049250313e-16; // np.spacing(1)

type Gt = IndexedInput['gts'][number];
type Dt = IndexedInput['dts'][number];

/** Detections sorted by descending score, stably (numpy mergesort on −score), truncated to `maxDet`. */
function sortDetections(dts: Dt[], maxDet: number): Dt[] {
  const order = dts.map((_, i) => i).sort((a, b) => dts[b].score - dts[a].score || a - b);
  return order.slice(0, maxDet).map((i) => dts[i]);
}

/** pycocotools `COCOeval.evaluateImg` for one (image, category, area range). */
function evaluateImage(gtsIn: Gt[], dts: Dt[], scores: Float64Array, ious: Float64Array, areaRange: readonly [number, number]): ImageEval {
  const G = gtsIn.length;
  const D = dts.length;
  const ignoreIn = gtsIn.map((g) => g.crowd || g.area < areaRange[0] || g.area > areaRange[1]);
  // Stable: ground truths not ignored first.
  const gtOrder = gtsIn.map((_, i) => i).sort((a, b) => Number(ignoreIn[a]) - Number(ignoreIn[b]) || a - b);
  const gtIgnore = gtOrder.map((i) => ignoreIn[i]);
  const crowd = gtOrder.map((i) => gtsIn[i].crowd);
  const matched = new Uint8Array(T * D);
  const ignored = new Uint8Array(T * D);
  const gtMatched = new Uint8Array(T * G);
  if (G > 0 && D > 0) {
    for (let t = 0; t < T; t++) {
      for (let d = 0; d < D; d++) {
        let iou = Math.min(COCO_IOU_THRESHOLDS[t], 1 - 1e-10);
        let m = -1;
        for (let g = 0; g < G; g++) {
          if (gtMatched[t * G + g] && !crowd[g]) continue;
          if (m > -1 && !gtIgnore[m] && gtIgnore[g]) break;
          const value = ious[d * G + gtOrder[g]];
          if (value < iou) continue;
          iou = value;
          m = g;
        }
        if (m === -1) continue;
        ignored[t * D + d] = gtIgnore[m] ? 1 : 0;
        matched[t * D + d] = 1;
        gtMatched[t * G + m] = 1;
      }
    }
  }
  for (let d = 0; d < D; d++) {
    if (dts[d].area < areaRange[0] || dts[d].area > areaRange[1]) {
      for (let t = 0; t < T; t++) if (!matched[t * D + d]) ignored[t * D + d] = 1;
    }
  }
  let gtCount = 0;
  for (const ig of gtIgnore) if (!ig) gtCount++;
  return { scores, matched, ignored, gtCount };
}

/** Mean of the entries > -1, or -1 if there are none (COCOeval.summarize). */
function meanDefined(values: number[]): number {
  const defined = values.filter((v) => v > -1);
  return defined.length === 0 ? -1 : pairwiseSum(defined) / defined.length;
}

/**
 * COCO bounding-box evaluation, exactly as pycocotools 2.0 `COCOeval`
 * (`iouType='bbox'`): per image and category, detections sorted by score
 * (stable, descending) and cut to 100; greedy matching at each IoU threshold
 * 0.50:0.05:0.95 in score order to the best-IoU unmatched ground truth
 * (ground truths outside the area range or crowd are ignored and sorted last;
 * crowd regions can match many detections, with IoU = intersection /
 * detection area); detections matched to ignored ground truths, and unmatched
 * ones outside the area range, are ignored. Per category, area range and
 * maxDets (1, 10, 100), detections of all images are merged by score (stable,
 * images in ascending id order), precision is made monotone from the right
 * and read at the 101 recall thresholds (first index with recall ≥ r, 0
 * beyond the last). A category without ground truth is -1 and left out of
 * the means. Detection areas are w × h; ground-truth areas come from `area`.
 * Deviation: annotations whose `id` is 0 match normally here (pycocotools
 * silently treats them as unmatched).
 */
export function cocoEvaluate(input: CocoInput): CocoEvaluation {
  const data = indexCocoInput(input);
  const K = data.categoryIds.length;
  const I = data.imageIds.length;
  const maxDet = COCO_MAX_DETS[M - 1];
  const groupsGt = new Map<number, Gt[]>();
  const groupsDt = new Map<number, Dt[]>();
  const key = (k: number, i: number) => k * I + i;
  for (const g of data.gts) {
    const list = groupsGt.get(key(g.category, g.image));
    if (list) list.push(g);
    else groupsGt.set(key(g.category, g.image), [g]);
  }
  for (const d of data.dts) {
    const list = groupsDt.get(key(d.category, d.image));
    if (list) list.push(d);
    else groupsDt.set(key(d.category, d.image), [d]);
  }
  const precision = new Float64Array(T * R * K * A * M).fill(-1);
  const recall = new Float64Array(T * K * A * M).fill(-1);
  const pIndex = (t: number, r: number, k: number, a: number, m: number) => (((t * R + r) * K + k) * A + a) * M + m;
  const rIndex = (t: number, k: number, a: number, m: number) => ((t * K + k) * A + a) * M + m;

  for (let k = 0; k < K; k++) {
    // evalImgs for this category: per area range, images in ascending id order.
    const evals: ImageEval[][] = Array.from({ length: A }, () => []);
    for (let i = 0; i < I; i++) {
      const gts = groupsGt.get(key(k, i)) ?? [];
      const dtsAll = groupsDt.get(key(k, i)) ?? [];
      if (gts.length === 0 && dtsAll.length === 0) continue;
      const dts = sortDetections(dtsAll, maxDet);
      const ious = new Float64Array(dts.length * gts.length);
      for (let d = 0; d < dts.length; d++) for (let g = 0; g < gts.length; g++) ious[d * gts.length + g] = boxIou(dts[d].box, gts[g].box, gts[g].crowd);
      const scores = new Float64Array(dts.length);
      for (let d = 0; d < dts.length; d++) scores[d] = dts[d].score;
      for (let a = 0; a < A; a++) evals[a].push(evaluateImage(gts, dts, scores, ious, COCO_AREA_RANGES[a]));
    }
    if (evals[0].length === 0) continue;
    // Detections of all images, merged by score once (stable: images in id order, then rank in image);
    // every maxDets cut is a filter of this order, since each image's list is already score-sorted.
    const first = evals[0];
    let total = 0;
    for (const e of first) total += e.scores.length;
    const mergedScores = new Float64Array(total);
    const source = new Uint32Array(total);
    const position = new Uint32Array(total);
    let p = 0;
    for (let ei = 0; ei < first.length; ei++) {
      const sc = first[ei].scores;
      for (let d = 0; d < sc.length; d++, p++) {
        mergedScores[p] = sc[d];
        source[p] = ei;
        position[p] = d;
      }
    }
    const order = new Uint32Array(total);
    for (let j = 0; j < total; j++) order[j] = j;
    order.sort((x, y) => mergedScores[y] - mergedScores[x] || x - y);
    const pr = new Float64Array(total);
    const rc = new Float64Array(total);
    for (let a = 0; a < A; a++) {
      const E = evals[a];
      const npig = E.reduce((s, e) => s + e.gtCount, 0);
      if (npig === 0) continue;
      for (let m = 0; m < M; m++) {
        const md = COCO_MAX_DETS[m];
        for (let t = 0; t < T; t++) {
          let tp = 0;
          let fp = 0;
          let n = 0;
          for (let j = 0; j < total; j++) {
            const o = order[j];
            const d = position[o];
            if (d >= md) continue;
            const e = E[source[o]];
            const at = t * e.scores.length + d;
            if (!e.ignored[at]) {
              if (e.matched[at]) tp++;
              else fp++;
            }
            rc[n] = tp / npig;
            pr[n] = tp / (fp + tp + EPS);
            n++;
          }
          recall[rIndex(t, k, a, m)] = n > 0 ? rc[n - 1] : 0;
          for (let j = n - 1; j > 0; j--) if (pr[j] > pr[j - 1]) pr[j - 1] = pr[j];
          let j = 0;
          for (let r = 0; r < R; r++) {
            while (j < n && rc[j] < COCO_RECALL_THRESHOLDS[r]) j++;
            precision[pIndex(t, r, k, a, m)] = j < n ? pr[j] : 0;
          }
        }
      }
    }
  }

  const mIndex = (maxDets: number) => COCO_MAX_DETS.indexOf(maxDets);
  const summarizeAp = (tSel: number[], a: number, m: number, kSel: number[]) => {
    const values: number[] = [];
    for (const t of tSel) for (let r = 0; r < R; r++) for (const k of kSel) values.push(precision[pIndex(t, r, k, a, m)]);
    return meanDefined(values);
  };
  const summarizeAr = (a: number, m: number, kSel: number[]) => {
    const values: number[] = [];
    for (let t = 0; t < T; t++) for (const k of kSel) values.push(recall[rIndex(t, k, a, m)]);
    return meanDefined(values);
  };
  const allT = Array.from({ length: T }, (_, t) => t);
  const allK = Array.from({ length: K }, (_, k) => k);
  const t50 = COCO_IOU_THRESHOLDS.indexOf(0.5);
  const t75 = COCO_IOU_THRESHOLDS.indexOf(0.75);
  const m100 = mIndex(100);
  const stats = [
    summarizeAp(allT, 0, m100, allK),
    summarizeAp([t50], 0, m100, allK),
    summarizeAp([t75], 0, m100, allK),
    summarizeAp(allT, 1, m100, allK),
    summarizeAp(allT, 2, m100, allK),
    summarizeAp(allT, 3, m100, allK),
    summarizeAr(0, mIndex(1), allK),
    summarizeAr(0, mIndex(10), allK),
    summarizeAr(0, m100, allK),
    summarizeAr(1, m100, allK),
    summarizeAr(2, m100, allK),
    summarizeAr(3, m100, allK),
  ];
  const perCategory: Record<number, CocoCategoryScores> = {};
  data.categoryIds.forEach((id, k) => {
    perCategory[id] = {
      ap: summarizeAp(allT, 0, m100, [k]),
      ap50: summarizeAp([t50], 0, m100, [k]),
      ap75: summarizeAp([t75], 0, m100, [k]),
      ar100: summarizeAr(0, m100, [k]),
    };
  });
  return { stats, perCategory };
}
