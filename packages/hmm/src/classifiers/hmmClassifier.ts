import { deriveSeed, InputError } from '@polyfuse/core';
import { softmaxFromLogs } from '../math/logSumExp.js';
import { toFrameMatrix, type Sequence } from '../sequences/frameMatrix.js';
import { GaussianHmm, type GaussianHmmJson } from '../models/gaussianHmm.js';
import { initialiseGaussianHmm, type InitialisationOptions } from '../training/initialiseHmm.js';
import { trainBaumWelch, type BaumWelchOptions, type BaumWelchResult } from '../training/baumWelch.js';
import { argMax, groupByLabel, type Label } from './classLabels.js';

export interface HmmClassifierOptions extends InitialisationOptions, Omit<BaumWelchOptions, 'onIteration'> {
  /** Called once per class after its model is trained. */
  onClassTrained?: (info: { label: Label; sequences: number; iterations: number; converged: boolean; logLikelihoods: number[] }) => void;
}

export interface HmmClassifierJson {
  format: 'polyfuse-hmm';
  version: 1;
  type: 'hmm-classifier';
  classes: Label[];
  models: GaussianHmmJson[];
}

/**
 * One GaussianHmm per class, trained by Baum-Welch on that class's
 * sequences only (maximum likelihood, not discriminative). A sequence goes to
 * the class whose model gives it the highest likelihood; probabilities are
 * the softmax of the log-likelihoods (equal class priors).
 */
export class HmmClassifier {
  /**
   * @param classes the labels, in the order of `models`
   * @param models one trained GaussianHmm per class, all over frames of the same dim
   */
  constructor(readonly classes: readonly Label[], readonly models: readonly GaussianHmm[]) {
    if (classes.length !== models.length || classes.length === 0) throw new InputError(`HmmClassifier: ${classes.length} classes for ${models.length} models; it needs one model per class.`);
    models.forEach((m, i) => {
      if (m.dim !== models[0]!.dim) throw new InputError(`HmmClassifier: the model of class ${JSON.stringify(classes[i])} reads ${m.dim}-dim frames but the first reads ${models[0]!.dim}.`);
    });
  }

  /**
   * Trains one model per label: `initialiseGaussianHmm` then `trainBaumWelch`,
   * each class seeded with `deriveSeed(seed, String(label))`.
   */
  static fit(sequences: readonly Sequence[], labels: readonly Label[], options: HmmClassifierOptions): HmmClassifier {
    // Validate everything first, so errors give the sequence's index in `sequences`.
    const first = sequences.length > 0 ? toFrameMatrix(sequences[0]!, 'training sequence 0') : undefined;
    const checked = sequences.map((s, i) => (i === 0 ? first! : toFrameMatrix(s, `training sequence ${i}`, first!.dim)));
    const { classes, groups } = groupByLabel(checked, labels);
    const models = groups.map((group, c) => {
      const label = classes[c]!;
      const initial = initialiseGaussianHmm(group, { ...options, seed: deriveSeed(options.seed ?? 0, String(label)) });
      const result: BaumWelchResult<GaussianHmm> = trainBaumWelch(initial, group, options);
      options.onClassTrained?.({ label, sequences: group.length, iterations: result.iterations, converged: result.converged, logLikelihoods: result.logLikelihoods });
      return result.model;
    });
    return new HmmClassifier(classes, models);
  }

  get dim(): number {
    return this.models[0]!.dim;
  }

  /** `log p(sequence | class model)`, one per class in `classes` order. */
  logLikelihoods(sequence: Sequence): Float64Array {
    const observation = this.models[0]!.checkSequence(sequence);
    return Float64Array.from(this.models, (m) => m.logLikelihood(observation));
  }

  /** Posterior class probabilities under equal priors. */
  predictProbabilities(sequence: Sequence): Float64Array {
    return softmaxFromLogs(this.logLikelihoods(sequence));
  }

  /** The most likely class. */
  predict(sequence: Sequence): Label {
    return this.classes[argMax(this.logLikelihoods(sequence))]!;
  }

  /** Fraction of `sequences` predicted as their label. */
  accuracy(sequences: readonly Sequence[], labels: readonly Label[]): number {
    if (sequences.length !== labels.length || sequences.length === 0) throw new InputError(`accuracy: ${sequences.length} sequences and ${labels.length} labels; need the same non-zero number.`);
    let correct = 0;
    sequences.forEach((s, i) => (correct += this.predict(s) === labels[i] ? 1 : 0));
    return correct / sequences.length;
  }

  toJSON(): HmmClassifierJson {
    return { format: 'polyfuse-hmm', version: 1, type: 'hmm-classifier', classes: [...this.classes], models: this.models.map((m) => m.toJSON()) };
  }

  static fromJSON(json: HmmClassifierJson): HmmClassifier {
    if (json?.format !== 'polyfuse-hmm' || json.type !== 'hmm-classifier') {
      throw new InputError(`HmmClassifier.fromJSON: expected { format: 'polyfuse-hmm', type: 'hmm-classifier' }, got format ${JSON.stringify(json?.format)}, type ${JSON.stringify(json?.type)}.`);
    }
    return new HmmClassifier(json.classes, json.models.map((m) => GaussianHmm.fromJSON(m)));
  }
}
