import { tf, type RegistryEntry } from '@polyfuse/core';
import { FusionLayer, requirePooled, type FusionLayerArgs, type SampleShape } from '../layers/fusionLayer.js';
import { linear, maskEmbedding, maskedSoftmax } from '../layers/tensorOps.js';
import { LayerFusion, modalitiesField, resolveModalities, userConfig, type ModalityWeighting } from './layerFusion.js';

export interface AttentionFusionArgs extends FusionLayerArgs {
  /** Size of the fused embedding. Default: the smallest embedding size (as TorchMultimodal). */
  units?: number;
}

/**
 * Per-sample modality attention, as TorchMultimodal's `AttentionFusionModule`
 * (torchmultimodal/modules/fusions/attention_fusion.py): attention logits
 * `a = W_a [e_1; ...; e_n] + b_a` (one per modality), `α = softmax(a)`, each
 * embedding projected to `units` by its own linear layer, output
 * `Σ_i α_i P_i e_i`. With masks, absent modalities enter the logits as zeros
 * and get weight exactly 0 (the softmax runs over present modalities only).
 */
export class AttentionFusionLayer extends FusionLayer implements ModalityWeighting {
  static className = 'PolyfuseAttentionFusion';
  readonly units: number;
  private attentionKernel?: tf.LayerVariable;
  private attentionBias?: tf.LayerVariable;
  private kernels: tf.LayerVariable[] = [];
  private biases: tf.LayerVariable[] = [];

  constructor(args: AttentionFusionArgs) {
    super(args);
    this.units = args.units ?? 0;
  }

  private fusionSize(shapes: SampleShape[]): number {
    return this.units > 0 ? this.units : Math.min(...shapes.map((s) => s[0]));
  }

  fusedShape(shapes: SampleShape[]): SampleShape {
    return [this.fusionSize(shapes)];
  }

  protected createWeights(shapes: SampleShape[]): void {
    const total = shapes.reduce((sum, s) => sum + s[0], 0);
    this.attentionKernel = this.weight('attention_kernel', [total, shapes.length]);
    this.attentionBias = this.weight('attention_bias', [shapes.length], 'zeros');
    const size = this.fusionSize(shapes);
    shapes.forEach((s, i) => {
      this.kernels.push(this.weight(`projection_kernel_${i}`, [s[0], size]));
      this.biases.push(this.weight(`projection_bias_${i}`, [size], 'zeros'));
    });
  }

  private attention(masked: tf.Tensor[], present: tf.Tensor2D[]): tf.Tensor2D {
    const logits = linear(tf.concat(masked, 1), this.attentionKernel!.read(), this.attentionBias!.read());
    return maskedSoftmax(logits, tf.concat(present, 1)) as tf.Tensor2D;
  }

  protected fuse(embeddings: tf.Tensor[], present: tf.Tensor2D[]): tf.Tensor {
    const masked = embeddings.map((e, i) => maskEmbedding(e, present[i]));
    const alpha = tf.unstack(this.attention(masked, present), 1);
    return tf.addN(masked.map((x, i) => tf.mul(linear(x, this.kernels[i].read(), this.biases[i].read()), tf.reshape(alpha[i], [-1, 1]))));
  }

  modalityWeights(inputs: tf.Tensor[]): tf.Tensor2D {
    return tf.tidy(() => {
      const { embeddings, present } = this.splitInputs(inputs);
      return this.attention(embeddings.map((e, i) => maskEmbedding(e, present[i])), present);
    });
  }

  protected fusionConfig(): tf.serialization.ConfigDict {
    return { units: this.units };
  }
}
tf.serialization.registerClass(AttentionFusionLayer);

export const attentionFusionEntry: RegistryEntry<Record<string, unknown>, LayerFusion<AttentionFusionLayer>> = {
  kind: 'fusion',
  name: 'attention',
  description: 'Per-sample softmax attention over modalities (TorchMultimodal AttentionFusionModule).',
  schema: {
    ...modalitiesField,
    units: { type: 'integer', min: 0, default: 0, description: 'Fused size; 0 = the smallest embedding size.' },
  },
  create(config) {
    const { modalities, inputShapes } = resolveModalities('attention', config);
    requirePooled('attention', inputShapes);
    const layer = new AttentionFusionLayer({ numModalities: modalities.length, units: config.units as number });
    return new LayerFusion(layer, modalities, inputShapes, userConfig('attention', config));
  },
};
