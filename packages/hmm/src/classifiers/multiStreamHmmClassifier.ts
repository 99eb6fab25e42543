import { deriveSeed, InputError } from '@polyfuse/core';
import { logSumExp, softmaxFromLogs } from '../math/logSumExp.js';
import { forward } from '../inference/forwardBackward.js';
import { MultiStreamHmm, checkMultiStream, checkStreamWeights, combineStreams, type MultiStreamFrames, type MultiStreamHmmJson, type MultiStreamSequence, type StreamWeights } from '../models/multiStreamHmm.js';
import { initialiseMultiStreamHmm, type InitialisationOptions } from '../training/initialiseHmm.js';
import { trainBaumWelch, type BaumWelchOptions } from '../training/baumWelch.js';
import { streamWeightGrid } from '../training/streamWeightGrid.js';
import { argMax, groupByLabel, type Label } from './classLabels.js';

export interface MultiStreamHmmClassifierOptions extends InitialisationOptions, Omit<BaumWelchOptions, 'onIteration'> {
  /** Stream weights used while training (Baum-Welch's state posteriors). Default 1 per stream. */
  trainingStreamWeights?: StreamWeights;
  onClassTrained?: (info: { label: Label; sequences: number; iterations: number; converged: boolean; logLikelihoods: number[] }) => void;
}

export interface StreamWeightTuning {
  /** The best weights: highest accuracy, ties broken by the lowest cross-entropy. */
  streamWeights: StreamWeights;
  accuracy: number;
  /** Every grid point tried, in grid order. */
  results: { streamWeights: StreamWeights; accuracy: number; crossEntropy: number }[];
}

export interface MultiStreamHmmClassifierJson {
  format: 'polyfuse-hmm';
  version: 1;
  type: 'multi-stream-hmm-classifier';
  classes: Label[];
  streamWeights: Record<string, number>;
  models: MultiStreamHmmJson[];
}

/**
 * One MultiStreamHmm per class with shared stream weights: the per-frame
 * score of state j is `sum_s w_s log p_js(o_st)`. Train with `fit` (weights
 * 1, i.e. the streams' product), then pick weights that suit the streams'
 * reliability with `tuneStreamWeights` on held-out data.
 */
export class MultiStreamHmmClassifier {
  readonly streams: readonly string[];

  /**
   * @param classes the labels, in the order of `models`
   * @param models one MultiStreamHmm per class, over the same streams and dims
   * @param streamWeights weights used for prediction (default: the first model's)
   */
  constructor(readonly classes: readonly Label[], readonly models: readonly MultiStreamHmm[], readonly streamWeights: StreamWeights = models[0]!.streamWeights) {
    if (classes.length !== models.length || classes.length === 0) throw new InputError(`MultiStreamHmmClassifier: ${classes.length} classes for ${models.length} models; it needs one model per class.`);
    this.streams = models[0]!.streams;
    models.forEach((m, i) => {
      for (const s of this.streams) {
        if (m.dims[s] !== models[0]!.dims[s]) throw new InputError(`MultiStreamHmmClassifier: the model of class ${JSON.stringify(classes[i])} reads ${m.dims[s]}-dim '${s}' frames but the first reads ${models[0]!.dims[s]}.`);
      }
    });
    this.streamWeights = checkStreamWeights(streamWeights, this.streams);
  }

  static fit(observations: readonly MultiStreamSequence[], labels: readonly Label[], options: MultiStreamHmmClassifierOptions): MultiStreamHmmClassifier {
    // Validate everything first, so errors give the observation's index in `observations`.
    const first = observations.length > 0 ? checkMultiStream(observations[0]!, null, 'training observation 0') : undefined;
    const dims = first ? Object.fromEntries(Object.entries(first).map(([s, m]) => [s, m.dim])) : {};
    const checked = observations.map((x, i) => (i === 0 ? first! : checkMultiStream(x, dims, `training observation ${i}`)));
    const { classes, groups } = groupByLabel(checked, labels, 'observations');
    const { trainingStreamWeights } = options;
    const models = groups.map((group, c) => {
      const label = classes[c]!;
      const initial = initialiseMultiStreamHmm(group, { ...options, seed: deriveSeed(options.seed ?? 0, String(label)), ...(trainingStreamWeights ? { streamWeights: trainingStreamWeights } : {}) });
      const result = trainBaumWelch(initial, group, options);
      options.onClassTrained?.({ label, sequences: group.length, iterations: result.iterations, converged: result.converged, logLikelihoods: result.logLikelihoods });
      return result.model;
    });
    return new MultiStreamHmmClassifier(classes, models);
  }

  /** The same classifier predicting with other stream weights. */
  withStreamWeights(streamWeights: StreamWeights): MultiStreamHmmClassifier {
    return new MultiStreamHmmClassifier(this.classes, this.models, streamWeights);
  }

  private check(observation: MultiStreamSequence): MultiStreamFrames {
    return this.models[0]!.checkObservation(observation);
  }

  /** Weighted log-likelihood per class (classes order). */
  logLikelihoods(observation: MultiStreamSequence, streamWeights: StreamWeights = this.streamWeights): Float64Array {
    const frames = this.check(observation);
    const weights = checkStreamWeights(streamWeights, this.streams);
    return Float64Array.from(this.models, (m) => forward(m, m.emissionLogLikelihoods(frames, weights), m.frameCount(frames)).logLikelihood);
  }

  predictProbabilities(observation: MultiStreamSequence, streamWeights?: StreamWeights): Float64Array {
    return softmaxFromLogs(this.logLikelihoods(observation, streamWeights));
  }

  predict(observation: MultiStreamSequence, streamWeights?: StreamWeights): Label {
    return this.classes[argMax(this.logLikelihoods(observation, streamWeights))]!;
  }

  accuracy(observations: readonly MultiStreamSequence[], labels: readonly Label[], streamWeights?: StreamWeights): number {
    if (observations.length !== labels.length || observations.length === 0) throw new InputError(`accuracy: ${observations.length} observations and ${labels.length} labels; need the same non-zero number.`);
    let correct = 0;
    observations.forEach((x, i) => (correct += this.predict(x, streamWeights) === labels[i] ? 1 : 0));
    return correct / observations.length;
  }

  /**
   * Grid search of the stream weights on validation data: every point of
   * `grid` (default `streamWeightGrid(streams, 0.1)`, weights summing to 1)
   * is scored by accuracy; ties go to the lower cross-entropy of the true
   * class. Per-stream emission scores are computed once and reused for every
   * grid point. Returns the tuning; `withStreamWeights(tuning.streamWeights)`
   * applies it.
   */
  tuneStreamWeights(observations: readonly MultiStreamSequence[], labels: readonly Label[], options: { grid?: readonly StreamWeights[] } = {}): StreamWeightTuning {
    if (observations.length !== labels.length || observations.length === 0) throw new InputError(`tuneStreamWeights: ${observations.length} observations and ${labels.length} labels; need the same non-zero number.`);
    const grid = options.grid ?? streamWeightGrid(this.streams, 0.1);
    if (grid.length === 0) throw new InputError('tuneStreamWeights: the grid is empty.');
    grid.forEach((w) => checkStreamWeights(w, this.streams));
    const truth = labels.map((label, i) => {
      const index = this.classes.indexOf(label);
      if (index < 0) throw new InputError(`tuneStreamWeights: label ${i} (${JSON.stringify(label)}) is not one of the classes [${this.classes.join(', ')}].`);
      return index;
    });
    const cached = observations.map((x, i) => {
      const frames = this.models[0]!.checkObservation(x, `validation observation ${i}`);
      return this.models.map((m) => ({ logs: m.streamLogLikelihoods(frames), frames: m.frameCount(frames) }));
    });
    const results = grid.map((streamWeights) => {
      let correct = 0;
      let crossEntropy = 0;
      cached.forEach((perClass, i) => {
        const scores = perClass.map(({ logs }, c) => forward(this.models[c]!, combineStreams(logs, streamWeights, this.streams), perClass[c]!.frames).logLikelihood);
        if (argMax(scores) === truth[i]) correct++;
        crossEntropy += logSumExp(scores) - scores[truth[i]!]!;
      });
      return { streamWeights: { ...streamWeights }, accuracy: correct / observations.length, crossEntropy: crossEntropy / observations.length };
    });
    let best = results[0]!;
    for (const r of results) {
      if (r.accuracy > best.accuracy || (r.accuracy === best.accuracy && r.crossEntropy < best.crossEntropy)) best = r;
    }
    return { streamWeights: best.streamWeights, accuracy: best.accuracy, results };
  }

  toJSON(): MultiStreamHmmClassifierJson {
    return {
      format: 'polyfuse-hmm',
      version: 1,
      type: 'multi-stream-hmm-classifier',
      classes: [...this.classes],
      streamWeights: { ...this.streamWeights },
      models: this.models.map((m) => m.toJSON()),
    };
  }

  static fromJSON(json: MultiStreamHmmClassifierJson): MultiStreamHmmClassifier {
    if (json?.format !== 'polyfuse-hmm' || json.type !== 'multi-stream-hmm-classifier') {
      throw new InputError(`MultiStreamHmmClassifier.fromJSON: expected { format: 'polyfuse-hmm', type: 'multi-stream-hmm-classifier' }, got format ${JSON.stringify(json?.format)}, type ${JSON.stringify(json?.type)}.`);
    }
    return new MultiStreamHmmClassifier(json.classes, json.models.map((m) => MultiStreamHmm.fromJSON(m)), json.streamWeights);
  }
}
