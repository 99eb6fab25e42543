import type { MarkovChain } from '../inference/markovChain.js';
import type { VarianceFloorOptions } from './varianceFloor.js';

/** One training observation with its per-frame state posteriors `gamma` (`[T, N]`). */
export interface StatePosteriors<Observation> {
  observation: Observation;
  gamma: Float64Array;
}

/**
 * What Baum-Welch needs from a model: its Markov chain, emission
 * log-likelihoods per frame and state, and a way to re-estimate the emissions
 * from state posteriors. GaussianHmm (one stream) and MultiStreamHmm implement it.
 */
export interface BaumWelchModel<Observation, Floor> extends MarkovChain {
  frameCount(observation: Observation): number;
  emissionLogLikelihoods(observation: Observation): Float64Array;
  /** The variance floor for this training set, computed once before the iterations. */
  varianceFloor(observations: readonly Observation[], options: VarianceFloorOptions): Floor;
  /** A new model with `chain`'s probabilities and emissions re-estimated from the posteriors. */
  reestimated(chain: MarkovChain, posteriors: readonly StatePosteriors<Observation>[], varianceFloor: Floor): BaumWelchModel<Observation, Floor>;
}
