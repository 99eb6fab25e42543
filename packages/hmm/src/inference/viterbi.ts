import { InputError } from '@polyfuse/core';
import type { MarkovChain } from './markovChain.js';

export interface ViterbiResult {
  /** The most likely state sequence, one state index per frame. */
  path: Int32Array;
  /** `log p(o, path)` of that path. */
  logProbability: number;
}

/**
 * The most likely state path (Viterbi), in log space:
 * `delta_t(j) = max_i [delta_t-1(i) + log a_ij] + log b_j(o_t)`, ending in any
 * state (no end state). Ties go to the lowest state index. A sequence the
 * model cannot produce gives `logProbability = -Infinity` and an all-zero path.
 */
export function viterbi(chain: MarkovChain, logEmissions: Float64Array, frames: number): ViterbiResult {
  const n = chain.numStates;
  if (!Number.isInteger(frames) || frames < 1) throw new InputError(`viterbi: empty sequence (${frames} frames); a sequence needs at least one frame.`);
  if (logEmissions.length !== frames * n) throw new InputError(`viterbi: log-emissions have ${logEmissions.length} values; expected frames x states = ${frames} x ${n}.`);
  const logA = chain.transitions.map(Math.log);
  let delta = new Float64Array(n);
  let next = new Float64Array(n);
  const backPointers = new Int32Array(frames * n);
  for (let j = 0; j < n; j++) delta[j] = Math.log(chain.startProbabilities[j]!) + logEmissions[j]!;
  for (let t = 1; t < frames; t++) {
    for (let j = 0; j < n; j++) {
      let best = -Infinity;
      let from = 0;
      for (let i = 0; i < n; i++) {
        const score = delta[i]! + logA[i * n + j]!;
        if (score > best) {
          best = score;
          from = i;
        }
      }
      next[j] = best + logEmissions[t * n + j]!;
      backPointers[t * n + j] = from;
    }
    [delta, next] = [next, delta];
  }
  let last = 0;
  for (let j = 1; j < n; j++) if (delta[j]! > delta[last]!) last = j;
  const logProbability = delta[last]!;
  const path = new Int32Array(frames);
  if (logProbability === -Infinity) return { path, logProbability };
  path[frames - 1] = last;
  for (let t = frames - 1; t > 0; t--) path[t - 1] = backPointers[t * n + path[t]!]!;
  return { path, logProbability };
}
