import { tf, ConfigError, type RegistryEntry } from '@polyfuse/core';
import { FusionLayer, requirePooled, type FusionLayerArgs, type SampleShape } from '../layers/fusionLayer.js';
import { maskEmbedding } from '../layers/tensorOps.js';
import { LayerFusion, modalitiesField, resolveModalities, userConfig } from './layerFusion.js';

/** Largest fused size tensor fusion builds before it asks for low-rank fusion instead. */
export const maxTensorFusionSize = 1_000_000;

/**
 * Tensor Fusion (Zadeh et al., 2017, "Tensor Fusion Network for Multimodal
 * Sentiment Analysis"): the outer product of the embeddings, each with a 1
 * appended, `z = [e_1; 1] ⊗ [e_2; 1] ⊗ ... ⊗ [e_n; 1]`, flattened row-major
 * (the first modality's index varies slowest). Size `Π_i (D_i + 1)`. The
 * appended 1 keeps every unimodal and lower-order term; an absent modality is
 * `[0; 1]`, so only the terms of the present modalities remain. No weights:
 * the head (TFN's "sentiment inference subnetwork") learns from `z`.
 */
export class TensorFusionLayer extends FusionLayer {
  static className = 'PolyfuseTensorFusion';

  constructor(args: FusionLayerArgs) {
    super(args);
  }

  fusedShape(shapes: SampleShape[]): SampleShape {
    const size = shapes.reduce((product, s) => product * (s[0] + 1), 1);
    if (size > maxTensorFusionSize) {
      throw new ConfigError(`Tensor fusion of sizes ${shapes.map((s) => s[0]).join(' x ')} gives ${size} features (over ${maxTensorFusionSize}); use fusion/low-rank or smaller embeddings.`);
    }
    return [size];
  }

  protected createWeights(): void {}

  protected fuse(embeddings: tf.Tensor[], present: tf.Tensor2D[]): tf.Tensor {
    const withOne = embeddings.map((e, i) => {
      const x = maskEmbedding(e, present[i]);
      return tf.concat([x, tf.ones([x.shape[0], 1])], 1);
    });
    let z = withOne[0];
    for (const next of withOne.slice(1)) {
      const outer = tf.mul(tf.expandDims(z, 2), tf.expandDims(next, 1));
      z = tf.reshape(outer, [outer.shape[0], -1]);
    }
    return z;
  }

  protected fusionConfig(): tf.serialization.ConfigDict {
    return {};
  }
}
tf.serialization.registerClass(TensorFusionLayer);

export const tensorFusionEntry: RegistryEntry<Record<string, unknown>, LayerFusion<TensorFusionLayer>> = {
  kind: 'fusion',
  name: 'tensor',
  description: 'Tensor Fusion Network: outer product of the embeddings with an appended 1.',
  schema: { ...modalitiesField },
  create(config) {
    const { modalities, inputShapes } = resolveModalities('tensor', config);
    requirePooled('tensor', inputShapes);
    const layer = new TensorFusionLayer({ numModalities: modalities.length });
    return new LayerFusion(layer, modalities, inputShapes, userConfig('tensor', config));
  },
};
