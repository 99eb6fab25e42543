import { InputError, SeededRandom } from '@polyfuse/core';

/** Why SAMME boosting stopped adding members (null while it may go on). */
export type SammeStopReason = 'max-members' | 'perfect-member' | 'worse-than-chance' | 'degenerate-weights';

/** One SAMME round: the member's weighted error, its weight and the sample weights for the next member. */
export interface SammeRound {
  /** `Σ_i w_i [ŷ_i ≠ y_i] / Σ_i w_i` under the sample weights the member was trained for. */
  error: number;
  /** The member's weight `α = learningRate · (log((1 − error) / error) + log(K − 1))`; 1 for a perfect member (`error` 0), as scikit-learn. */
  alpha: number;
  /** The next member's sample weights: `w_i · exp(α [ŷ_i ≠ y_i])`, normalised to sum 1 (unchanged after a perfect member). */
  nextWeights: number[];
}

function checkClassIds(values: number[], numClasses: number, what: string): void {
  values.forEach((v, i) => {
    if (!Number.isInteger(v) || v < 0 || v >= numClasses) throw new InputError(`${what}[${i}] must be a class id in 0..${numClasses - 1}, got ${v}.`);
  });
}

function checkNumClasses(numClasses: number, what: string): void {
  if (!Number.isInteger(numClasses) || numClasses < 2) throw new InputError(`${what}: numClasses must be an integer >= 2, got ${numClasses}.`);
}

/**
 * One round of SAMME (Zhu, Zou, Rosset & Hastie, "Multi-class AdaBoost",
 * 2009), exactly as scikit-learn 1.2's `AdaBoostClassifier(algorithm="SAMME")`
 * (`_boost_discrete`): with `sampleWeights` the weights the member was trained
 * for and `predicted` its classes on the training samples,
 * `error = Σ w_i [ŷ_i ≠ y_i] / Σ w_i`,
 * `α = learningRate · (log((1 − error)/error) + log(K − 1))` and the next
 * weights `w_i · exp(α [ŷ_i ≠ y_i])`, normalised. A member is better than
 * chance when `error < 1 − 1/K`; this function throws for one that is not
 * (`SammeBoosting.addMember` rejects it and stops instead). A perfect member
 * (`error` 0) gets `α = 1` and leaves the weights as they are, as in
 * scikit-learn, where it ends the boosting.
 */
export function sammeRound(sampleWeights: number[], predicted: number[], labels: number[], numClasses: number, learningRate = 1): SammeRound {
  checkNumClasses(numClasses, 'sammeRound');
  if (labels.length === 0) throw new InputError('sammeRound: no training samples.');
  if (sampleWeights.length !== labels.length || predicted.length !== labels.length) {
    throw new InputError(`sammeRound: ${labels.length} labels, ${sampleWeights.length} sample weights and ${predicted.length} predictions; all three must be as long.`);
  }
  if (!(learningRate > 0) || !Number.isFinite(learningRate)) throw new InputError(`sammeRound: learningRate must be a finite number > 0, got ${learningRate}.`);
  checkClassIds(labels, numClasses, 'sammeRound: labels');
  checkClassIds(predicted, numClasses, 'sammeRound: predicted');
  if (sampleWeights.some((w) => !(w >= 0) || !Number.isFinite(w))) throw new InputError('sammeRound: sample weights must be finite and >= 0.');
  const total = sampleWeights.reduce((a, b) => a + b, 0);
  if (!(total > 0)) throw new InputError('sammeRound: the sample weights sum to 0.');
  const wrong = predicted.map((p, i) => p !== labels[i]);
  const error = wrong.reduce((s, w, i) => s + (w ? sampleWeights[i] : 0), 0) / total;
  if (error <= 0) return { error: 0, alpha: 1, nextWeights: sampleWeights.map((w) => w / total) };
  const chance = 1 - 1 / numClasses;
  if (error >= chance) {
    throw new InputError(`sammeRound: the member's weighted error ${error.toPrecision(4)} is not below 1 − 1/K = ${chance.toPrecision(4)} (K = ${numClasses}): it is no better than guessing, so SAMME gives it no weight.`);
  }
  const alpha = learningRate * (Math.log((1 - error) / error) + Math.log(numClasses - 1));
  const boosted = sampleWeights.map((w, i) => (wrong[i] && w > 0 ? w * Math.exp(alpha) : w));
  const boostedTotal = boosted.reduce((a, b) => a + b, 0);
  return { error, alpha, nextWeights: boosted.map((w) => w / boostedTotal) };
}

/** SAMME's vote: per sample, `Σ_m α_m [ŷ_m = c] / Σ_m α_m` for each class c (scikit-learn's `decision_function`, before its 2-class folding). */
export function sammeScores(memberPredictions: number[][], alphas: number[], numClasses: number): number[][] {
  checkNumClasses(numClasses, 'sammeScores');
  if (memberPredictions.length === 0) throw new InputError('sammeScores: a boosted ensemble needs at least one member.');
  if (alphas.length !== memberPredictions.length) throw new InputError(`sammeScores: ${memberPredictions.length} members' predictions but ${alphas.length} member weights.`);
  const n = memberPredictions[0].length;
  memberPredictions.forEach((p, m) => {
    if (p.length !== n) throw new InputError(`sammeScores: member ${m} predicts ${p.length} samples; member 0 predicts ${n}.`);
    checkClassIds(p, numClasses, `sammeScores: member ${m}'s predictions`);
  });
  const total = alphas.reduce((a, b) => a + b, 0);
  if (!(total > 0)) throw new InputError('sammeScores: the member weights sum to 0.');
  return Array.from({ length: n }, (_, i) => {
    const row = new Array<number>(numClasses).fill(0);
    memberPredictions.forEach((p, m) => (row[p[i]] += alphas[m] / total));
    return row;
  });
}

/** The fitted state of a `SammeBoosting`; `toJSON()` / `fromJSON` save and restore it. */
export interface SammeBoostingState {
  numClasses: number;
  learningRate: number;
  /** Weight α of each accepted member, in training order. */
  alphas: number[];
  /** Weighted training error of each accepted member. */
  errors: number[];
  stopReason: SammeStopReason | null;
}

export interface SammeBoostingOptions {
  /** The number of classes K (>= 2). */
  numClasses: number;
  /** The training labels, class ids in `0..K-1`. */
  labels: number[];
  /** Most members to train; default 10. */
  maxMembers?: number;
  /** Shrinks every α; default 1 (scikit-learn's `learning_rate`). */
  learningRate?: number;
  /** Seed of `resample`; default 0. */
  seed?: number;
}

/**
 * SAMME boosting of any classifiers (e.g. polyfuse models) that are trained
 * one after another:
 *
 * ```ts
 * const boosting = new SammeBoosting({ numClasses: 10, labels, maxMembers: 5 });
 * while (!boosting.stopped) {
 *   const model = await train(boosting.resample());        // "SAMME with resampling": a weighted bootstrap of the training samples
 *   boosting.addMember(classesOf(model, trainingSamples)); // its classes on all training samples, in order
 * }
 * const classes = boosting.predict(members.map((m) => classesOf(m, testSamples)));
 * ```
 *
 * Each member is trained for the current sample weights, either on
 * `resample()` (indices drawn with replacement in proportion to the weights,
 * as many as there are samples) or with a sample-weighted loss; `addMember`
 * computes its error and weight and the next weights (`sammeRound`). The
 * rules are scikit-learn 1.2's `AdaBoostClassifier(algorithm="SAMME")`: a
 * member whose weighted error is not below `1 − 1/K` is rejected and ends the
 * boosting (for the first member that is an error: nothing to boost); a
 * perfect member is kept with weight 1 and ends it; so does reaching
 * `maxMembers`. `predict` / `predictProba` combine the accepted members'
 * classes by the α-weighted vote (`sammeScores`); `predictProba` is
 * scikit-learn's `softmax(scores / (K − 1))`.
 */
export class SammeBoosting {
  readonly numClasses: number;
  readonly learningRate: number;
  readonly maxMembers: number;
  private readonly labels: number[];
  private readonly random: SeededRandom;
  private weights: number[];
  private readonly alphaList: number[] = [];
  private readonly errorList: number[] = [];
  private reason: SammeStopReason | null = null;

  constructor(options: SammeBoostingOptions) {
    checkNumClasses(options.numClasses, 'SammeBoosting');
    if (!Array.isArray(options.labels) || options.labels.length === 0) throw new InputError('SammeBoosting: labels must hold at least one training label.');
    checkClassIds(options.labels, options.numClasses, 'SammeBoosting: labels');
    const maxMembers = options.maxMembers ?? 10;
    if (!Number.isInteger(maxMembers) || maxMembers < 1) throw new InputError(`SammeBoosting: maxMembers must be an integer >= 1, got ${maxMembers}.`);
    const learningRate = options.learningRate ?? 1;
    if (!(learningRate > 0) || !Number.isFinite(learningRate)) throw new InputError(`SammeBoosting: learningRate must be a finite number > 0, got ${learningRate}.`);
    this.numClasses = options.numClasses;
    this.learningRate = learningRate;
    this.maxMembers = maxMembers;
    this.labels = [...options.labels];
    this.random = new SeededRandom(options.seed ?? 0);
    this.weights = this.labels.map(() => 1 / this.labels.length);
  }

  /** The sample weights the next member is to be trained for (sum 1). */
  get sampleWeights(): readonly number[] {
    return this.weights;
  }

  get alphas(): readonly number[] {
    return this.alphaList;
  }

  get errors(): readonly number[] {
    return this.errorList;
  }

  get members(): number {
    return this.alphaList.length;
  }

  /** Why no further member should be trained; null while boosting goes on. */
  get stopReason(): SammeStopReason | null {
    return this.reason;
  }

  get stopped(): boolean {
    return this.reason !== null;
  }

  /**
   * A weighted bootstrap of the training samples for the next member: as many
   * indices as samples, drawn with replacement with probability
   * `sampleWeights[i]` (seeded; the draws go on from one call to the next).
   */
  resample(): number[] {
    const cumulative: number[] = [];
    let sum = 0;
    for (const w of this.weights) cumulative.push((sum += w));
    return this.weights.map(() => {
      const u = this.random.next() * sum;
      let low = 0;
      let high = cumulative.length - 1;
      while (low < high) {
        const mid = (low + high) >> 1;
        if (cumulative[mid] > u) high = mid;
        else low = mid + 1;
      }
      return low;
    });
  }

  /**
   * Adds the member trained for the current sample weights, given its
   * classes on every training sample (in the order of `labels`). Returns its
   * round, or null when it was rejected (no better than chance) and boosting
   * stopped without it.
   */
  addMember(predicted: number[]): SammeRound | null {
    if (this.reason !== null) throw new InputError(`SammeBoosting.addMember: boosting has stopped (${this.reason}) with ${this.members} member(s); train no further member.`);
    if (predicted.length !== this.labels.length) throw new InputError(`SammeBoosting.addMember: got ${predicted.length} predictions for ${this.labels.length} training samples.`);
    checkClassIds(predicted, this.numClasses, 'SammeBoosting.addMember: predicted');
    const wrong = predicted.reduce((s, p, i) => s + (p !== this.labels[i] ? this.weights[i] : 0), 0);
    const chance = 1 - 1 / this.numClasses;
    if (wrong >= chance) {
      if (this.members === 0) {
        throw new InputError(`SammeBoosting: the first member's weighted training error ${wrong.toPrecision(4)} is not below 1 − 1/K = ${chance.toPrecision(4)} (K = ${this.numClasses}): it is no better than guessing, so there is nothing to boost. Train a stronger first member.`);
      }
      this.reason = 'worse-than-chance';
      return null;
    }
    const round = sammeRound(this.weights, predicted, this.labels, this.numClasses, this.learningRate);
    this.alphaList.push(round.alpha);
    this.errorList.push(round.error);
    if (round.error === 0) this.reason = 'perfect-member';
    else if (!round.nextWeights.every(Number.isFinite)) this.reason = 'degenerate-weights';
    else this.weights = round.nextWeights;
    if (this.reason === null && this.members >= this.maxMembers) this.reason = 'max-members';
    return round;
  }

  /** Per sample, each class's share of the α-weighted vote of the accepted members (`memberPredictions[member][sample]`: class ids). */
  scores(memberPredictions: number[][]): number[][] {
    if (this.members === 0) throw new InputError('SammeBoosting: no member has been added yet.');
    if (memberPredictions.length !== this.members) {
      throw new InputError(`SammeBoosting: got the predictions of ${memberPredictions.length} members; the ensemble has ${this.members} (rejected members are not part of it).`);
    }
    return sammeScores(memberPredictions, this.alphaList, this.numClasses);
  }

  /** The ensemble's class per sample: the α-weighted vote (ties go to the lowest class id). */
  predict(memberPredictions: number[][]): number[] {
    return this.scores(memberPredictions).map((row) => row.indexOf(Math.max(...row)));
  }

  /** scikit-learn's SAMME `predict_proba`: `softmax(scores / (K − 1))` per sample. */
  predictProba(memberPredictions: number[][]): number[][] {
    return this.scores(memberPredictions).map((row) => {
      const z = row.map((v) => v / (this.numClasses - 1));
      const max = Math.max(...z);
      const e = z.map((v) => Math.exp(v - max));
      const s = e.reduce((a, b) => a + b, 0);
      return e.map((v) => v / s);
    });
  }

  toJSON(): SammeBoostingState {
    return { numClasses: this.numClasses, learningRate: this.learningRate, alphas: [...this.alphaList], errors: [...this.errorList], stopReason: this.reason };
  }

  /** A fitted ensemble for prediction (no further members; it has no training labels). */
  static fromJSON(state: SammeBoostingState): SammeBoosting {
    if (!state || !Array.isArray(state.alphas) || !Array.isArray(state.errors) || state.alphas.length === 0 || state.alphas.length !== state.errors.length) {
      throw new InputError('SammeBoosting.fromJSON: not a saved ensemble (needs numClasses and as many alphas as errors, at least one).');
    }
    const boosting = new SammeBoosting({ numClasses: state.numClasses, labels: [0], learningRate: state.learningRate, maxMembers: state.alphas.length });
    boosting.alphaList.push(...state.alphas);
    boosting.errorList.push(...state.errors);
    boosting.reason = state.stopReason ?? 'max-members';
    return boosting;
  }
}
