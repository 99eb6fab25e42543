import { tf, type RegistryEntry } from '@polyfuse/core';
import { FusionLayer, requirePooled, type FusionLayerArgs, type SampleShape } from '../layers/fusionLayer.js';
import { activate, activationNames, linear, maskEmbedding } from '../layers/tensorOps.js';
import { LayerFusion, modalitiesField, resolveModalities, userConfig } from './layerFusion.js';

export interface ConcatFusionArgs extends FusionLayerArgs {
  /** Size of an optional dense projection after concatenation; 0 = none. Default 0. */
  units?: number;
  /** Activation of the projection. Default `relu`. */
  activation?: string;
  /** Appends the n presence masks as features, so later layers can tell "absent" from "all zeros". Default false. */
  appendMasks?: boolean;
}

/**
 * Concatenation fusion: `[e_1 * m_1, ..., e_n * m_n]` (absent modalities are
 * exact zeros), optionally followed by a dense projection
 * `activation(W [..] + b)`, as MMF's `ConcatFusion`/TorchMultimodal's
 * `ConcatFusionModule` + projection.
 */
export class ConcatFusionLayer extends FusionLayer {
  static className = 'PolyfuseConcatFusion';
  readonly units: number;
  readonly activation: string;
  readonly appendMasks: boolean;
  private kernel?: tf.LayerVariable;
  private bias?: tf.LayerVariable;

  constructor(args: ConcatFusionArgs) {
    super(args);
    this.units = args.units ?? 0;
    this.activation = args.activation ?? 'relu';
    this.appendMasks = args.appendMasks ?? false;
  }

  private concatSize(shapes: SampleShape[]): number {
    return shapes.reduce((sum, s) => sum + s[0], 0) + (this.appendMasks ? shapes.length : 0);
  }

  fusedShape(shapes: SampleShape[]): SampleShape {
    return [this.units > 0 ? this.units : this.concatSize(shapes)];
  }

  protected createWeights(shapes: SampleShape[]): void {
    if (this.units > 0) {
      this.kernel = this.weight('kernel', [this.concatSize(shapes), this.units]);
      this.bias = this.weight('bias', [this.units], 'zeros');
    }
  }

  protected fuse(embeddings: tf.Tensor[], present: tf.Tensor2D[]): tf.Tensor {
    const parts = embeddings.map((e, i) => maskEmbedding(e, present[i]));
    if (this.appendMasks) parts.push(...present);
    const joined = tf.concat(parts, 1);
    if (!this.kernel) return joined;
    return activate(linear(joined, this.kernel.read(), this.bias!.read()), this.activation);
  }

  protected fusionConfig(): tf.serialization.ConfigDict {
    return { units: this.units, activation: this.activation, appendMasks: this.appendMasks };
  }
}
tf.serialization.registerClass(ConcatFusionLayer);

export const concatFusionEntry: RegistryEntry<Record<string, unknown>, LayerFusion<ConcatFusionLayer>> = {
  kind: 'fusion',
  name: 'concat',
  description: 'Concatenates the (masked) embeddings, optionally followed by a dense projection.',
  schema: {
    ...modalitiesField,
    units: { type: 'integer', min: 0, default: 0, description: 'Projection size after concatenation; 0 = no projection.' },
    activation: { type: 'string', enum: activationNames, default: 'relu', description: 'Activation of the projection.' },
    appendMasks: { type: 'boolean', default: false, description: 'Append the presence masks as features.' },
  },
  create(config) {
    const { modalities, inputShapes } = resolveModalities('concat', config);
    requirePooled('concat', inputShapes);
    const layer = new ConcatFusionLayer({
      numModalities: modalities.length,
      units: config.units as number,
      activation: config.activation as string,
      appendMasks: config.appendMasks as boolean,
    });
    return new LayerFusion(layer, modalities, inputShapes, userConfig('concat', config));
  },
};
