import { InputError } from '@polyfuse/core';
import { forwardBackward } from '../inference/forwardBackward.js';
import type { MarkovChain } from '../inference/markovChain.js';
import type { BaumWelchModel, StatePosteriors } from './baumWelchModel.js';
import type { VarianceFloorOptions } from './varianceFloor.js';

/** The observation type a model trains on (`FrameMatrix` for GaussianHmm). */
export type ObservationOf<M> = M extends BaumWelchModel<infer O, any> ? O : never;
/** The variance-floor type of a model (one Float64Array, or one per stream). */
export type FloorOf<M> = M extends BaumWelchModel<any, infer F> ? F : never;

export interface BaumWelchOptions extends VarianceFloorOptions {
  /** At most this many re-estimations. Default 20. */
  maxIterations?: number;
  /**
   * Stop when the training log-likelihood per frame improves by less than
   * this (nats per frame) from one iteration to the next. Default 1e-4.
   */
  tolerance?: number;
  /** Called after each E-step with the log-likelihood of the model before that iteration's update. */
  onIteration?: (info: { iteration: number; logLikelihood: number; perFrame: number }) => void;
}

export interface BaumWelchStepResult<M> {
  /** The re-estimated model. */
  model: M;
  /** Total log-likelihood of the training data under the model *before* the update. */
  logLikelihood: number;
  /** Sequences skipped because the model gives them probability 0. */
  skipped: number;
}

export interface BaumWelchResult<M> {
  model: M;
  /** Training log-likelihood before each update (the first entry is the initial model's). */
  logLikelihoods: number[];
  iterations: number;
  converged: boolean;
}

/**
 * One Baum-Welch (EM) iteration over all sequences, in the standard
 * formulation (Rabiner 1989, eq. 40; pomegranate 0.14's `summarize` +
 * `from_summaries` with no pseudocounts, inertia 0 and no end state):
 * `pi_i = mean over sequences of gamma_1(i)`, `a_ij = sum xi(i,j) / sum_j' xi(i,j')`
 * pooled over sequences, emissions refitted from the frames weighted by `gamma`.
 * Rows and states that saw no probability mass keep their parameters.
 */
export function baumWelchStep<M extends BaumWelchModel<any, any>>(model: M, observations: readonly ObservationOf<M>[], varianceFloor: FloorOf<M>): BaumWelchStepResult<M> {
  if (observations.length === 0) throw new InputError('Baum-Welch: no training sequences.');
  const n = model.numStates;
  const startCounts = new Float64Array(n);
  const transitionCounts = new Float64Array(n * n);
  const posteriors: StatePosteriors<ObservationOf<M>>[] = [];
  let logLikelihood = 0;
  let skipped = 0;
  for (const observation of observations) {
    const frames = model.frameCount(observation);
    const result = forwardBackward(model, model.emissionLogLikelihoods(observation), frames);
    if (result.logLikelihood === -Infinity) {
      skipped++;
      continue;
    }
    logLikelihood += result.logLikelihood;
    for (let i = 0; i < n; i++) startCounts[i]! += result.gamma[i]!;
    for (let k = 0; k < n * n; k++) transitionCounts[k]! += result.expectedTransitions[k]!;
    posteriors.push({ observation, gamma: result.gamma });
  }
  if (posteriors.length === 0) {
    throw new InputError(`Baum-Welch: the model gives probability 0 to all ${observations.length} training sequences (are they shorter than the left-right chain needs?).`);
  }
  const chain = normaliseCounts(model, startCounts, transitionCounts, posteriors.length);
  return { model: model.reestimated(chain, posteriors, varianceFloor) as M, logLikelihood, skipped };
}

function normaliseCounts(previous: MarkovChain, startCounts: Float64Array, transitionCounts: Float64Array, sequences: number): MarkovChain {
  const n = previous.numStates;
  const startProbabilities = startCounts.map((c) => c / sequences);
  const transitions = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    let total = 0;
    for (let j = 0; j < n; j++) total += transitionCounts[i * n + j]!;
    for (let j = 0; j < n; j++) {
      transitions[i * n + j] = total > 0 ? transitionCounts[i * n + j]! / total : previous.transitions[i * n + j]!;
    }
  }
  return { numStates: n, startProbabilities, transitions };
}

/**
 * Baum-Welch training to convergence: iterates `baumWelchStep` until the
 * per-frame log-likelihood improves by less than `tolerance` or
 * `maxIterations` updates were made. Deterministic: no randomness here (the
 * initial model carries the seed).
 */
export function trainBaumWelch<M extends BaumWelchModel<any, any>>(model: M, observations: readonly ObservationOf<M>[], options: BaumWelchOptions = {}): BaumWelchResult<M> {
  const { maxIterations = 20, tolerance = 1e-4, onIteration } = options;
  if (!Number.isInteger(maxIterations) || maxIterations < 0) throw new InputError(`Baum-Welch: maxIterations must be an integer >= 0, got ${maxIterations}.`);
  if (!(tolerance >= 0)) throw new InputError(`Baum-Welch: tolerance must be >= 0, got ${tolerance}.`);
  const floor = model.varianceFloor(observations, options) as FloorOf<M>;
  let frames = 0;
  for (const o of observations) frames += model.frameCount(o);
  const logLikelihoods: number[] = [];
  let current = model;
  let converged = false;
  let iterations = 0;
  while (iterations < maxIterations) {
    const step = baumWelchStep(current, observations, floor);
    logLikelihoods.push(step.logLikelihood);
    onIteration?.({ iteration: iterations, logLikelihood: step.logLikelihood, perFrame: step.logLikelihood / frames });
    const previous = logLikelihoods[logLikelihoods.length - 2];
    if (previous !== undefined && (step.logLikelihood - previous) / frames < tolerance) {
      converged = true; // the model before this step is (practically) the optimum; keep the step's model, it is no worse
    }
    current = step.model;
    iterations++;
    if (converged) break;
  }
  return { model: current, logLikelihoods, iterations, converged };
}
