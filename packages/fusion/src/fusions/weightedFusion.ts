import { tf, ConfigError, type RegistryEntry } from '@polyfuse/core';
import { FusionLayer, requirePooled, type FusionLayerArgs, type SampleShape } from '../layers/fusionLayer.js';
import { linear, maskEmbedding, maskedSoftmax } from '../layers/tensorOps.js';
import { LayerFusion, modalitiesField, resolveModalities, userConfig, type ModalityWeighting } from './layerFusion.js';

export interface WeightedFusionArgs extends FusionLayerArgs {
  /** When > 0, each modality is first linearly projected to this size (needed when sizes differ). Default 0. */
  units?: number;
}

/**
 * Learned weighted sum: one trainable logit `w_i` per modality (initialised to
 * 0, i.e. equal weights), `α_i = softmax(w)_i` taken over the modalities
 * present in the sample, output `Σ_i α_i p_i(e_i)` with `p_i` an optional
 * linear projection. The weights are the same for every sample except for the
 * renormalisation when a modality is absent.
 */
export class WeightedFusionLayer extends FusionLayer implements ModalityWeighting {
  static className = 'PolyfuseWeightedFusion';
  readonly units: number;
  private logits?: tf.LayerVariable;
  private kernels: tf.LayerVariable[] = [];
  private biases: tf.LayerVariable[] = [];

  constructor(args: WeightedFusionArgs) {
    super(args);
    this.units = args.units ?? 0;
  }

  fusedShape(shapes: SampleShape[]): SampleShape {
    if (this.units > 0) return [this.units];
    if (new Set(shapes.map((s) => s[0])).size !== 1) {
      throw new ConfigError(`weighted fusion needs equal embedding sizes (got ${shapes.map((s) => s[0]).join(', ')}); set units to project them to one size.`);
    }
    return [shapes[0][0]];
  }

  protected createWeights(shapes: SampleShape[]): void {
    this.logits = this.weight('modality_logits', [shapes.length], 'zeros');
    if (this.units === 0) return;
    shapes.forEach((s, i) => {
      this.kernels.push(this.weight(`kernel_${i}`, [s[0], this.units]));
      this.biases.push(this.weight(`bias_${i}`, [this.units], 'zeros'));
    });
  }

  private weightsFor(present: tf.Tensor2D[]): tf.Tensor2D {
    const mask = tf.concat(present, 1);
    const logits = tf.mul(tf.onesLike(mask), tf.reshape(this.logits!.read(), [1, -1]));
    return maskedSoftmax(logits, mask) as tf.Tensor2D;
  }

  protected fuse(embeddings: tf.Tensor[], present: tf.Tensor2D[]): tf.Tensor {
    const alpha = tf.unstack(this.weightsFor(present), 1);
    const parts = embeddings.map((e, i) => {
      const x = maskEmbedding(e, present[i]);
      const p = this.units > 0 ? linear(x, this.kernels[i].read(), this.biases[i].read()) : x;
      return tf.mul(maskEmbedding(p, present[i]), tf.reshape(alpha[i], [-1, 1]));
    });
    return tf.addN(parts);
  }

  modalityWeights(inputs: tf.Tensor[]): tf.Tensor2D {
    return tf.tidy(() => this.weightsFor(this.splitInputs(inputs).present));
  }

  protected fusionConfig(): tf.serialization.ConfigDict {
    return { units: this.units };
  }
}
tf.serialization.registerClass(WeightedFusionLayer);

export const weightedFusionEntry: RegistryEntry<Record<string, unknown>, LayerFusion<WeightedFusionLayer>> = {
  kind: 'fusion',
  name: 'weighted',
  description: 'Weighted sum with learned softmax weights per modality (renormalised over present modalities).',
  schema: {
    ...modalitiesField,
    units: { type: 'integer', min: 0, default: 0, description: 'Project each modality to this size first (needed when sizes differ); 0 = none.' },
  },
  create(config) {
    const { modalities, inputShapes } = resolveModalities('weighted', config);
    requirePooled('weighted', inputShapes);
    const layer = new WeightedFusionLayer({ numModalities: modalities.length, units: config.units as number });
    return new LayerFusion(layer, modalities, inputShapes, userConfig('weighted', config));
  },
};
