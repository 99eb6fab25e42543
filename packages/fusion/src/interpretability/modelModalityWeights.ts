import { tf, type MultimodalModel, type ModelInputs } from '@polyfuse/core';
import { hasModalityWeights } from '../fusions/layerFusion.js';
import { findFusionSites, feedsFor } from './fusionInputs.js';
import { replayGraph } from './graphReplay.js';
import { CrossModalTransformerLayer } from '../fusions/crossModalTransformerFusion.js';

/** Per-sample modality weights of one fusion layer of a model. */
export interface FusionWeights {
  /** The fusion layer's name. */
  layer: string;
  /** `weights[modality][sample]`; 0 where the modality is absent. */
  weights: Record<string, number[]>;
}

/**
 * The per-sample modality weights of every fusion layer in a model that has
 * them (weighted, attention, gated, late), for a concrete batch; works on
 * built and loaded models alike.
 */
export function modelModalityWeights(model: MultimodalModel, batch: ModelInputs): FusionWeights[] {
  const { feeds, created } = feedsFor(model, batch);
  try {
    return findFusionSites(model)
      .filter((site) => hasModalityWeights(site.layer))
      .map((site) =>
        tf.tidy(() => {
          const inputs = replayGraph(site.inputs, feeds);
          const weights = (site.layer as unknown as { modalityWeights(x: tf.Tensor[]): tf.Tensor2D }).modalityWeights(inputs);
          const rows = weights.arraySync();
          return { layer: site.layer.name, weights: Object.fromEntries(site.modalities.map((m, i) => [m, rows.map((r) => r[i])])) };
        }),
      );
  } finally {
    tf.dispose(created);
  }
}

/**
 * The cross-modal attention maps of each cross-modal transformer in a model:
 * `maps['<target>-><source>'][sample][t_target][t_source]`, averaged over
 * heads, from the last block of each pair.
 */
export function modelAttentionMaps(model: MultimodalModel, batch: ModelInputs): { layer: string; maps: Record<string, number[][][]> }[] {
  const { feeds, created } = feedsFor(model, batch);
  try {
    return findFusionSites(model)
      .filter((site) => site.layer instanceof CrossModalTransformerLayer)
      .map((site) =>
        tf.tidy(() => {
          const maps = (site.layer as CrossModalTransformerLayer).attentionMaps(replayGraph(site.inputs, feeds));
          const named: Record<string, number[][][]> = {};
          for (const [key, value] of Object.entries(maps)) {
            const [t, s] = key.split('->').map(Number);
            named[`${site.modalities[t]}->${site.modalities[s]}`] = value.arraySync();
          }
          return { layer: site.layer.name, maps: named };
        }),
      );
  } finally {
    tf.dispose(created);
  }
}
