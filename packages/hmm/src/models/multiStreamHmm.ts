import { InputError } from '@polyfuse/core';
import { toFrameMatrix, type FrameMatrix, type Sequence } from '../sequences/frameMatrix.js';
import { createMarkovChain, transitionRows, type MarkovChain } from '../inference/markovChain.js';
import { forward, forwardBackward, type ForwardBackwardResult } from '../inference/forwardBackward.js';
import { viterbi, type ViterbiResult } from '../inference/viterbi.js';
import type { EmissionJson, EmissionModel } from '../emissions/emissionModel.js';
import { emissionFromJson } from '../emissions/emissionFromJson.js';
import type { BaumWelchModel, StatePosteriors } from '../training/baumWelchModel.js';
import { varianceFloorOf, type VarianceFloorOptions } from '../training/varianceFloor.js';

/** One multi-stream observation: a sequence per stream, keyed by stream name, all with the same number of frames. */
export type MultiStreamSequence = Readonly<Record<string, Sequence>>;
/** A validated multi-stream observation. */
export type MultiStreamFrames = Readonly<Record<string, FrameMatrix>>;
/** Stream name to weight. */
export type StreamWeights = Readonly<Record<string, number>>;

export interface MultiStreamHmmJson {
  format: 'polyfuse-hmm';
  version: 1;
  type: 'multi-stream-hmm';
  streams: string[];
  streamWeights: Record<string, number>;
  startProbabilities: number[];
  transitions: number[][];
  states: Record<string, EmissionJson>[];
}

export interface MultiStreamHmmParameters {
  startProbabilities: ArrayLike<number>;
  transitions: ArrayLike<number> | readonly ArrayLike<number>[];
  /** Per state, one emission model per stream (`{ audio: GaussianMixture, image: DiagonalGaussian }`). */
  states: readonly Readonly<Record<string, EmissionModel>>[];
  /** Per stream weight `w_s >= 0`. Default 1 for every stream (the product of the stream likelihoods). */
  streamWeights?: StreamWeights;
}

/**
 * A synchronous multi-stream HMM (HTK's multi-stream models, as used for
 * audio-visual speech recognition): one Markov chain whose state `j` emits a
 * frame of every stream, scored as
 * `log b_j(o_t) = sum_s w_s log p_js(o_st)`.
 * With weights 1 it is an HMM over the concatenated streams with
 * block-independent emissions; other weights trade the streams' reliability
 * (weights are tuned on validation data, not learned by Baum-Welch).
 */
export class MultiStreamHmm implements MarkovChain, BaumWelchModel<MultiStreamFrames, Record<string, Float64Array>> {
  readonly numStates: number;
  readonly startProbabilities: Float64Array;
  readonly transitions: Float64Array;
  readonly streams: readonly string[];
  readonly dims: Readonly<Record<string, number>>;
  readonly states: readonly Readonly<Record<string, EmissionModel>>[];
  readonly streamWeights: StreamWeights;

  constructor(parameters: MultiStreamHmmParameters) {
    const chain = createMarkovChain(parameters.startProbabilities, parameters.transitions, 'MultiStreamHmm');
    if (parameters.states.length !== chain.numStates) {
      throw new InputError(`MultiStreamHmm: ${parameters.states.length} states of emission models for ${chain.numStates} states; it needs one per state.`);
    }
    this.numStates = chain.numStates;
    this.startProbabilities = chain.startProbabilities;
    this.transitions = chain.transitions;
    this.streams = Object.keys(parameters.states[0]!).sort();
    if (this.streams.length === 0) throw new InputError('MultiStreamHmm: states need at least one stream.');
    const dims: Record<string, number> = {};
    for (const s of this.streams) dims[s] = parameters.states[0]![s]!.dim;
    parameters.states.forEach((state, i) => {
      const names = Object.keys(state).sort();
      if (names.join(',') !== this.streams.join(',')) throw new InputError(`MultiStreamHmm: state ${i} has streams [${names.join(', ')}] but state 0 has [${this.streams.join(', ')}].`);
      for (const s of this.streams) {
        if (state[s]!.dim !== dims[s]) throw new InputError(`MultiStreamHmm: state ${i}, stream '${s}' emits ${state[s]!.dim}-dim frames but state 0 emits ${dims[s]}-dim frames.`);
      }
    });
    this.dims = dims;
    this.states = parameters.states.map((s) => ({ ...s }));
    this.streamWeights = checkStreamWeights(parameters.streamWeights ?? Object.fromEntries(this.streams.map((s) => [s, 1])), this.streams);
  }

  /** The same model with other stream weights. */
  withStreamWeights(streamWeights: StreamWeights): MultiStreamHmm {
    return new MultiStreamHmm({ startProbabilities: this.startProbabilities, transitions: this.transitions, states: this.states, streamWeights });
  }

  /** Validates an observation: every stream present, the right dims, equal frame counts. */
  checkObservation(observation: MultiStreamSequence, what = 'observation'): MultiStreamFrames {
    return checkMultiStream(observation, this.dims, what);
  }

  frameCount(observation: MultiStreamFrames): number {
    return observation[this.streams[0]!]!.frames;
  }

  /** Unweighted `log p_js(o_st)` per stream, each `[T, N]`: cache these to score many stream weights cheaply. */
  streamLogLikelihoods(observation: MultiStreamFrames): Record<string, Float64Array> {
    const n = this.numStates;
    const out: Record<string, Float64Array> = {};
    for (const s of this.streams) {
      const { frames, dim, data } = observation[s]!;
      const logs = new Float64Array(frames * n);
      for (let t = 0; t < frames; t++) for (let j = 0; j < n; j++) logs[t * n + j] = this.states[j]![s]!.logDensity(data, t * dim);
      out[s] = logs;
    }
    return out;
  }

  /** `sum_s w_s log p_js(o_st)`, `[T, N]`, with this model's weights unless others are given. */
  emissionLogLikelihoods(observation: MultiStreamFrames, streamWeights: StreamWeights = this.streamWeights): Float64Array {
    return combineStreams(this.streamLogLikelihoods(observation), streamWeights, this.streams);
  }

  logLikelihood(observation: MultiStreamSequence, streamWeights?: StreamWeights): number {
    const frames = this.checkObservation(observation);
    const weights = streamWeights ? checkStreamWeights(streamWeights, this.streams) : this.streamWeights;
    return forward(this, this.emissionLogLikelihoods(frames, weights), this.frameCount(frames)).logLikelihood;
  }

  posteriors(observation: MultiStreamSequence): ForwardBackwardResult {
    const frames = this.checkObservation(observation);
    return forwardBackward(this, this.emissionLogLikelihoods(frames), this.frameCount(frames));
  }

  viterbi(observation: MultiStreamSequence): ViterbiResult {
    const frames = this.checkObservation(observation);
    return viterbi(this, this.emissionLogLikelihoods(frames), this.frameCount(frames));
  }

  varianceFloor(observations: readonly MultiStreamFrames[], options: VarianceFloorOptions): Record<string, Float64Array> {
    return Object.fromEntries(this.streams.map((s) => [s, varianceFloorOf(observations.map((o) => o[s]!), options)]));
  }

  /**
   * Re-estimates every stream's emissions from the joint state posteriors
   * (within a state, a mixture's components share the state's occupancy by
   * their responsibility for that stream's frame, as in HTK).
   */
  reestimated(chain: MarkovChain, posteriors: readonly StatePosteriors<MultiStreamFrames>[], varianceFloor: Record<string, Float64Array>): MultiStreamHmm {
    const n = this.numStates;
    const accumulators = this.states.map((state) => Object.fromEntries(this.streams.map((s) => [s, state[s]!.createAccumulator()])));
    for (const { observation, gamma } of posteriors) {
      for (const s of this.streams) {
        const { frames, dim, data } = observation[s]!;
        for (let t = 0; t < frames; t++) for (let j = 0; j < n; j++) accumulators[j]![s]!.add(data, t * dim, gamma[t * n + j]!);
      }
    }
    return new MultiStreamHmm({
      startProbabilities: chain.startProbabilities,
      transitions: chain.transitions,
      states: accumulators.map((state) => Object.fromEntries(this.streams.map((s) => [s, state[s]!.estimate(varianceFloor[s]!)]))),
      streamWeights: this.streamWeights,
    });
  }

  toJSON(): MultiStreamHmmJson {
    return {
      format: 'polyfuse-hmm',
      version: 1,
      type: 'multi-stream-hmm',
      streams: [...this.streams],
      streamWeights: { ...this.streamWeights },
      startProbabilities: Array.from(this.startProbabilities),
      transitions: transitionRows(this),
      states: this.states.map((state) => Object.fromEntries(this.streams.map((s) => [s, state[s]!.toJSON()]))),
    };
  }

  static fromJSON(json: MultiStreamHmmJson): MultiStreamHmm {
    if (json?.format !== 'polyfuse-hmm' || json.type !== 'multi-stream-hmm') {
      throw new InputError(`MultiStreamHmm.fromJSON: expected { format: 'polyfuse-hmm', type: 'multi-stream-hmm' }, got format ${JSON.stringify(json?.format)}, type ${JSON.stringify(json?.type)}.`);
    }
    return new MultiStreamHmm({
      startProbabilities: json.startProbabilities,
      transitions: json.transitions,
      streamWeights: json.streamWeights,
      states: json.states.map((state, i) => Object.fromEntries(Object.entries(state).map(([s, e]) => [s, emissionFromJson(e, `MultiStreamHmm.fromJSON: state ${i}, stream '${s}'`)]))),
    });
  }
}

/** `sum_s w_s logs_s`, elementwise. */
export function combineStreams(logs: Readonly<Record<string, Float64Array>>, streamWeights: StreamWeights, streams: readonly string[] = Object.keys(logs)): Float64Array {
  const first = logs[streams[0]!]!;
  const out = new Float64Array(first.length);
  for (const s of streams) {
    const w = streamWeights[s]!;
    if (w === 0) continue;
    const values = logs[s]!;
    for (let i = 0; i < out.length; i++) out[i]! += w * values[i]!;
  }
  return out;
}

/** Checks that weights name exactly the model's streams and are finite and >= 0. */
export function checkStreamWeights(streamWeights: StreamWeights, streams: readonly string[]): StreamWeights {
  const names = Object.keys(streamWeights).sort();
  if (names.join(',') !== [...streams].sort().join(',')) {
    throw new InputError(`stream weights name [${names.join(', ')}] but the model's streams are [${streams.join(', ')}].`);
  }
  for (const s of streams) {
    const w = streamWeights[s]!;
    if (!(w >= 0) || !Number.isFinite(w)) throw new InputError(`stream weight '${s}' must be a finite number >= 0, got ${w}.`);
  }
  return { ...streamWeights };
}

/**
 * Validates a multi-stream observation against per-stream dims: every stream
 * present (no others), the right dim, the same number of frames.
 */
export function checkMultiStream(observation: MultiStreamSequence, dims: Readonly<Record<string, number>> | null, what = 'observation'): MultiStreamFrames {
  if (typeof observation !== 'object' || observation === null || Array.isArray(observation)) {
    throw new InputError(`${what} must be an object of stream name to sequence ({ audio: frames, image: frames }), got ${Array.isArray(observation) ? 'an array' : typeof observation}.`);
  }
  const names = Object.keys(observation).sort();
  if (dims) {
    const expected = Object.keys(dims).sort();
    const missing = expected.filter((s) => !names.includes(s));
    const extra = names.filter((s) => !expected.includes(s));
    if (missing.length || extra.length) {
      throw new InputError(`${what}: streams [${names.join(', ')}] do not match the model's [${expected.join(', ')}]${missing.length ? `; missing ${missing.map((s) => `'${s}'`).join(', ')}` : ''}${extra.length ? `; unknown ${extra.map((s) => `'${s}'`).join(', ')}` : ''}.`);
    }
  }
  if (names.length === 0) throw new InputError(`${what} has no streams.`);
  const out: Record<string, FrameMatrix> = {};
  for (const s of names) out[s] = toFrameMatrix(observation[s]!, `${what}, stream '${s}'`, dims?.[s]);
  const frames = out[names[0]!]!.frames;
  for (const s of names) {
    if (out[s]!.frames !== frames) {
      throw new InputError(`${what}: stream '${s}' has ${out[s]!.frames} frames but stream '${names[0]}' has ${frames}; a synchronous multi-stream HMM needs equal frame counts (resample one stream with resampleFrames).`);
    }
  }
  return out;
}
