import { tf, ConfigError, type RegistryEntry } from '@polyfuse/core';
import { FusionLayer, requirePooled, type FusionLayerArgs, type SampleShape } from '../layers/fusionLayer.js';
import { activate, activationNames, linear, maskEmbedding } from '../layers/tensorOps.js';
import { LayerFusion, modalitiesField, resolveModalities, userConfig } from './layerFusion.js';

export interface SumFusionArgs extends FusionLayerArgs {
  /** `sum` adds the present embeddings; `mean` divides by how many are present. Default `sum`. */
  reduction?: 'sum' | 'mean';
  /** When > 0, each modality is first projected to this size (needed when sizes differ). Default 0. */
  units?: number;
  /** Activation of the per-modality projections. Default `linear`. */
  activation?: string;
}

/**
 * Sum / mean fusion: `Σ_i m_i p_i(e_i)` or that divided by `max(Σ_i m_i, 1)`
 * (the mean over the modalities present in each sample), where `p_i` is an
 * optional per-modality projection (identity when `units` is 0). Absent
 * modalities contribute nothing, and the mean renormalises over the rest.
 */
export class SumFusionLayer extends FusionLayer {
  static className = 'PolyfuseSumFusion';
  readonly reduction: 'sum' | 'mean';
  readonly units: number;
  readonly activation: string;
  private kernels: tf.LayerVariable[] = [];
  private biases: tf.LayerVariable[] = [];

  constructor(args: SumFusionArgs) {
    super(args);
    this.reduction = args.reduction ?? 'sum';
    this.units = args.units ?? 0;
    this.activation = args.activation ?? 'linear';
  }

  fusedShape(shapes: SampleShape[]): SampleShape {
    if (this.units > 0) return [this.units];
    const sizes = new Set(shapes.map((s) => s[0]));
    if (sizes.size !== 1) {
      throw new ConfigError(`${this.reduction} fusion needs equal embedding sizes (got ${shapes.map((s) => s[0]).join(', ')}); set units to project them to one size.`);
    }
    return [shapes[0][0]];
  }

  protected createWeights(shapes: SampleShape[]): void {
    if (this.units === 0) return;
    shapes.forEach((s, i) => {
      this.kernels.push(this.weight(`kernel_${i}`, [s[0], this.units]));
      this.biases.push(this.weight(`bias_${i}`, [this.units], 'zeros'));
    });
  }

  protected fuse(embeddings: tf.Tensor[], present: tf.Tensor2D[]): tf.Tensor {
    const projected = embeddings.map((e, i) => {
      const x = this.units > 0 ? activate(linear(maskEmbedding(e, present[i]), this.kernels[i].read(), this.biases[i].read()), this.activation) : e;
      return maskEmbedding(x, present[i]);
    });
    const total = tf.addN(projected);
    if (this.reduction === 'sum') return total;
    return tf.div(total, tf.maximum(tf.addN(present), 1));
  }

  protected fusionConfig(): tf.serialization.ConfigDict {
    return { reduction: this.reduction, units: this.units, activation: this.activation };
  }
}
tf.serialization.registerClass(SumFusionLayer);

function sumEntry(reduction: 'sum' | 'mean'): RegistryEntry<Record<string, unknown>, LayerFusion<SumFusionLayer>> {
  return {
    kind: 'fusion',
    name: reduction,
    description: reduction === 'sum' ? 'Sums the present embeddings.' : 'Averages the embeddings of the present modalities.',
    schema: {
      ...modalitiesField,
      units: { type: 'integer', min: 0, default: 0, description: 'Project each modality to this size first (needed when sizes differ); 0 = no projection.' },
      activation: { type: 'string', enum: activationNames, default: 'linear', description: 'Activation of the projections.' },
    },
    create(config) {
      const { modalities, inputShapes } = resolveModalities(reduction, config);
      requirePooled(reduction, inputShapes);
      const layer = new SumFusionLayer({ numModalities: modalities.length, reduction, units: config.units as number, activation: config.activation as string });
      return new LayerFusion(layer, modalities, inputShapes, userConfig(reduction, config));
    },
  };
}

export const sumFusionEntry = sumEntry('sum');
export const meanFusionEntry = sumEntry('mean');
