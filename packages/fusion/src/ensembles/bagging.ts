import { InputError, SeededRandom } from '@polyfuse/core';

/** Bootstrap bags: indices drawn with replacement, and the out-of-bag samples of each bag. */
export interface BootstrapBags {
  inBag: number[][];
  outOfBag: number[][];
}

/**
 * Bagging (Breiman, 1996): `numBags` bootstrap samples of `numSamples`
 * indices (drawn uniformly with replacement, each bag as large as the data),
 * seeded. Train one unimodal model per bag, then combine their predictions
 * with `averagePredictions` or `majorityVote`; each bag's out-of-bag indices
 * give held-out predictions for `StackingMetaLearner`.
 */
export function bootstrapBags(numSamples: number, numBags: number, seed: number): BootstrapBags {
  if (!Number.isInteger(numSamples) || numSamples < 1) throw new InputError(`bootstrapBags: numSamples must be a positive integer, got ${numSamples}.`);
  if (!Number.isInteger(numBags) || numBags < 1) throw new InputError(`bootstrapBags: numBags must be a positive integer, got ${numBags}.`);
  const random = new SeededRandom(seed);
  const inBag: number[][] = [];
  const outOfBag: number[][] = [];
  for (let b = 0; b < numBags; b++) {
    const bag = Array.from({ length: numSamples }, () => random.int(numSamples));
    const seen = new Set(bag);
    inBag.push(bag);
    outOfBag.push(Array.from({ length: numSamples }, (_, i) => i).filter((i) => !seen.has(i)));
  }
  return { inBag, outOfBag };
}

function checkMembers(predictions: number[][][]): void {
  if (predictions.length === 0) throw new InputError('An ensemble needs the predictions of at least one model.');
  const [n, c] = [predictions[0].length, predictions[0][0]?.length];
  predictions.forEach((p, k) => {
    if (p.length !== n || p.some((row) => row.length !== c)) throw new InputError(`Ensemble member ${k} predicts a ${p.length}×${p[0]?.length} array; member 0 predicts ${n}×${c}.`);
  });
}

/** Mean of the members' predictions (e.g. class probabilities), `[sample][class]`; optional weights per member. */
export function averagePredictions(predictions: number[][][], weights?: number[]): number[][] {
  checkMembers(predictions);
  const w = weights ?? predictions.map(() => 1);
  if (w.length !== predictions.length || w.some((v) => !(v >= 0)) || w.every((v) => v === 0)) {
    throw new InputError(`averagePredictions: weights must be ${predictions.length} non-negative numbers, not all 0.`);
  }
  const total = w.reduce((a, b) => a + b, 0);
  return predictions[0].map((row, i) => row.map((_, c) => predictions.reduce((s, p, k) => s + (w[k] * p[i][c]) / total, 0)));
}

/** Majority vote over the members' arg-max classes; ties go to the lowest class id. */
export function majorityVote(predictions: number[][][]): number[] {
  checkMembers(predictions);
  const classes = predictions[0][0].length;
  return predictions[0].map((_, i) => {
    const votes = new Array(classes).fill(0);
    for (const p of predictions) votes[p[i].indexOf(Math.max(...p[i]))] += 1;
    return votes.indexOf(Math.max(...votes));
  });
}
