import { pairwiseSum } from '../../util/fsum.js';
import { checkCaptions, type Caption } from './captions.js';

export interface RougeLResult {
  /** Mean ROUGE-L over images. */
  score: number;
  /** ROUGE-L of each image's candidate. */
  scores: number[];
}

/** Length of the longest common subsequence of two token arrays. */
export function lcsLength(a: readonly string[], b: readonly string[]): number {
  if (a.length < b.length) [a, b] = [b, a];
  let prev = new Uint32Array(b.length + 1);
  let cur = new Uint32Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) cur[j] = a[i - 1] === b[j - 1] ? prev[j - 1] + 1 : Math.max(prev[j], cur[j - 1]);
    [prev, cur] = [cur, prev];
  }
  return prev[b.length];
}

const BETA = 1.2;

/**
 * ROUGE-L, as the COCO caption evaluation (coco-caption
 * `pycocoevalcap/rouge/rouge.py`): per image, the longest common subsequence
 * with each reference gives precision LCS/|candidate| and recall
 * LCS/|reference|; with the maxima over references P and R, the score is
 * (1 + β²)·P·R / (R + β²·P) with β = 1.2, or 0 if either is 0; then the mean
 * over images. An empty candidate or reference contributes 0.
 */
export function rougeL(candidates: readonly Caption[], references: readonly (readonly Caption[])[]): RougeLResult {
  const { cands, refs } = checkCaptions(candidates, references);
  const scores = cands.map((cand, i) => {
    let precMax = 0;
    let recMax = 0;
    for (const ref of refs[i]) {
      const lcs = lcsLength(ref, cand);
      precMax = Math.max(precMax, cand.length === 0 ? 0 : lcs / cand.length);
      recMax = Math.max(recMax, ref.length === 0 ? 0 : lcs / ref.length);
    }
    if (precMax === 0 || recMax === 0) return 0;
    return ((1 + BETA ** 2) * precMax * recMax) / (recMax + BETA ** 2 * precMax);
  });
  return { score: pairwiseSum(scores) / scores.length, scores };
}
