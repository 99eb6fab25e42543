import { InputError } from '@polyfuse/core';
import { toFrameMatrix, type FrameMatrix, type Sequence } from '../sequences/frameMatrix.js';
import { createMarkovChain, transitionRows, type MarkovChain } from '../inference/markovChain.js';
import { forward, forwardBackward, type ForwardBackwardResult } from '../inference/forwardBackward.js';
import { viterbi, type ViterbiResult } from '../inference/viterbi.js';
import type { EmissionJson, EmissionModel } from '../emissions/emissionModel.js';
import { emissionFromJson } from '../emissions/emissionFromJson.js';
import type { BaumWelchModel, StatePosteriors } from '../training/baumWelchModel.js';
import { varianceFloorOf, type VarianceFloorOptions } from '../training/varianceFloor.js';

export interface GaussianHmmJson {
  format: 'polyfuse-hmm';
  version: 1;
  type: 'gaussian-hmm';
  startProbabilities: number[];
  transitions: number[][];
  states: EmissionJson[];
}

export interface GaussianHmmParameters {
  /** `pi[i]`, one per state, summing to 1. */
  startProbabilities: ArrayLike<number>;
  /** `A[i][j] = P(next = j | current = i)`, rows summing to 1 (zeros stay zero under Baum-Welch: that is how a left-right topology is kept). */
  transitions: ArrayLike<number> | readonly ArrayLike<number>[];
  /** One emission model per state (DiagonalGaussian or GaussianMixture), all of the same dim. */
  states: readonly EmissionModel[];
}

/**
 * A hidden Markov model with Gaussian (diagonal or mixture) emissions over
 * `dim`-dimensional frames. Immutable: training returns a new model.
 */
export class GaussianHmm implements MarkovChain, BaumWelchModel<FrameMatrix, Float64Array> {
  readonly numStates: number;
  readonly dim: number;
  readonly startProbabilities: Float64Array;
  readonly transitions: Float64Array;
  readonly states: readonly EmissionModel[];

  constructor(parameters: GaussianHmmParameters) {
    const chain = createMarkovChain(parameters.startProbabilities, parameters.transitions, 'GaussianHmm');
    if (parameters.states.length !== chain.numStates) {
      throw new InputError(`GaussianHmm: ${parameters.states.length} emission models for ${chain.numStates} states; it needs one per state.`);
    }
    this.numStates = chain.numStates;
    this.startProbabilities = chain.startProbabilities;
    this.transitions = chain.transitions;
    this.dim = parameters.states[0]!.dim;
    parameters.states.forEach((s, i) => {
      if (s.dim !== this.dim) throw new InputError(`GaussianHmm: state ${i} emits ${s.dim}-dim frames but state 0 emits ${this.dim}-dim frames.`);
    });
    this.states = [...parameters.states];
  }

  /** Validates a sequence against this model's dim (`what` names it in errors). */
  checkSequence(sequence: Sequence, what = 'sequence'): FrameMatrix {
    return toFrameMatrix(sequence, what, this.dim);
  }

  frameCount(observation: FrameMatrix): number {
    return observation.frames;
  }

  /** `log b_j(o_t)` for every frame and state, `[T, N]` row-major. */
  emissionLogLikelihoods(observation: FrameMatrix): Float64Array {
    const { frames, dim, data } = observation;
    const n = this.numStates;
    const out = new Float64Array(frames * n);
    for (let t = 0; t < frames; t++) {
      for (let j = 0; j < n; j++) out[t * n + j] = this.states[j]!.logDensity(data, t * dim);
    }
    return out;
  }

  /** `log p(sequence | model)` by the scaled forward algorithm. */
  logLikelihood(sequence: Sequence): number {
    const observation = this.checkSequence(sequence);
    return forward(this, this.emissionLogLikelihoods(observation), observation.frames).logLikelihood;
  }

  /** State posteriors per frame and expected transition counts (forward-backward). */
  posteriors(sequence: Sequence): ForwardBackwardResult {
    const observation = this.checkSequence(sequence);
    return forwardBackward(this, this.emissionLogLikelihoods(observation), observation.frames);
  }

  /** The most likely state path and its log-probability. */
  viterbi(sequence: Sequence): ViterbiResult {
    const observation = this.checkSequence(sequence);
    return viterbi(this, this.emissionLogLikelihoods(observation), observation.frames);
  }

  varianceFloor(observations: readonly FrameMatrix[], options: VarianceFloorOptions): Float64Array {
    return varianceFloorOf(observations, options);
  }

  reestimated(chain: MarkovChain, posteriors: readonly StatePosteriors<FrameMatrix>[], varianceFloor: Float64Array): GaussianHmm {
    const n = this.numStates;
    const accumulators = this.states.map((s) => s.createAccumulator());
    for (const { observation, gamma } of posteriors) {
      const { frames, dim, data } = observation;
      for (let t = 0; t < frames; t++) {
        for (let j = 0; j < n; j++) accumulators[j]!.add(data, t * dim, gamma[t * n + j]!);
      }
    }
    return new GaussianHmm({
      startProbabilities: chain.startProbabilities,
      transitions: chain.transitions,
      states: accumulators.map((a) => a.estimate(varianceFloor)),
    });
  }

  toJSON(): GaussianHmmJson {
    return {
      format: 'polyfuse-hmm',
      version: 1,
      type: 'gaussian-hmm',
      startProbabilities: Array.from(this.startProbabilities),
      transitions: transitionRows(this),
      states: this.states.map((s) => s.toJSON()),
    };
  }

  static fromJSON(json: GaussianHmmJson): GaussianHmm {
    if (json?.format !== 'polyfuse-hmm' || json.type !== 'gaussian-hmm') {
      throw new InputError(`GaussianHmm.fromJSON: expected { format: 'polyfuse-hmm', type: 'gaussian-hmm' }, got format ${JSON.stringify(json?.format)}, type ${JSON.stringify(json?.type)}.`);
    }
    return new GaussianHmm({
      startProbabilities: json.startProbabilities,
      transitions: json.transitions,
      states: json.states.map((s, i) => emissionFromJson(s, `GaussianHmm.fromJSON: state ${i}`)),
    });
  }
}
