import { ConfigError, InputError } from '@polyfuse/core';

/** Per-modality predictions: `predictions[modality][sample]` is a score vector (probabilities or logits). */
export type ModalityPredictions = Record<string, number[][]>;

export interface StackingOptions {
  /** Full-batch gradient-descent steps. Default 500. */
  epochs?: number;
  /** Step size. Default 0.5. */
  learningRate?: number;
  /** L2 penalty on the weights (not the bias), as `l2/2 · ‖W‖²`. Default 1e-3. */
  l2?: number;
}

/** A fitted stacking meta-learner; `toJSON()` / `fromJSON` save and restore it. */
export interface StackingMetaLearnerState {
  modalities: string[];
  classes: number;
  /** `[features][classes]`, features = concatenated modality predictions in `modalities` order. */
  weights: number[][];
  bias: number[];
}

function softmaxRow(z: number[]): number[] {
  const max = Math.max(...z);
  const e = z.map((v) => Math.exp(v - max));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

/**
 * Stacking (Wolpert, 1992): a multinomial logistic regression trained on the
 * unimodal models' predictions for held-out samples (predictions the models
 * did not train on), mapping the concatenated predictions to the class.
 * Plain JS, deterministic: weights start at 0 and full-batch gradient descent
 * minimises mean cross-entropy + `l2/2 ‖W‖²`.
 */
export class StackingMetaLearner {
  readonly state: StackingMetaLearnerState;

  private constructor(state: StackingMetaLearnerState) {
    this.state = state;
  }

  /** Fits on held-out predictions and their integer labels. */
  static fit(heldOut: ModalityPredictions, labels: number[], options: StackingOptions = {}): StackingMetaLearner {
    const modalities = Object.keys(heldOut);
    const features = concatFeatures(heldOut, modalities);
    if (features.length !== labels.length) throw new InputError(`stacking: ${features.length} held-out predictions but ${labels.length} labels.`);
    if (features.length === 0) throw new InputError('stacking needs at least one held-out sample.');
    if (labels.some((l) => !Number.isInteger(l) || l < 0)) throw new InputError('stacking labels must be non-negative integer class ids.');
    const classes = Math.max(...labels, features[0].length / modalities.length - 1) + 1;
    const epochs = options.epochs ?? 500;
    const rate = options.learningRate ?? 0.5;
    const l2 = options.l2 ?? 1e-3;
    if (!(epochs >= 1 && rate > 0 && l2 >= 0)) throw new ConfigError('stacking options: epochs >= 1, learningRate > 0 and l2 >= 0 are required.');
    const d = features[0].length;
    const weights = Array.from({ length: d }, () => new Array(classes).fill(0));
    const bias = new Array(classes).fill(0);
    const n = features.length;
    for (let epoch = 0; epoch < epochs; epoch++) {
      const gw = Array.from({ length: d }, () => new Array(classes).fill(0));
      const gb = new Array(classes).fill(0);
      features.forEach((x, i) => {
        const p = softmaxRow(bias.map((b, c) => b + x.reduce((s, v, j) => s + v * weights[j][c], 0)));
        p[labels[i]] -= 1;
        for (let c = 0; c < classes; c++) {
          gb[c] += p[c] / n;
          for (let j = 0; j < d; j++) gw[j][c] += (x[j] * p[c]) / n;
        }
      });
      for (let c = 0; c < classes; c++) {
        bias[c] -= rate * gb[c];
        for (let j = 0; j < d; j++) weights[j][c] -= rate * (gw[j][c] + l2 * weights[j][c]);
      }
    }
    return new StackingMetaLearner({ modalities, classes, weights, bias });
  }

  static fromJSON(state: StackingMetaLearnerState): StackingMetaLearner {
    if (!state || !Array.isArray(state.modalities) || !Array.isArray(state.weights) || !Array.isArray(state.bias)) {
      throw new InputError('StackingMetaLearner.fromJSON: not a saved meta-learner (needs modalities, weights and bias).');
    }
    return new StackingMetaLearner(state);
  }

  toJSON(): StackingMetaLearnerState {
    return this.state;
  }

  /** Class probabilities `[sample][class]` for new predictions of the same modalities. */
  predictProba(predictions: ModalityPredictions): number[][] {
    const { modalities, weights, bias } = this.state;
    return concatFeatures(predictions, modalities).map((x) => {
      if (x.length !== weights.length) throw new InputError(`stacking: got ${x.length} features per sample, fitted on ${weights.length}.`);
      return softmaxRow(bias.map((b, c) => b + x.reduce((s, v, j) => s + v * weights[j][c], 0)));
    });
  }

  /** Arg-max classes. */
  predict(predictions: ModalityPredictions): number[] {
    return this.predictProba(predictions).map((p) => p.indexOf(Math.max(...p)));
  }
}

function concatFeatures(predictions: ModalityPredictions, modalities: string[]): number[][] {
  if (modalities.length === 0) throw new InputError('stacking needs the predictions of at least one modality.');
  const size = predictions[modalities[0]]?.length;
  for (const m of modalities) {
    if (!predictions[m]) throw new InputError(`stacking: no predictions for modality '${m}'.`);
    if (predictions[m].length !== size) throw new InputError(`stacking: modality '${m}' has ${predictions[m].length} predictions, '${modalities[0]}' has ${size}.`);
  }
  return Array.from({ length: size }, (_, i) => modalities.flatMap((m) => {
    const row = predictions[m][i];
    if (row.some((v) => !Number.isFinite(v))) throw new InputError(`stacking: prediction ${i} of '${m}' is not finite.`);
    return row;
  }));
}
