import { InputError, SeededRandom } from '@polyfuse/core';
import { DiagonalGaussian, GaussianAccumulator } from '../emissions/diagonalGaussian.js';
import { GaussianMixture } from '../emissions/gaussianMixture.js';
import type { EmissionModel } from '../emissions/emissionModel.js';
import { toFrameMatrix, type FrameMatrix, type Sequence } from '../sequences/frameMatrix.js';
import { GaussianHmm } from '../models/gaussianHmm.js';
import { MultiStreamHmm, checkMultiStream, type MultiStreamFrames, type MultiStreamSequence, type StreamWeights } from '../models/multiStreamHmm.js';
import { kMeans } from './kMeans.js';
import { dataVariance, varianceFloorOf, type VarianceFloorOptions } from './varianceFloor.js';

export type Topology = 'left-right' | 'ergodic';
export type Initialisation = 'uniform-segment' | 'kmeans';

export interface InitialisationOptions extends VarianceFloorOptions {
  /** Hidden states per model. */
  states: number;
  /** Gaussians per state: 1 gives DiagonalGaussian states, more give GaussianMixture states. Default 1. */
  mixtures?: number;
  /**
   * `left-right` (Bakis, no skips: state i goes to i or i + 1, starts in state
   * 0; the usual word model) or `ergodic` (every transition allowed). Default `left-right`.
   */
  topology?: Topology;
  /**
   * How frames are first assigned to states: `uniform-segment` cuts every
   * sequence into `states` equal parts (HTK's HInit flat start), `kmeans`
   * clusters all frames (for left-right, clusters are ordered by their mean
   * position in the sequence). Default `uniform-segment`.
   */
  initialisation?: Initialisation;
  /** Seed of the k-means draws (SeededRandom). Default 0. */
  seed?: number;
}

interface Resolved {
  states: number;
  mixtures: number;
  topology: Topology;
  initialisation: Initialisation;
  rng: SeededRandom;
}

function resolve(options: InitialisationOptions): Resolved {
  const { states, mixtures = 1, topology = 'left-right', initialisation = 'uniform-segment', seed = 0 } = options;
  if (!Number.isInteger(states) || states < 1) throw new InputError(`HMM initialisation: states must be a positive integer, got ${states}.`);
  if (!Number.isInteger(mixtures) || mixtures < 1) throw new InputError(`HMM initialisation: mixtures must be a positive integer, got ${mixtures}.`);
  if (topology !== 'left-right' && topology !== 'ergodic') throw new InputError(`HMM initialisation: topology must be 'left-right' or 'ergodic', got ${JSON.stringify(topology)}.`);
  if (initialisation !== 'uniform-segment' && initialisation !== 'kmeans') throw new InputError(`HMM initialisation: initialisation must be 'uniform-segment' or 'kmeans', got ${JSON.stringify(initialisation)}.`);
  return { states, mixtures, topology, initialisation, rng: new SeededRandom(seed) };
}

/**
 * A first GaussianHmm for Baum-Welch from training sequences: frames
 * assigned to states (uniform segments or k-means), each state's Gaussian
 * (or k-means-seeded mixture) fitted to its frames, transitions and start
 * probabilities counted from the assignment (+1 on every allowed edge).
 */
export function initialiseGaussianHmm(sequences: readonly Sequence[], options: InitialisationOptions): GaussianHmm {
  const o = resolve(options);
  if (sequences.length === 0) throw new InputError('HMM initialisation: no training sequences.');
  const first = toFrameMatrix(sequences[0]!, 'training sequence 0');
  const matrices = sequences.map((s, i) => (i === 0 ? first : toFrameMatrix(s, `training sequence ${i}`, first.dim)));
  const assignments = assignStates(matrices.map((m) => ({ m })), ['m'], o);
  const floor = varianceFloorOf(matrices, options);
  const emissions = fitStateEmissions(matrices, assignments, o, floor, 'state');
  const { startProbabilities, transitions } = countTransitions(assignments, o);
  return new GaussianHmm({ startProbabilities, transitions, states: emissions });
}

/** The multi-stream counterpart of `initialiseGaussianHmm`: one state assignment shared by all streams. */
export function initialiseMultiStreamHmm(observations: readonly MultiStreamSequence[], options: InitialisationOptions & { streamWeights?: StreamWeights }): MultiStreamHmm {
  const o = resolve(options);
  if (observations.length === 0) throw new InputError('HMM initialisation: no training observations.');
  const first = checkMultiStream(observations[0]!, null, 'training observation 0');
  const dims = Object.fromEntries(Object.entries(first).map(([s, m]) => [s, m.dim]));
  const checked = observations.map((x, i) => checkMultiStream(x, dims, `training observation ${i}`));
  const streams = Object.keys(dims).sort();
  const assignments = assignStates(checked, streams, o);
  const perStream = Object.fromEntries(streams.map((s) => {
    const matrices = checked.map((x) => x[s]!);
    return [s, fitStateEmissions(matrices, assignments, o, varianceFloorOf(matrices, options), `stream '${s}', state`)];
  }));
  const { startProbabilities, transitions } = countTransitions(assignments, o);
  return new MultiStreamHmm({
    startProbabilities,
    transitions,
    states: Array.from({ length: o.states }, (_, j) => Object.fromEntries(streams.map((s) => [s, perStream[s]![j]!]))),
    ...(options.streamWeights ? { streamWeights: options.streamWeights } : {}),
  });
}

function assignStates(observations: readonly MultiStreamFrames[], streams: readonly string[], o: Resolved): Int32Array[] {
  const frameCounts = observations.map((x) => x[streams[0]!]!.frames);
  if (o.initialisation === 'uniform-segment') {
    return frameCounts.map((frames, i) => {
      if (frames < o.states) {
        throw new InputError(`HMM initialisation: sequence ${i} has ${frames} frames, too few for ${o.states} states (uniform-segment initialisation gives every state at least one frame).`);
      }
      return Int32Array.from({ length: frames }, (_, t) => Math.floor((t * o.states) / frames));
    });
  }
  // k-means over all frames, every stream standardised so that no stream dominates the distances.
  const scales = streams.map((s) => dataVariance(observations.map((x) => x[s]!)).map((v) => (v > 0 ? 1 / Math.sqrt(v) : 1)));
  const dim = streams.reduce((sum, s) => sum + observations[0]![s]!.dim, 0);
  const total = frameCounts.reduce((a, b) => a + b, 0);
  if (total < o.states) throw new InputError(`HMM initialisation: ${total} frames in all are too few for ${o.states} states.`);
  const points = new Float64Array(total * dim);
  let row = 0;
  observations.forEach((x, i) => {
    for (let t = 0; t < frameCounts[i]!; t++, row++) {
      let offset = row * dim;
      streams.forEach((s, k) => {
        const m = x[s]!;
        for (let d = 0; d < m.dim; d++) points[offset++] = m.data[t * m.dim + d]! * scales[k]![d]!;
      });
    }
  });
  const { assignments } = kMeans(points, dim, o.states, o.rng);
  let relabel = Int32Array.from({ length: o.states }, (_, c) => c);
  if (o.topology === 'left-right') {
    // Order clusters by where in the sequence their frames sit on average, so the chain runs through them in order.
    const position = new Float64Array(o.states);
    const size = new Float64Array(o.states);
    row = 0;
    frameCounts.forEach((frames) => {
      for (let t = 0; t < frames; t++, row++) {
        position[assignments[row]!]! += (t + 0.5) / frames;
        size[assignments[row]!]!++;
      }
    });
    const order = Array.from({ length: o.states }, (_, c) => c).sort((a, b) => position[a]! / size[a]! - position[b]! / size[b]! || a - b);
    relabel = new Int32Array(o.states);
    order.forEach((c, rank) => (relabel[c] = rank));
  }
  row = 0;
  return frameCounts.map((frames) => Int32Array.from({ length: frames }, () => relabel[assignments[row++]!]!));
}

function fitStateEmissions(matrices: readonly FrameMatrix[], assignments: readonly Int32Array[], o: Resolved, floor: Float64Array, what: string): EmissionModel[] {
  const dim = matrices[0]!.dim;
  return Array.from({ length: o.states }, (_, j) => {
    let count = 0;
    assignments.forEach((a) => a.forEach((s) => (count += s === j ? 1 : 0)));
    if (count < o.mixtures) {
      throw new InputError(`HMM initialisation: ${what} ${j} was given ${count} frames, too few for ${o.mixtures} mixture component(s); use fewer states or mixtures, or longer sequences.`);
    }
    const frames = new Float64Array(count * dim);
    let row = 0;
    matrices.forEach((m, i) => {
      for (let t = 0; t < m.frames; t++) if (assignments[i]![t] === j) frames.set(m.data.subarray(t * dim, (t + 1) * dim), dim * row++);
    });
    const gaussianOf = (select: (p: number) => boolean) => {
      const accumulator = new GaussianAccumulator(null, dim);
      for (let p = 0; p < count; p++) if (select(p)) accumulator.add(frames, p * dim, 1);
      return { gaussian: accumulator.estimate(floor), weight: accumulator.totalWeight };
    };
    if (o.mixtures === 1) return gaussianOf(() => true).gaussian;
    const { assignments: clusters } = kMeans(frames, dim, o.mixtures, o.rng);
    const parts = Array.from({ length: o.mixtures }, (_, k) => gaussianOf((p) => clusters[p] === k));
    return new GaussianMixture(parts.map((p) => p.weight / count), parts.map((p) => p.gaussian as DiagonalGaussian));
  });
}

function countTransitions(assignments: readonly Int32Array[], o: Resolved): { startProbabilities: Float64Array; transitions: Float64Array } {
  const n = o.states;
  const allowed = (i: number, j: number) => o.topology === 'ergodic' || j === i || j === i + 1;
  const counts = new Float64Array(n * n);
  const starts = new Float64Array(n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (allowed(i, j)) counts[i * n + j] = 1;
  if (o.topology === 'left-right') starts[0] = 1;
  else starts.fill(1);
  for (const a of assignments) {
    if (o.topology === 'ergodic') starts[a[0]!]!++;
    for (let t = 1; t < a.length; t++) if (allowed(a[t - 1]!, a[t]!)) counts[a[t - 1]! * n + a[t]!]!++;
  }
  const startTotal = starts.reduce((x, y) => x + y, 0);
  for (let i = 0; i < n; i++) {
    let total = 0;
    for (let j = 0; j < n; j++) total += counts[i * n + j]!;
    for (let j = 0; j < n; j++) counts[i * n + j]! /= total;
  }
  return { startProbabilities: starts.map((c) => c / startTotal), transitions: counts };
}
