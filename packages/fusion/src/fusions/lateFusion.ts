import { tf, ConfigError, type RegistryEntry } from '@polyfuse/core';
import { FusionLayer, requirePooled, type FusionLayerArgs, type SampleShape } from '../layers/fusionLayer.js';
import { activate, nonNegativeRatio, activationNames, linear, maskEmbedding, maskedSoftmax } from '../layers/tensorOps.js';
import { LayerFusion, modalitiesField, resolveModalities, userConfig, type ModalityWeighting } from './layerFusion.js';

/** How late fusion combines the unimodal decisions. */
export type LateCombine = 'mean' | 'weighted' | 'learned' | 'product';
export const lateCombineNames: readonly LateCombine[] = ['mean', 'weighted', 'learned', 'product'];

export interface LateFusionArgs extends FusionLayerArgs {
  /** Decision size (classes). */
  units: number;
  /** Hidden layers of each unimodal head. Default `[]` (a linear head). */
  hiddenUnits?: number[];
  /** Activation of the hidden layers. Default `relu`. */
  activation?: string;
  /** Combination rule. Default `mean`. */
  combine?: LateCombine;
  /** Fixed non-negative weights for `weighted`, one per modality. */
  weights?: number[];
  /** `softmax`: decisions are class distributions; `linear`: raw scores (regression). Default `softmax`. */
  decision?: 'softmax' | 'linear';
}

/**
 * Late fusion: a head per modality gives a decision `l_i`; decisions of the
 * modalities present in the sample are combined, so absent modalities are
 * excluded and the weights renormalise over the rest.
 *
 * With `decision: 'softmax'` the output is a logit vector whose softmax is
 * the combined distribution:
 * - `mean`, `weighted` (fixed weights `w`), `learned` (softmax of trainable
 *   logits): `log Σ_i α_i softmax(l_i)` with `α` normalised over present modalities;
 * - `product` (product of experts, Hinton 2002): `Σ_i log softmax(l_i)`,
 *   whose softmax is `Π_i p_i / Z`.
 * With `decision: 'linear'`, `Σ_i α_i l_i` (product is not defined).
 * Use `head/identity` after it: the fusion output already is the decision.
 */
export class LateFusionLayer extends FusionLayer implements ModalityWeighting {
  static className = 'PolyfuseLateFusion';
  readonly units: number;
  readonly hiddenUnits: number[];
  readonly activation: string;
  readonly combine: LateCombine;
  readonly fixedWeights: number[];
  readonly decision: 'softmax' | 'linear';
  private heads: { kernel: tf.LayerVariable; bias: tf.LayerVariable }[][] = [];
  private logits?: tf.LayerVariable;

  constructor(args: LateFusionArgs) {
    super(args);
    this.units = args.units;
    this.hiddenUnits = args.hiddenUnits ?? [];
    this.activation = args.activation ?? 'relu';
    this.combine = args.combine ?? 'mean';
    this.decision = args.decision ?? 'softmax';
    this.fixedWeights = args.weights ?? [];
    if (!Number.isInteger(this.units) || this.units < 1) throw new ConfigError(`Late fusion units (the decision size) must be a positive integer, got ${args.units}.`);
    if (!lateCombineNames.includes(this.combine)) throw new ConfigError(`Late fusion combine must be one of ${lateCombineNames.join(', ')}, got '${this.combine}'.`);
    if (this.combine === 'product' && this.decision === 'linear') throw new ConfigError("Late fusion combine 'product' needs decision 'softmax' (a product of experts multiplies distributions).");
    if (this.combine === 'weighted') {
      if (this.fixedWeights.length !== args.numModalities || this.fixedWeights.some((w) => !(w >= 0)) || this.fixedWeights.every((w) => w === 0)) {
        throw new ConfigError(`Late fusion combine 'weighted' needs weights: ${args.numModalities} non-negative numbers, not all 0 (got ${JSON.stringify(args.weights ?? [])}).`);
      }
    }
  }

  fusedShape(): SampleShape {
    return [this.units];
  }

  protected createWeights(shapes: SampleShape[]): void {
    shapes.forEach((s, i) => {
      const sizes = [s[0], ...this.hiddenUnits, this.units];
      const layers = [];
      for (let l = 0; l + 1 < sizes.length; l++) {
        layers.push({ kernel: this.weight(`head_${i}_kernel_${l}`, [sizes[l], sizes[l + 1]]), bias: this.weight(`head_${i}_bias_${l}`, [sizes[l + 1]], 'zeros') });
      }
      this.heads.push(layers);
    });
    if (this.combine === 'learned') this.logits = this.weight('modality_logits', [shapes.length], 'zeros');
  }

  /** Each modality's own decision (logits) `[B, units]`, computed on its masked embedding. */
  decisionsOf(embeddings: tf.Tensor[], present: tf.Tensor2D[]): tf.Tensor[] {
    return embeddings.map((e, i) => {
      let x = maskEmbedding(e, present[i]);
      this.heads[i].forEach((layer, l) => {
        x = linear(x, layer.kernel.read(), layer.bias.read());
        if (l + 1 < this.heads[i].length) x = activate(x, this.activation);
      });
      return x;
    });
  }

  private alpha(present: tf.Tensor2D[]): tf.Tensor2D {
    const mask = tf.concat(present, 1);
    if (this.combine === 'weighted') {
      const w = tf.mul(mask, tf.tensor2d([this.fixedWeights], [1, this.fixedWeights.length]));
      return nonNegativeRatio(w, tf.sum(w, 1, true)) as tf.Tensor2D;
    }
    const logits = this.combine === 'learned' ? tf.mul(tf.onesLike(mask), tf.reshape(this.logits!.read(), [1, -1])) : tf.zerosLike(mask);
    return maskedSoftmax(logits, mask) as tf.Tensor2D;
  }

  protected fuse(embeddings: tf.Tensor[], present: tf.Tensor2D[]): tf.Tensor {
    const decisions = this.decisionsOf(embeddings, present);
    if (this.combine === 'product') {
      return tf.addN(decisions.map((l, i) => tf.mul(tf.logSoftmax(l), present[i])));
    }
    const alpha = tf.unstack(this.alpha(present), 1).map((a) => tf.reshape(a, [-1, 1]));
    if (this.decision === 'linear') return tf.addN(decisions.map((l, i) => tf.mul(l, alpha[i])));
    const probability = tf.addN(decisions.map((l, i) => tf.mul(tf.softmax(l), alpha[i])));
    return tf.log(tf.maximum(probability, 1e-12));
  }

  /** Combination weights `[B, n]` (uniform over present modalities for `mean` and `product`). */
  modalityWeights(inputs: tf.Tensor[]): tf.Tensor2D {
    return tf.tidy(() => {
      const { present } = this.splitInputs(inputs);
      if (this.combine === 'product') return maskedSoftmax(tf.zerosLike(tf.concat(present, 1)), tf.concat(present, 1)) as tf.Tensor2D;
      return this.alpha(present);
    });
  }

  /** The unimodal decisions for concrete layer inputs, one `[B, units]` tensor per modality. */
  decisions(inputs: tf.Tensor[]): tf.Tensor[] {
    return tf.tidy(() => {
      const { embeddings, present } = this.splitInputs(inputs);
      return this.decisionsOf(embeddings, present);
    });
  }

  protected fusionConfig(): tf.serialization.ConfigDict {
    return {
      units: this.units,
      hiddenUnits: this.hiddenUnits,
      activation: this.activation,
      combine: this.combine,
      weights: this.fixedWeights,
      decision: this.decision,
    };
  }
}
tf.serialization.registerClass(LateFusionLayer);

export const lateFusionEntry: RegistryEntry<Record<string, unknown>, LayerFusion<LateFusionLayer>> = {
  kind: 'fusion',
  name: 'late',
  description: 'Late fusion: a head per modality, decisions combined by mean, fixed or learned weights, or product of experts.',
  schema: {
    ...modalitiesField,
    units: { type: 'integer', min: 1, required: true, description: 'Decision size (number of classes).' },
    hiddenUnits: { type: 'number[]', default: [], description: 'Hidden layers of each unimodal head.' },
    activation: { type: 'string', enum: activationNames, default: 'relu', description: 'Activation of the hidden layers.' },
    combine: { type: 'string', enum: lateCombineNames, default: 'mean', description: 'How decisions are combined.' },
    weights: { type: 'object', description: "Fixed weight per modality for combine 'weighted', e.g. { image: 2, audio: 1 }." },
    decision: { type: 'string', enum: ['softmax', 'linear'], default: 'softmax', description: 'softmax: class distributions; linear: raw scores.' },
  },
  create(config) {
    const { modalities, inputShapes } = resolveModalities('late', config);
    requirePooled('late', inputShapes);
    const given = config.weights as Record<string, number> | undefined;
    if (given) {
      for (const key of Object.keys(given)) if (!modalities.includes(key)) throw new ConfigError(`fusion/late.weights names '${key}', which is not a fused modality (${modalities.join(', ')}).`);
    }
    const layer = new LateFusionLayer({
      numModalities: modalities.length,
      units: config.units as number,
      hiddenUnits: config.hiddenUnits as number[],
      activation: config.activation as string,
      combine: config.combine as LateCombine,
      weights: given ? modalities.map((m) => given[m] ?? 0) : undefined,
      decision: config.decision as 'softmax' | 'linear',
    });
    return new LayerFusion(layer, modalities, inputShapes, userConfig('late', config));
  },
};
