import { tf, type RegistryEntry } from '@polyfuse/core';
import { FusionLayer, requirePooled, type FusionLayerArgs, type SampleShape } from '../layers/fusionLayer.js';
import { maskEmbedding } from '../layers/tensorOps.js';
import { LayerFusion, modalitiesField, resolveModalities, userConfig } from './layerFusion.js';

export interface LowRankFusionArgs extends FusionLayerArgs {
  /** Rank r of the factorisation. Default 4. */
  rank?: number;
  /** Fused size. Default 64. */
  units?: number;
}

/**
 * Low-rank Multimodal Fusion (Liu et al., 2018, "Efficient Low-rank
 * Multimodal Fusion with Modality-Specific Factors"), as the authors' LMF
 * module: modality factors `F_i` of shape `[r, D_i + 1, units]`, rank
 * weights `w` `[1, r]` and a bias `[1, units]`;
 * `h = Σ_k w_k Π_i ([e_i; 1] F_i[k]) + b`. This equals TFN's outer product
 * followed by a linear layer whose weight tensor has rank r, without
 * building the outer product. An absent modality is `[0; 1]`, as in TFN.
 * Weights are named `factor_<i>`, `fusion_weights`, `fusion_bias`.
 */
export class LowRankFusionLayer extends FusionLayer {
  static className = 'PolyfuseLowRankFusion';
  readonly rank: number;
  readonly units: number;
  private factors: tf.LayerVariable[] = [];
  private fusionWeights?: tf.LayerVariable;
  private fusionBias?: tf.LayerVariable;

  constructor(args: LowRankFusionArgs) {
    super(args);
    this.rank = args.rank ?? 4;
    this.units = args.units ?? 64;
  }

  fusedShape(): SampleShape {
    return [this.units];
  }

  protected createWeights(shapes: SampleShape[]): void {
    // Xavier-normal factors and weights, zero bias, as the reference implementation.
    shapes.forEach((s, i) => this.factors.push(this.weight(`factor_${i}`, [this.rank, s[0] + 1, this.units], tf.initializers.glorotNormal({}))));
    this.fusionWeights = this.weight('fusion_weights', [1, this.rank], tf.initializers.glorotNormal({}));
    this.fusionBias = this.weight('fusion_bias', [1, this.units], 'zeros');
  }

  protected fuse(embeddings: tf.Tensor[], present: tf.Tensor2D[]): tf.Tensor {
    let product: tf.Tensor | undefined;
    embeddings.forEach((e, i) => {
      const x = maskEmbedding(e, present[i]);
      const z = tf.concat([x, tf.ones([x.shape[0], 1])], 1);
      // [r, D+1, u] -> [D+1, r*u], so one matMul gives every rank's projection: [B, r, u].
      const factor = tf.reshape(tf.transpose(this.factors[i].read(), [1, 0, 2]), [z.shape[1]!, this.rank * this.units]);
      const projected = tf.reshape(tf.matMul(z as tf.Tensor2D, factor as tf.Tensor2D), [-1, this.rank, this.units]);
      product = product ? tf.mul(product, projected) : projected;
    });
    const weighted = tf.mul(product!, tf.reshape(this.fusionWeights!.read(), [1, this.rank, 1]));
    return tf.add(tf.sum(weighted, 1), this.fusionBias!.read());
  }

  protected fusionConfig(): tf.serialization.ConfigDict {
    return { rank: this.rank, units: this.units };
  }
}
tf.serialization.registerClass(LowRankFusionLayer);

export const lowRankFusionEntry: RegistryEntry<Record<string, unknown>, LayerFusion<LowRankFusionLayer>> = {
  kind: 'fusion',
  name: 'low-rank',
  description: 'Low-rank Multimodal Fusion (LMF): TFN with a rank-r factorised weight tensor.',
  schema: {
    ...modalitiesField,
    rank: { type: 'integer', min: 1, default: 4, description: 'Rank of the factorisation.' },
    units: { type: 'integer', min: 1, default: 64, description: 'Fused size.' },
  },
  create(config) {
    const { modalities, inputShapes } = resolveModalities('low-rank', config);
    requirePooled('low-rank', inputShapes);
    const layer = new LowRankFusionLayer({ numModalities: modalities.length, rank: config.rank as number, units: config.units as number });
    return new LayerFusion(layer, modalities, inputShapes, userConfig('low-rank', config));
  },
};
