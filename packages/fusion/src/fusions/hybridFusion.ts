import { tf, ConfigError, registry, type Fusion, type RegistryEntry, type ComponentSpec } from '@polyfuse/core';
import { activationNames } from '../layers/tensorOps.js';
import { resolveModalities, userConfig } from './layerFusion.js';

/**
 * Hybrid fusion: several fusions over the same embeddings (each on all or
 * some modalities, e.g. `tensor` on image+audio and `late` on all), their
 * outputs concatenated and optionally projected by a dense layer. Each
 * sub-fusion handles the masks (and padding masks) itself, so the hybrid
 * inherits their missing-modality and padding behaviour.
 */
export class HybridFusion implements Fusion {
  readonly parts: Fusion[];
  readonly modalities: string[];
  readonly outputShape: number[];
  readonly config: Record<string, unknown>;
  private readonly concat?: tf.layers.Layer;
  private readonly projection?: tf.layers.Layer;

  constructor(parts: Fusion[], modalities: string[], options: { units?: number; activation?: string; config?: Record<string, unknown> } = {}) {
    if (parts.length === 0) throw new ConfigError('fusion/hybrid.fusions must list at least one fusion.');
    this.parts = parts;
    this.modalities = modalities;
    this.config = options.config ?? {};
    if (parts.length > 1) this.concat = tf.layers.concatenate({ axis: -1 });
    const joined = parts.reduce((sum, p) => sum + p.outputShape[0], 0);
    if (options.units && options.units > 0) {
      this.projection = tf.layers.dense({ units: options.units, activation: (options.activation ?? 'relu') as 'relu' });
      this.outputShape = [options.units];
    } else {
      this.outputShape = [joined];
    }
  }

  apply(embeddings: Record<string, tf.SymbolicTensor>, masks: Record<string, tf.SymbolicTensor>, paddingMasks?: Record<string, tf.SymbolicTensor>): tf.SymbolicTensor;
  apply(embeddings: Record<string, tf.Tensor>, masks: Record<string, tf.Tensor>, paddingMasks?: Record<string, tf.Tensor>): tf.Tensor;
  apply(
    embeddings: Record<string, tf.Tensor | tf.SymbolicTensor>,
    masks: Record<string, tf.Tensor | tf.SymbolicTensor>,
    paddingMasks?: Record<string, tf.Tensor | tf.SymbolicTensor>,
  ): tf.Tensor | tf.SymbolicTensor {
    type Apply = (e: typeof embeddings, m: typeof masks, p?: typeof paddingMasks) => tf.Tensor | tf.SymbolicTensor;
    const outputs = this.parts.map((p) => (p.apply as Apply)(embeddings, masks, paddingMasks));
    let joined = this.concat ? (this.concat.apply(outputs as tf.Tensor[]) as tf.Tensor | tf.SymbolicTensor) : outputs[0];
    if (this.projection) joined = this.projection.apply(joined as tf.Tensor) as tf.Tensor | tf.SymbolicTensor;
    return joined;
  }
}

export const hybridFusionEntry: RegistryEntry<Record<string, unknown>, HybridFusion> = {
  kind: 'fusion',
  name: 'hybrid',
  description: 'Several fusions side by side, outputs concatenated (optionally projected).',
  schema: {
    fusions: { type: 'any', required: true, description: 'Sub-fusions: [{ name, config }], each config may set modalities.' },
    units: { type: 'integer', min: 0, default: 0, description: 'Dense projection of the concatenation; 0 = none.' },
    activation: { type: 'string', enum: activationNames, default: 'relu', description: 'Activation of the projection.' },
  },
  create(config) {
    const { modalities, inputShapes } = resolveModalities('hybrid', config);
    const specs = config.fusions as ComponentSpec[];
    if (!Array.isArray(specs) || specs.length === 0 || specs.some((s) => !s || typeof s.name !== 'string')) {
      throw new ConfigError(`fusion/hybrid.fusions must be a non-empty list of { name, config } objects, got ${JSON.stringify(specs)}.`);
    }
    const parts = specs.map((spec, i) =>
      registry.create<Fusion>('fusion', spec.name, spec.config ?? {}, `fusion/hybrid.fusions[${i}].config`, { inputShapes }),
    );
    return new HybridFusion(parts, modalities, { units: config.units as number, activation: config.activation as string, config: userConfig('hybrid', config) });
  },
};
