import { describe, expect, it } from 'vitest';
import { createMarkovChain, forward, forwardBackward, viterbi } from '../index.js';

// A 2-state model worked by hand. pi = [0.5, 0.5], A = [[0.9, 0.1], [0.2, 0.8]],
// emission probabilities b_t(j) given directly: frame 1 [0.5, 0.1], frame 2 [0.2, 0.4].
//   alpha_1 = [0.25, 0.05]
//   alpha_2 = [(0.25*0.9 + 0.05*0.2)*0.2, (0.25*0.1 + 0.05*0.8)*0.4] = [0.047, 0.026]   p(o) = 0.073
//   beta_1  = [0.9*0.2 + 0.1*0.4, 0.2*0.2 + 0.8*0.4] = [0.22, 0.36]
//   gamma_1 = [0.25*0.22, 0.05*0.36] / 0.073 = [0.055, 0.018] / 0.073;  gamma_2 = [0.047, 0.026] / 0.073
//   xi      = [[0.25*0.9*0.2, 0.25*0.1*0.4], [0.05*0.2*0.2, 0.05*0.8*0.4]] / 0.073 = [[0.045, 0.01], [0.002, 0.016]] / 0.073
//   Viterbi: delta_2 = [max(0.225, 0.01)*0.2, max(0.025, 0.04)*0.4] = [0.045, 0.016]  ->  path [0, 0], p = 0.045
const chain = createMarkovChain([0.5, 0.5], [[0.9, 0.1], [0.2, 0.8]]);
const logEmissions = Float64Array.from([0.5, 0.1, 0.2, 0.4], Math.log);

describe('forward-backward and Viterbi on a hand-checked 2-state case', () => {
  it('computes p(o) = 0.073', () => {
    expect(forward(chain, logEmissions, 2).logLikelihood).toBeCloseTo(Math.log(0.073), 12);
  });

  it('computes the state posteriors and expected transitions', () => {
    const { logLikelihood, gamma, expectedTransitions } = forwardBackward(chain, logEmissions, 2);
    expect(logLikelihood).toBeCloseTo(Math.log(0.073), 12);
    [0.055, 0.018, 0.047, 0.026].forEach((v, i) => expect(gamma[i]).toBeCloseTo(v / 0.073, 12));
    [0.045, 0.01, 0.002, 0.016].forEach((v, i) => expect(expectedTransitions[i]).toBeCloseTo(v / 0.073, 12));
  });

  it('finds the Viterbi path [0, 0] with probability 0.045', () => {
    const { path, logProbability } = viterbi(chain, logEmissions, 2);
    expect(Array.from(path)).toEqual([0, 0]);
    expect(logProbability).toBeCloseTo(Math.log(0.045), 12);
  });

  it('copes with emissions far below exp underflow (log b = -2000 per frame)', () => {
    const shifted = logEmissions.map((x) => x - 2000);
    expect(forward(chain, shifted, 2).logLikelihood).toBeCloseTo(Math.log(0.073) - 4000, 9);
    expect(forwardBackward(chain, shifted, 2).gamma[0]).toBeCloseTo(0.055 / 0.073, 12);
  });

  it('agrees with the log-domain recursions when a state is entered with probability 1e-320 (the scaled pass overflows)', () => {
    // State 1 is almost never entered, but its emissions are overwhelming: the scaled backward pass
    // overflows here and the log-domain fallback must give the same posteriors as a direct computation.
    const sticky = createMarkovChain([1, 0], [[1 - 1e-320, 1e-320], [0, 1]]);
    const frames = 30;
    const logs = new Float64Array(frames * 2);
    for (let t = 0; t < frames; t++) {
      logs[t * 2] = -1000;
      logs[t * 2 + 1] = t < 5 ? -1000 : 0;
    }
    const { gamma, logLikelihood } = forwardBackward(sticky, logs, frames);
    expect(Number.isFinite(logLikelihood)).toBe(true);
    for (let t = 0; t < frames; t++) expect(gamma[t * 2]! + gamma[t * 2 + 1]!).toBeCloseTo(1, 9);
    expect(gamma[29 * 2 + 1]).toBeCloseTo(1, 9);
    expect(forward(sticky, logs, frames).logLikelihood).toBeCloseTo(logLikelihood, 6);
  });

  it('names bad shapes', () => {
    expect(() => forward(chain, logEmissions, 0)).toThrow(/empty sequence/);
    expect(() => forward(chain, logEmissions, 3)).toThrow(/expected frames x states = 3 x 2/);
    expect(() => viterbi(chain, logEmissions, 0)).toThrow(/empty sequence/);
    expect(() => createMarkovChain([0.5, 0.5], [[1, 0]])).toThrow(/transitions must be 2 x 2/);
    expect(() => createMarkovChain([0.7, 0.7], [[1, 0], [0, 1]])).toThrow(/startProbabilities must sum to 1, got 1.4/);
  });
});
