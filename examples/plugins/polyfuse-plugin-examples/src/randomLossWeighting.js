// weighting/example-rlw: Random Loss Weighting.
import * as tf from '@tensorflow/tfjs';

/** @typedef {import('@polyfuse/losses').WeightingStrategy} WeightingStrategy */
/** @typedef {import('@polyfuse/losses').WeightingContext} WeightingContext */
/** @typedef {import('@polyfuse/losses').WeightedGradients} WeightedGradients */
/** @typedef {import('@polyfuse/core').RegistryEntry<Record<string, unknown>, WeightingStrategy>} WeightingEntry */

/**
 * The weights Random Loss Weighting gives `count` terms at one step: the
 * softmax of `count` standard normal draws, summing to 1 (Lin et al.,
 * "Reasonable Effectiveness of Random Weighting: A Litmus Test for
 * Multi-Task Learning", TMLR 2022; LibMTL 1.1's `RLW`:
 * `F.softmax(torch.randn(task_num), dim=-1)`). The draws are seeded by
 * `seed` and `step` only, so a resumed run, or a replica, draws the same
 * weights at the same step without saving any state.
 *
 * @param {number} count
 * @param {number} seed
 * @param {number} step
 * @returns {number[]}
 */
export function randomLossWeights(count, seed, step) {
  return tf.tidy(() => Array.from(tf.softmax(tf.randomNormal([count], 0, 1, 'float32', seed * 1_000_003 + step)).dataSync()));
}

/**
 * `L = Σ_k w_k L_k` with fresh random weights `w` every step, differentiated
 * in one backward pass. Implements the WeightingStrategy contract of
 * @polyfuse/losses (packages/losses/src/weighting/weightingStrategy.ts).
 *
 * @implements {WeightingStrategy}
 */
export class RandomLossWeighting {
  name = 'example-rlw';
  /** RLW learns nothing. @type {tf.Variable[]} */
  variables = [];

  /** @param {{ seed?: number }} [options] */
  constructor(options = {}) {
    this.seed = options.seed ?? 0;
  }

  /**
   * @param {Record<string, () => tf.Scalar>} terms
   * @param {WeightingContext} context
   * @returns {WeightedGradients}
   */
  computeGradients(terms, context) {
    const names = Object.keys(terms);
    if (names.length === 0) throw new Error('weighting/example-rlw: no loss terms.');
    const variables = context.variables.filter((v) => v.trainable);
    const drawn = randomLossWeights(names.length, this.seed, context.step);
    const weights = Object.fromEntries(names.map((name, i) => [name, drawn[i]]));
    /** @type {Record<string, tf.Scalar>} */
    const kept = {};
    const { value, grads } = tf.variableGrads(() => {
      let total = tf.scalar(0);
      for (const name of names) {
        const loss = terms[name]();
        kept[name] = tf.keep(loss.clone());
        total = tf.add(total, tf.mul(loss, weights[name]));
      }
      return total;
    }, variables);
    const losses = Object.fromEntries(names.map((name) => [name, kept[name].dataSync()[0]]));
    tf.dispose(Object.values(kept));
    const total = value.dataSync()[0];
    value.dispose();
    for (const [name, loss] of Object.entries(losses)) {
      if (!Number.isFinite(loss)) throw new Error(`weighting/example-rlw: loss term '${name}' is ${loss} at step ${context.step}.`);
    }
    // The trainer expects a gradient for every variable; a term that does not reach one contributes zeros.
    /** @type {tf.NamedTensorMap} */
    const all = {};
    for (const v of variables) all[v.name] = grads[v.name] ?? tf.zerosLike(v);
    return { grads: all, losses, weights, total };
  }

  getState() {
    return {};
  }

  setState() {}
}

/** @type {WeightingEntry} */
export const randomLossWeightingEntry = {
  kind: 'weighting',
  name: 'example-rlw',
  description: 'Random Loss Weighting: softmax of normal draws each step (Lin et al. 2022, LibMTL RLW).',
  schema: {
    seed: { type: 'integer', default: 0, description: 'Seed of the weight draws (with the step number).' },
  },
  create: (config) => new RandomLossWeighting(/** @type {any} */ (config)),
};
