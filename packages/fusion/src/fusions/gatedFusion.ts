import { tf, type RegistryEntry } from '@polyfuse/core';
import { FusionLayer, requirePooled, type FusionLayerArgs, type SampleShape } from '../layers/fusionLayer.js';
import { linear, maskEmbedding, maskedSoftmax } from '../layers/tensorOps.js';
import { LayerFusion, modalitiesField, resolveModalities, userConfig, type ModalityWeighting } from './layerFusion.js';

export interface GatedFusionArgs extends FusionLayerArgs {
  /** Size of the fused embedding. Default 64. */
  units?: number;
}

/**
 * Gated Multimodal Unit (Arevalo et al., 2017, "Gated Multimodal Units for
 * Information Fusion"): `h_i = tanh(W_i e_i)`, gate logits
 * `g_i = W_{z,i} [e_1; ...; e_n]`, gates `z = softmax_i(g)` per unit, output
 * `Σ_i z_i ⊙ h_i`. For two modalities this is exactly the paper's bimodal GMU
 * `z ⊙ h_1 + (1 - z) ⊙ h_2` with `z = σ(g_1 - g_2)`; the softmax is its
 * n-modality form. Absent modalities get gate 0 and the gates renormalise
 * over the present ones.
 */
export class GatedFusionLayer extends FusionLayer implements ModalityWeighting {
  static className = 'PolyfuseGatedFusion';
  readonly units: number;
  private kernels: tf.LayerVariable[] = [];
  private biases: tf.LayerVariable[] = [];
  private gateKernel?: tf.LayerVariable;
  private gateBias?: tf.LayerVariable;

  constructor(args: GatedFusionArgs) {
    super(args);
    this.units = args.units ?? 64;
  }

  fusedShape(): SampleShape {
    return [this.units];
  }

  protected createWeights(shapes: SampleShape[]): void {
    shapes.forEach((s, i) => {
      this.kernels.push(this.weight(`kernel_${i}`, [s[0], this.units]));
      this.biases.push(this.weight(`bias_${i}`, [this.units], 'zeros'));
    });
    const total = shapes.reduce((sum, s) => sum + s[0], 0);
    this.gateKernel = this.weight('gate_kernel', [total, shapes.length * this.units]);
    this.gateBias = this.weight('gate_bias', [shapes.length * this.units], 'zeros');
  }

  /** Gates `[B, n, units]`. */
  private gates(masked: tf.Tensor[], present: tf.Tensor2D[]): tf.Tensor3D {
    const logits = tf.reshape(linear(tf.concat(masked, 1), this.gateKernel!.read(), this.gateBias!.read()), [-1, masked.length, this.units]);
    return maskedSoftmax(logits, tf.concat(present, 1)) as tf.Tensor3D;
  }

  protected fuse(embeddings: tf.Tensor[], present: tf.Tensor2D[]): tf.Tensor {
    const masked = embeddings.map((e, i) => maskEmbedding(e, present[i]));
    const z = tf.unstack(this.gates(masked, present), 1);
    return tf.addN(masked.map((x, i) => tf.mul(z[i], tf.tanh(linear(x, this.kernels[i].read(), this.biases[i].read())))));
  }

  /** Mean gate of each modality over the units: `[B, n]`, summing to 1 over present modalities. */
  modalityWeights(inputs: tf.Tensor[]): tf.Tensor2D {
    return tf.tidy(() => {
      const { embeddings, present } = this.splitInputs(inputs);
      return tf.mean(this.gates(embeddings.map((e, i) => maskEmbedding(e, present[i])), present), 2) as tf.Tensor2D;
    });
  }

  protected fusionConfig(): tf.serialization.ConfigDict {
    return { units: this.units };
  }
}
tf.serialization.registerClass(GatedFusionLayer);

export const gatedFusionEntry: RegistryEntry<Record<string, unknown>, LayerFusion<GatedFusionLayer>> = {
  kind: 'fusion',
  name: 'gated',
  description: 'Gated Multimodal Unit (GMU): tanh projections mixed by learned per-unit gates.',
  schema: {
    ...modalitiesField,
    units: { type: 'integer', min: 1, default: 64, description: 'Fused size.' },
  },
  create(config) {
    const { modalities, inputShapes } = resolveModalities('gated', config);
    requirePooled('gated', inputShapes);
    const layer = new GatedFusionLayer({ numModalities: modalities.length, units: config.units as number });
    return new LayerFusion(layer, modalities, inputShapes, userConfig('gated', config));
  },
};
