import { tf, ConfigError, type RegistryEntry } from '@polyfuse/core';
import { FusionLayer, requirePooled, type FusionLayerArgs, type SampleShape } from '../layers/fusionLayer.js';
import { linear, maskEmbedding } from '../layers/tensorOps.js';
import { LayerFusion, modalitiesField, resolveModalities, userConfig } from './layerFusion.js';

export interface FilmFusionArgs extends FusionLayerArgs {
  /** Index of the modulated modality among the layer's inputs; the others condition it. Default 0. */
  targetIndex?: number;
}

/**
 * FiLM (Perez et al., 2018, "FiLM: Visual Reasoning with a General
 * Conditioning Layer"): the conditioning modalities `c = [e_j]_{j≠t}` predict
 * a per-feature scale and shift of the target `x = e_t`:
 * `out = (1 + γ(c)) ⊙ x + β(c)`, with `γ, β` linear in `c`. The `1 +` makes an
 * untrained layer close to the identity (as in the FiLM reference code).
 * When every conditioning modality is absent, `γ = β = 0` (identity); when the
 * target is absent, `x = 0` and the output is `β(c)`.
 */
export class FilmFusionLayer extends FusionLayer {
  static className = 'PolyfuseFilmFusion';
  readonly targetIndex: number;
  private gammaKernel?: tf.LayerVariable;
  private gammaBias?: tf.LayerVariable;
  private betaKernel?: tf.LayerVariable;
  private betaBias?: tf.LayerVariable;

  constructor(args: FilmFusionArgs) {
    super(args);
    this.targetIndex = args.targetIndex ?? 0;
    if (args.numModalities < 2) throw new ConfigError('FiLM fusion needs at least two modalities: a target and a conditioning one.');
    if (!Number.isInteger(this.targetIndex) || this.targetIndex < 0 || this.targetIndex >= args.numModalities) {
      throw new ConfigError(`FiLM targetIndex must be in [0, ${args.numModalities - 1}], got ${this.targetIndex}.`);
    }
  }

  fusedShape(shapes: SampleShape[]): SampleShape {
    return [shapes[this.targetIndex][0]];
  }

  protected createWeights(shapes: SampleShape[]): void {
    const size = shapes[this.targetIndex][0];
    const conditioning = shapes.reduce((sum, s, i) => (i === this.targetIndex ? sum : sum + s[0]), 0);
    this.gammaKernel = this.weight('gamma_kernel', [conditioning, size]);
    this.gammaBias = this.weight('gamma_bias', [size], 'zeros');
    this.betaKernel = this.weight('beta_kernel', [conditioning, size]);
    this.betaBias = this.weight('beta_bias', [size], 'zeros');
  }

  protected fuse(embeddings: tf.Tensor[], present: tf.Tensor2D[]): tf.Tensor {
    const masked = embeddings.map((e, i) => maskEmbedding(e, present[i]));
    const others = masked.filter((_, i) => i !== this.targetIndex);
    const anyConditioning = tf.maximum(present.filter((_, i) => i !== this.targetIndex).reduce((a, b) => tf.maximum(a, b)), 0);
    const c = tf.concat(others, 1);
    const gamma = tf.mul(linear(c, this.gammaKernel!.read(), this.gammaBias!.read()), anyConditioning);
    const beta = tf.mul(linear(c, this.betaKernel!.read(), this.betaBias!.read()), anyConditioning);
    return tf.add(tf.mul(tf.add(gamma, 1), masked[this.targetIndex]), beta);
  }

  protected fusionConfig(): tf.serialization.ConfigDict {
    return { targetIndex: this.targetIndex };
  }
}
tf.serialization.registerClass(FilmFusionLayer);

export const filmFusionEntry: RegistryEntry<Record<string, unknown>, LayerFusion<FilmFusionLayer>> = {
  kind: 'fusion',
  name: 'film',
  description: 'FiLM: the other modalities scale and shift the target modality feature-wise.',
  schema: {
    ...modalitiesField,
    target: { type: 'string', description: 'The modulated modality. Default: the first modality.' },
  },
  create(config) {
    const { modalities, inputShapes } = resolveModalities('film', config, 2);
    requirePooled('film', inputShapes);
    const target = (config.target as string | undefined) ?? modalities[0];
    const targetIndex = modalities.indexOf(target);
    if (targetIndex < 0) throw new ConfigError(`fusion/film.target is '${target}', which is not one of the fused modalities (${modalities.join(', ')}).`);
    const layer = new FilmFusionLayer({ numModalities: modalities.length, targetIndex });
    return new LayerFusion(layer, modalities, inputShapes, userConfig('film', config));
  },
};
