import { registry, type RegistryEntry } from '@polyfuse/core';
import { concatFusionEntry } from '../fusions/concatFusion.js';
import { sumFusionEntry, meanFusionEntry } from '../fusions/sumFusion.js';
import { weightedFusionEntry } from '../fusions/weightedFusion.js';
import { attentionFusionEntry } from '../fusions/attentionFusion.js';
import { gatedFusionEntry } from '../fusions/gatedFusion.js';
import { filmFusionEntry } from '../fusions/filmFusion.js';
import { tensorFusionEntry } from '../fusions/tensorFusion.js';
import { lowRankFusionEntry } from '../fusions/lowRankFusion.js';
import { crossModalTransformerEntry } from '../fusions/crossModalTransformerFusion.js';
import { lateFusionEntry } from '../fusions/lateFusion.js';
import { earlyFusionEntry } from '../fusions/earlyFusion.js';
import { hybridFusionEntry } from '../fusions/hybridFusion.js';
import { mlpHeadEntry, linearHeadEntry } from '../heads/mlpHead.js';
import { identityHeadEntry } from '../heads/identityHead.js';
import { projectionHeadEntry } from '../heads/projectionHead.js';
import { flattenEncoderEntry } from '../encoders/flattenEncoder.js';

/** Everything this package registers: `fusion/*`, `head/mlp|linear|identity|projection`, `encoder/flatten`. */
export const fusionPackageEntries: RegistryEntry<any, any>[] = [
  concatFusionEntry,
  sumFusionEntry,
  meanFusionEntry,
  weightedFusionEntry,
  attentionFusionEntry,
  gatedFusionEntry,
  filmFusionEntry,
  tensorFusionEntry,
  lowRankFusionEntry,
  crossModalTransformerEntry,
  lateFusionEntry,
  earlyFusionEntry,
  hybridFusionEntry,
  mlpHeadEntry,
  linearHeadEntry,
  identityHeadEntry,
  projectionHeadEntry,
  flattenEncoderEntry,
];

/**
 * Registers this package's components in core's registry. Runs on import;
 * idempotent, so two copies of the package (source and build) can coexist.
 */
export function registerFusionComponents(): void {
  for (const entry of fusionPackageEntries) {
    if (!registry.has(entry.kind, entry.name)) registry.register(entry);
  }
}

registerFusionComponents();
