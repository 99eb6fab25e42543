import { tf, type RegistryEntry } from '@polyfuse/core';
import { FusionLayer, type FusionLayerArgs, type SampleShape } from '../layers/fusionLayer.js';
import { activate, activationNames, flatten2d, linear, maskEmbedding, maskSteps } from '../layers/tensorOps.js';
import { LayerFusion, modalitiesField, resolveModalities, userConfig } from './layerFusion.js';

export interface EarlyFusionArgs extends FusionLayerArgs {
  /** Layers of the shared network. Default `[128]`. */
  hiddenUnits?: number[];
  /** Their activation. Default `relu`. */
  activation?: string;
  /** Appends the presence masks to the joint input. Default true. */
  appendMasks?: boolean;
}

/**
 * Early fusion: the low-level inputs (or features) of every modality are
 * flattened, cast to float, concatenated (absent modalities as zeros, plus the
 * presence masks when `appendMasks`), and processed by one shared dense
 * network. Pair it with `encoder/flatten` so raw inputs reach the fusion.
 *
 * Padding: a `[T, D]` embedding given a padding mask has its padded steps
 * zeroed before flattening, so the output does not depend on what they hold.
 * Without one, every step is flattened as it is.
 */
export class EarlyFusionLayer extends FusionLayer {
  static className = 'PolyfuseEarlyFusion';
  readonly hiddenUnits: number[];
  readonly activation: string;
  readonly appendMasks: boolean;
  private layers: { kernel: tf.LayerVariable; bias: tf.LayerVariable }[] = [];

  constructor(args: EarlyFusionArgs) {
    super(args);
    this.hiddenUnits = args.hiddenUnits ?? [128];
    this.activation = args.activation ?? 'relu';
    this.appendMasks = args.appendMasks ?? true;
  }

  private jointSize(shapes: SampleShape[]): number {
    return shapes.reduce((sum, s) => sum + s.reduce((a, b) => a * b, 1), 0) + (this.appendMasks ? shapes.length : 0);
  }

  fusedShape(shapes: SampleShape[]): SampleShape {
    return [this.hiddenUnits.length > 0 ? this.hiddenUnits[this.hiddenUnits.length - 1] : this.jointSize(shapes)];
  }

  protected createWeights(shapes: SampleShape[]): void {
    const sizes = [this.jointSize(shapes), ...this.hiddenUnits];
    for (let l = 0; l + 1 < sizes.length; l++) {
      this.layers.push({ kernel: this.weight(`kernel_${l}`, [sizes[l], sizes[l + 1]]), bias: this.weight(`bias_${l}`, [sizes[l + 1]], 'zeros') });
    }
  }

  protected fuse(embeddings: tf.Tensor[], present: tf.Tensor2D[], _training: boolean, padding?: (tf.Tensor2D | undefined)[]): tf.Tensor {
    const parts: tf.Tensor[] = embeddings.map((e, i) => {
      const x = maskEmbedding(e, present[i]);
      const realSteps = padding?.[i];
      return flatten2d(realSteps ? maskSteps(x, realSteps) : x);
    });
    if (this.appendMasks) parts.push(...present);
    let x = tf.concat(parts, 1);
    for (const layer of this.layers) x = activate(linear(x, layer.kernel.read(), layer.bias.read()), this.activation);
    return x;
  }

  protected fusionConfig(): tf.serialization.ConfigDict {
    return { hiddenUnits: this.hiddenUnits, activation: this.activation, appendMasks: this.appendMasks };
  }
}
tf.serialization.registerClass(EarlyFusionLayer);

export const earlyFusionEntry: RegistryEntry<Record<string, unknown>, LayerFusion<EarlyFusionLayer>> = {
  kind: 'fusion',
  name: 'early',
  description: 'Early fusion: flattened inputs concatenated and processed by one shared network (use with encoder/flatten).',
  schema: {
    ...modalitiesField,
    hiddenUnits: { type: 'number[]', default: [128], description: 'Layers of the shared network.' },
    activation: { type: 'string', enum: activationNames, default: 'relu', description: 'Their activation.' },
    appendMasks: { type: 'boolean', default: true, description: 'Append the presence masks to the joint input.' },
  },
  create(config) {
    const { modalities, inputShapes } = resolveModalities('early', config);
    const layer = new EarlyFusionLayer({
      numModalities: modalities.length,
      hiddenUnits: config.hiddenUnits as number[],
      activation: config.activation as string,
      appendMasks: config.appendMasks as boolean,
    });
    return new LayerFusion(layer, modalities, inputShapes, userConfig('early', config));
  },
};
