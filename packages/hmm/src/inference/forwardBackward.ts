import { InputError } from '@polyfuse/core';
import { logAddExp } from '../math/logSumExp.js';
import type { MarkovChain } from './markovChain.js';

export interface ForwardResult {
  /** `log p(o_1..o_T)`, summed over the state at the last frame (no end state). */
  logLikelihood: number;
}

export interface ForwardBackwardResult extends ForwardResult {
  /** State posteriors `gamma[t * N + i] = P(s_t = i | o)`, `[T, N]`. */
  gamma: Float64Array;
  /** Expected transition counts `sum_t P(s_t = i, s_t+1 = j | o)`, `[N, N]`. */
  expectedTransitions: Float64Array;
}

function checkShapes(chain: MarkovChain, logEmissions: Float64Array, frames: number): void {
  if (!Number.isInteger(frames) || frames < 1) throw new InputError(`forward-backward: empty sequence (${frames} frames); a sequence needs at least one frame.`);
  if (logEmissions.length !== frames * chain.numStates) {
    throw new InputError(`forward-backward: log-emissions have ${logEmissions.length} values; expected frames x states = ${frames} x ${chain.numStates}.`);
  }
}

/**
 * The scaled forward pass (Rabiner 1989, section V.A): `alpha_hat_t` is the
 * filtered state distribution and `log p(o) = sum_t log c_t`. Emissions come as
 * logs (`logEmissions[t * N + j] = log b_j(o_t)`) and each frame is rescaled by
 * its largest `predicted_j * b_j(o_t)` before exponentiating, so that
 * 40-dimensional Gaussians whose densities underflow `exp` still work.
 * Returns `-Infinity` for a sequence the model cannot produce.
 */
export function forward(chain: MarkovChain, logEmissions: Float64Array, frames: number): ForwardResult {
  checkShapes(chain, logEmissions, frames);
  return { logLikelihood: scaledPasses(chain, logEmissions, frames, false).logLikelihood };
}

/**
 * Scaled forward-backward: state posteriors and expected transition counts
 * for one sequence, the E-step of Baum-Welch. Falls back to the (slower)
 * log-domain recursions when the scaled backward variables overflow, which
 * happens only for extremely peaked emissions.
 */
export function forwardBackward(chain: MarkovChain, logEmissions: Float64Array, frames: number): ForwardBackwardResult {
  checkShapes(chain, logEmissions, frames);
  const scaled = scaledPasses(chain, logEmissions, frames, true);
  if (scaled.logLikelihood === -Infinity) {
    return { logLikelihood: -Infinity, gamma: new Float64Array(frames * chain.numStates), expectedTransitions: new Float64Array(chain.numStates * chain.numStates) };
  }
  if (scaled.gamma && isUsable(scaled.gamma) && isUsable(scaled.expectedTransitions!)) {
    return { logLikelihood: scaled.logLikelihood, gamma: scaled.gamma, expectedTransitions: scaled.expectedTransitions! };
  }
  return logDomainForwardBackward(chain, logEmissions, frames);
}

function isUsable(values: Float64Array): boolean {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i]!)) return false;
  return true;
}

function scaledPasses(chain: MarkovChain, logEmissions: Float64Array, frames: number, backward: boolean) {
  const n = chain.numStates;
  const a = chain.transitions;
  const alpha = new Float64Array(frames * n);
  // Scaled emissions b~_t(j) = exp(log b_t(j) - shift_t), and the normaliser c_t.
  const scaledEmissions = new Float64Array(frames * n);
  const normalisers = new Float64Array(frames);
  const predicted = new Float64Array(n);
  let logLikelihood = 0;
  for (let t = 0; t < frames; t++) {
    if (t === 0) predicted.set(chain.startProbabilities);
    else {
      predicted.fill(0);
      for (let i = 0; i < n; i++) {
        const ai = alpha[(t - 1) * n + i]!;
        if (ai === 0) continue;
        for (let j = 0; j < n; j++) predicted[j]! += ai * a[i * n + j]!;
      }
    }
    let shift = -Infinity;
    for (let j = 0; j < n; j++) {
      if (predicted[j]! > 0) {
        const value = Math.log(predicted[j]!) + logEmissions[t * n + j]!;
        if (value > shift) shift = value;
      }
    }
    if (shift === -Infinity) return { logLikelihood: -Infinity };
    if (!Number.isFinite(shift)) throw new InputError(`forward-backward: frame ${t} has a log-emission of ${shift}; emissions must be finite (is a variance 0?).`);
    // The winning term becomes exactly 1, so c_t lies in [1, N]: dividing by it never overflows.
    let normaliser = 0;
    for (let j = 0; j < n; j++) {
      const logB = logEmissions[t * n + j]!;
      // alpha from logs (each term <= 1); b~ = exp(log b - shift) only feeds the backward pass, where it may overflow.
      const value = predicted[j]! > 0 ? Math.exp(Math.log(predicted[j]!) + logB - shift) : 0;
      if (backward) scaledEmissions[t * n + j] = Math.exp(logB - shift);
      alpha[t * n + j] = value;
      normaliser += value;
    }
    for (let j = 0; j < n; j++) alpha[t * n + j]! /= normaliser;
    normalisers[t] = normaliser;
    logLikelihood += shift + Math.log(normaliser);
  }
  if (!backward) return { logLikelihood };

  const beta = new Float64Array(frames * n);
  beta.fill(1, (frames - 1) * n);
  const gamma = new Float64Array(frames * n);
  const expectedTransitions = new Float64Array(n * n);
  const weighted = new Float64Array(n);
  for (let t = frames - 2; t >= 0; t--) {
    const c = normalisers[t + 1]!;
    for (let j = 0; j < n; j++) weighted[j] = (scaledEmissions[(t + 1) * n + j]! * beta[(t + 1) * n + j]!) / c;
    for (let i = 0; i < n; i++) {
      let sum = 0;
      const ai = alpha[t * n + i]!;
      for (let j = 0; j < n; j++) {
        const term = a[i * n + j]! * weighted[j]!;
        sum += term;
        if (ai !== 0 && term !== 0) expectedTransitions[i * n + j]! += ai * term;
      }
      beta[t * n + i] = sum;
    }
  }
  for (let t = 0; t < frames; t++) {
    let total = 0;
    for (let i = 0; i < n; i++) {
      const g = alpha[t * n + i]! * beta[t * n + i]!;
      gamma[t * n + i] = g;
      total += g;
    }
    // alpha_hat * beta_hat sums to 1 exactly in exact arithmetic; renormalise the rounding away.
    for (let i = 0; i < n; i++) gamma[t * n + i]! /= total;
  }
  return { logLikelihood, gamma, expectedTransitions };
}

/** The textbook recursions in log space: slower, never overflows. */
function logDomainForwardBackward(chain: MarkovChain, logEmissions: Float64Array, frames: number): ForwardBackwardResult {
  const n = chain.numStates;
  const logA = chain.transitions.map(Math.log);
  const logAlpha = new Float64Array(frames * n);
  const logBeta = new Float64Array(frames * n);
  for (let j = 0; j < n; j++) logAlpha[j] = Math.log(chain.startProbabilities[j]!) + logEmissions[j]!;
  for (let t = 1; t < frames; t++) {
    for (let j = 0; j < n; j++) {
      let sum = -Infinity;
      for (let i = 0; i < n; i++) sum = logAddExp(sum, logAlpha[(t - 1) * n + i]! + logA[i * n + j]!);
      logAlpha[t * n + j] = sum + logEmissions[t * n + j]!;
    }
  }
  let logLikelihood = -Infinity;
  for (let i = 0; i < n; i++) logLikelihood = logAddExp(logLikelihood, logAlpha[(frames - 1) * n + i]!);
  for (let t = frames - 2; t >= 0; t--) {
    for (let i = 0; i < n; i++) {
      let sum = -Infinity;
      for (let j = 0; j < n; j++) sum = logAddExp(sum, logA[i * n + j]! + logEmissions[(t + 1) * n + j]! + logBeta[(t + 1) * n + j]!);
      logBeta[t * n + i] = sum;
    }
  }
  const gamma = new Float64Array(frames * n);
  for (let k = 0; k < gamma.length; k++) gamma[k] = Math.exp(logAlpha[k]! + logBeta[k]! - logLikelihood);
  const expectedTransitions = new Float64Array(n * n);
  for (let t = 0; t < frames - 1; t++) {
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        expectedTransitions[i * n + j]! += Math.exp(logAlpha[t * n + i]! + logA[i * n + j]! + logEmissions[(t + 1) * n + j]! + logBeta[(t + 1) * n + j]! - logLikelihood);
      }
    }
  }
  return { logLikelihood, gamma, expectedTransitions };
}
