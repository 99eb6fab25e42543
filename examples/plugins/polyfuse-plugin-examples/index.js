// polyfuse-plugin-examples: importing this package registers one component of
// each kind in @polyfuse/core's registry. A config loads it with
// `plugins: [polyfuse-plugin-examples]`.
import { registry } from '@polyfuse/core';
import { maxFusionEntry } from './src/maxFusion.js';
import { focalLossEntry } from './src/focalLoss.js';
import { randomLossWeightingEntry } from './src/randomLossWeighting.js';
import { balancedAccuracyEntry } from './src/balancedAccuracy.js';
import { cosineHeadEntry } from './src/cosineHead.js';

export { maskedMax, MaxFusionLayer, createMaxFusion, maxFusionEntry } from './src/maxFusion.js';
export { focalLoss, focalLossEntry } from './src/focalLoss.js';
export { randomLossWeights, RandomLossWeighting, randomLossWeightingEntry } from './src/randomLossWeighting.js';
export { balancedAccuracyScore, balancedAccuracyFromConfusion, BalancedAccuracyMetric, balancedAccuracyEntry } from './src/balancedAccuracy.js';
export { cosineLogits, CosineClassifier, createCosineHead, cosineHeadEntry } from './src/cosineHead.js';

/** Everything this package registers. */
export const entries = [maxFusionEntry, focalLossEntry, randomLossWeightingEntry, balancedAccuracyEntry, cosineHeadEntry];

// Importing twice (or from two paths) is a no-op; a name another package took first is an error, not a silent swap.
for (const entry of entries) {
  if (registry.has(entry.kind, entry.name)) {
    if (registry.get(entry.kind, entry.name).create !== entry.create) {
      throw new Error(`${entry.kind}/${entry.name} is already registered by another package.`);
    }
    continue;
  }
  registry.register(entry);
}
