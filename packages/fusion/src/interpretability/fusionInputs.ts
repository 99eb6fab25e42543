import { tf, InputError, maskInputName, type MultimodalModel, type ModelInputs } from '@polyfuse/core';
import { FusionLayer } from '../layers/fusionLayer.js';
import { replayGraph } from './graphReplay.js';

/** A fusion layer inside a model, with the modality of each of its inputs. */
export interface FusionSite {
  layer: FusionLayer;
  /** Modality of each embedding input, in the layer's order. */
  modalities: string[];
  /** The layer's symbolic inputs `[emb..., mask...]`. */
  inputs: tf.SymbolicTensor[];
}

/**
 * The fusion layers of a model (built or loaded) and the modality feeding
 * each of their inputs, read from the mask inputs (`mask_<modality>`), so it
 * needs no knowledge of how the model was built.
 */
export function findFusionSites(model: MultimodalModel): FusionSite[] {
  const sites: FusionSite[] = [];
  const byMaskName = new Map(model.modalities.map((m) => [maskInputName(m), m]));
  for (const layer of model.model.layers) {
    if (!(layer instanceof FusionLayer)) continue;
    const node = (layer as unknown as { inboundNodes: { inputTensors: tf.SymbolicTensor[] }[] }).inboundNodes[0];
    if (!node) continue;
    const masks = node.inputTensors.slice(layer.numModalities, 2 * layer.numModalities);
    const modalities = masks.map((t) => {
      const m = byMaskName.get(t.sourceLayer.name);
      if (!m) throw new InputError(`Fusion layer '${layer.name}' takes a mask that is not a model mask input (${t.sourceLayer.name}).`);
      return m;
    });
    sites.push({ layer, modalities, inputs: node.inputTensors });
  }
  return sites;
}

/** Model inputs in the model's order, masks defaulting to all-present. Returns what it created, for disposal. */
export function feedsFor(model: MultimodalModel, batch: ModelInputs): { feeds: Map<number, tf.Tensor>; created: tf.Tensor[] } {
  const feeds = new Map<number, tf.Tensor>();
  const created: tf.Tensor[] = [];
  const n = model.modalities.length;
  model.modalities.forEach((m, i) => {
    const x = batch.inputs[m];
    if (!x) throw new InputError(`Missing input '${m}'. The model's modalities are: ${model.modalities.join(', ')}.`);
    feeds.set(model.model.inputs[i].id, x);
    let mask = batch.mask?.[m];
    if (!mask) {
      mask = tf.ones([x.shape[0]]);
      created.push(mask);
    }
    feeds.set(model.model.inputs[n + i].id, mask);
  });
  return { feeds, created };
}

/**
 * The embedding of each modality as the fusion sees it (the encoder outputs),
 * `{ image: [B, D], ... }`, and the symbolic tensor each comes from.
 */
export function embeddingsOf(model: MultimodalModel, batch: ModelInputs): { embeddings: Record<string, tf.Tensor>; symbolic: Record<string, tf.SymbolicTensor> } {
  const sites = findFusionSites(model);
  if (sites.length === 0) throw new InputError('The model has no polyfuse fusion layer, so its embeddings cannot be located.');
  const symbolic: Record<string, tf.SymbolicTensor> = {};
  for (const site of sites) site.modalities.forEach((m, i) => (symbolic[m] ??= site.inputs[i]));
  const { feeds, created } = feedsFor(model, batch);
  const names = Object.keys(symbolic);
  const values = tf.tidy(() => replayGraph(names.map((m) => symbolic[m]), feeds).map((t) => tf.clone(t)));
  tf.dispose(created);
  return { embeddings: Object.fromEntries(names.map((m, i) => [m, values[i]])), symbolic };
}
