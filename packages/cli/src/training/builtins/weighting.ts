import { ConfigError } from '@polyfuse/core';
import { trainingRegistry } from '../trainingRegistry.js';
import type { WeightingStrategy } from '../contracts.js';

/** `weighting/static`: fixed weights per term (default 1 each). */
trainingRegistry.register({
  kind: 'weighting',
  name: 'static',
  description: 'Fixed weight per loss term (default 1).',
  schema: { weights: { type: 'object', default: {}, description: 'Term name to weight.' } },
  create: (config: { weights: Record<string, unknown>; terms: string[] }): WeightingStrategy => {
    for (const [term, weight] of Object.entries(config.weights)) {
      if (!config.terms.includes(term)) {
        throw new ConfigError(`loss.weighting.config.weights.${term}: no loss term '${term}'. Loss terms: ${config.terms.join(', ')}.`);
      }
      if (typeof weight !== 'number' || !Number.isFinite(weight) || weight < 0) {
        throw new ConfigError(`loss.weighting.config.weights.${term} must be a number >= 0, got ${JSON.stringify(weight)}.`);
      }
    }
    const weights = Object.fromEntries(config.terms.map((t) => [t, (config.weights[t] as number | undefined) ?? 1]));
    return { weights: () => ({ ...weights }), update: () => {}, getState: () => null, setState: () => {} };
  },
});

/**
 * `weighting/dwa`: Dynamic Weight Average (Liu, Johns & Davison, "End-to-end
 * multi-task learning with attention", CVPR 2019): w_k(t) = K exp(r_k / T) /
 * sum_j exp(r_j / T) with r_k = L_k(t-1) / L_k(t-2); all weights are 1 for the
 * first two epochs.
 */
trainingRegistry.register({
  kind: 'weighting',
  name: 'dwa',
  description: 'Dynamic Weight Average (Liu et al., CVPR 2019) from the last two epochs\' term losses.',
  schema: { temperature: { type: 'number', default: 2, min: 1e-6, description: 'Softmax temperature T.' } },
  create: (config: { temperature: number; terms: string[] }): WeightingStrategy => {
    let history: Record<string, number>[] = [];
    const weights = (): Record<string, number> => {
      if (history.length < 2) return Object.fromEntries(config.terms.map((t) => [t, 1]));
      const [older, newer] = history.slice(-2);
      const scores = config.terms.map((t) => Math.exp(newer[t] / Math.max(older[t], 1e-12) / config.temperature));
      const total = scores.reduce((a, b) => a + b, 0);
      return Object.fromEntries(config.terms.map((t, i) => [t, (config.terms.length * scores[i]) / total]));
    };
    return {
      weights,
      update: (losses) => {
        history = [...history, { ...losses }].slice(-2);
      },
      getState: () => history,
      setState: (state) => {
        history = Array.isArray(state) ? (state as Record<string, number>[]) : [];
      },
    };
  },
});
