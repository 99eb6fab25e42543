import { pairwiseSum } from '../../util/fsum.js';
import { checkCaptions, type Caption } from './captions.js';

export interface CiderResult {
  /** Mean CIDEr-D over images. */
  score: number;
  /** CIDEr-D of each image's candidate. */
  scores: number[];
}

const N = 4;
const SIGMA = 6;

/** n-gram counts of orders 1..4, one map per order (keys are tokens joined with U+0001). */
function precook(tokens: string[]): Map<string, number>[] {
  const counts = Array.from({ length: N }, () => new Map<string, number>());
  for (let k = 1; k <= N; k++) {
    for (let i = 0; i + k <= tokens.length; i++) {
      const key = tokens.slice(i, i + k).join('\u0001');
      counts[k - 1].set(key, (counts[k - 1].get(key) ?? 0) + 1);
    }
  }
  return counts;
}

interface TfIdf {
  vec: Map<string, number>[];
  norm: number[];
  length: number;
}

/**
 * CIDEr-D, as the COCO caption evaluation computes it (coco-caption
 * `pycocoevalcap/cider/cider_scorer.py`, Vedantam's CIDEr-D): n = 1..4,
 * document frequency over the references of the evaluated set,
 * idf = log(#images) − log(max(1, df)), tf-idf vectors, candidate weights
 * clipped by the reference's, cosine similarity × exp(−δ²/2σ²) with σ = 6,
 * mean over n, mean over references, × 10, mean over images. δ is the
 * difference of the counts coco-caption accumulates as "length" — which, by a
 * long-standing quirk kept for identical numbers, are bigram counts.
 * Captions must be tokenised already (coco-caption runs the PTB tokenizer).
 */
export function ciderD(candidates: readonly Caption[], references: readonly (readonly Caption[])[]): CiderResult {
  const { cands, refs } = checkCaptions(candidates, references);
  const crefs = refs.map((rs) => rs.map(precook));
  const ctest = cands.map(precook);
  const documentFrequency = new Map<string, number>();
  for (const rs of crefs) {
    const seen = new Set<string>();
    for (const r of rs) for (let n = 0; n < N; n++) for (const key of r[n].keys()) seen.add(`${n}\u0002${key}`);
    for (const key of seen) documentFrequency.set(key, (documentFrequency.get(key) ?? 0) + 1);
  }
  const refLen = Math.log(crefs.length);
  const toVec = (counts: Map<string, number>[]): TfIdf => {
    const vec = Array.from({ length: N }, () => new Map<string, number>());
    const norm = new Array<number>(N).fill(0);
    let length = 0;
    for (let n = 0; n < N; n++) {
      for (const [ngram, tf] of counts[n]) {
        const df = Math.log(Math.max(1, documentFrequency.get(`${n}\u0002${ngram}`) ?? 0));
        const w = tf * (refLen - df);
        vec[n].set(ngram, w);
        norm[n] += w * w;
        if (n === 1) length += tf;
      }
    }
    return { vec, norm: norm.map(Math.sqrt), length };
  };
  const scores = ctest.map((test, i) => {
    const hyp = toVec(test);
    const score = new Array<number>(N).fill(0);
    for (const refCounts of crefs[i]) {
      const ref = toVec(refCounts);
      const delta = hyp.length - ref.length;
      for (let n = 0; n < N; n++) {
        let val = 0;
        for (const [ngram, w] of hyp.vec[n]) {
          const r = ref.vec[n].get(ngram) ?? 0;
          val += Math.min(w, r) * r;
        }
        if (hyp.norm[n] !== 0 && ref.norm[n] !== 0) val /= hyp.norm[n] * ref.norm[n];
        val *= Math.E ** (-(delta * delta) / (2 * SIGMA * SIGMA));
        score[n] += val;
      }
    }
    return ((pairwiseSum(score) / N) / crefs[i].length) * 10;
  });
  return { score: pairwiseSum(scores) / scores.length, scores };
}
