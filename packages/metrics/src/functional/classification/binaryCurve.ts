/** Cumulative counts at each distinct score threshold, highest threshold first. */
export interface BinaryCurve {
  /** False positives with score >= threshold. */
  fps: Float64Array;
  /** True positives with score >= threshold. */
  tps: Float64Array;
  /** The distinct scores, descending. */
  thresholds: Float64Array;
}

/**
 * scikit-learn 1.2 `_binary_clf_curve` without sample weights: one point per
 * distinct score (ties grouped by exact equality), thresholds descending.
 * Positive and negative scores are sorted separately with the native numeric
 * sort and merged, which is exact and much faster than an index sort.
 * `positive[i]` is 1 for a positive sample; scores must be finite.
 */
export function binaryCurve(positive: ArrayLike<number>, scores: ArrayLike<number>): BinaryCurve {
  const n = scores.length;
  let nPos = 0;
  for (let i = 0; i < n; i++) nPos += positive[i];
  const pos = new Float64Array(nPos);
  const neg = new Float64Array(n - nPos);
  for (let i = 0, p = 0, q = 0; i < n; i++) {
    if (positive[i]) pos[p++] = scores[i];
    else neg[q++] = scores[i];
  }
  pos.sort();
  neg.sort();
  const fps = new Float64Array(n);
  const tps = new Float64Array(n);
  const thresholds = new Float64Array(n);
  let i = nPos - 1;
  let j = n - nPos - 1;
  let tp = 0;
  let fp = 0;
  let k = 0;
  while (i >= 0 || j >= 0) {
    const threshold = i < 0 ? neg[j] : j < 0 ? pos[i] : Math.max(pos[i], neg[j]);
    while (i >= 0 && pos[i] === threshold) {
      tp++;
      i--;
    }
    while (j >= 0 && neg[j] === threshold) {
      fp++;
      j--;
    }
    fps[k] = fp;
    tps[k] = tp;
    thresholds[k] = threshold;
    k++;
  }
  return { fps: fps.subarray(0, k), tps: tps.subarray(0, k), thresholds: thresholds.subarray(0, k) };
}
