import { tf, ConfigError, InputError, formatShape, type Fusion, type ConfigSchema } from '@polyfuse/core';
import type { FusionLayer, SampleShape } from '../layers/fusionLayer.js';

/** A fusion layer that can report per-sample modality weights (attention, gates, softmax weights). */
export interface ModalityWeighting {
  /** `[B, n]` weights of the layer's modalities for concrete layer inputs `[emb_1..emb_n, mask_1..mask_n]`. */
  modalityWeights(inputs: tf.Tensor[]): tf.Tensor2D;
}

/** True when a layer exposes per-sample modality weights. */
export function hasModalityWeights(layer: unknown): layer is FusionLayer & ModalityWeighting {
  return typeof (layer as Partial<ModalityWeighting>)?.modalityWeights === 'function';
}

/**
 * The `Fusion` contract around one fusion layer: it orders embeddings and
 * masks by modality name and feeds them to the layer, symbolically (to build a
 * LayersModel) or eagerly.
 */
export class LayerFusion<L extends FusionLayer = FusionLayer> implements Fusion {
  readonly layer: L;
  readonly modalities: string[];
  readonly inputShapes: Record<string, SampleShape>;
  readonly outputShape: number[];
  readonly config: Record<string, unknown>;

  constructor(layer: L, modalities: string[], inputShapes: Record<string, SampleShape>, config: Record<string, unknown>) {
    this.layer = layer;
    this.modalities = modalities;
    this.inputShapes = inputShapes;
    this.config = config;
    this.outputShape = layer.fusedShape(modalities.map((m) => inputShapes[m]));
  }

  apply(embeddings: Record<string, tf.SymbolicTensor>, masks: Record<string, tf.SymbolicTensor>, paddingMasks?: Record<string, tf.SymbolicTensor>): tf.SymbolicTensor;
  apply(embeddings: Record<string, tf.Tensor>, masks: Record<string, tf.Tensor>, paddingMasks?: Record<string, tf.Tensor>): tf.Tensor;
  apply(
    embeddings: Record<string, tf.Tensor | tf.SymbolicTensor>,
    masks: Record<string, tf.Tensor | tf.SymbolicTensor>,
    paddingMasks?: Record<string, tf.Tensor | tf.SymbolicTensor>,
  ): tf.Tensor | tf.SymbolicTensor {
    return this.layer.apply(this.layerInputs(embeddings, masks, paddingMasks) as tf.Tensor[]) as tf.Tensor | tf.SymbolicTensor;
  }

  /**
   * Per-sample weight of each modality for concrete inputs, where the fusion
   * has them (`weighted`, `attention`, `gated`, `late`): `{ image: [B], audio: [B] }`,
   * summing to 1 over the present modalities of each sample.
   */
  modalityWeights(embeddings: Record<string, tf.Tensor>, masks: Record<string, tf.Tensor>): Record<string, tf.Tensor1D> {
    const layer = this.layer as unknown;
    if (!hasModalityWeights(layer)) {
      throw new InputError(`${this.layer.getClassName()} has no per-sample modality weights; weighted, attention, gated and late fusions do.`);
    }
    return tf.tidy(() => {
      const inputs = this.layerInputs(embeddings, masks) as tf.Tensor[];
      if (!this.layer.built) this.layer.apply(inputs);
      const weights = layer.modalityWeights(inputs);
      const columns = tf.unstack(weights, 1) as tf.Tensor1D[];
      return Object.fromEntries(this.modalities.map((m, i) => [m, columns[i]]));
    });
  }

  /**
   * `[emb_1..emb_n, mask_1..mask_n]` in modality order, with shape checks for
   * concrete tensors. When `paddingMasks` holds a mask for at least one of the
   * fused sequence modalities, `n` more follow: that `[B, T]` mask, or the
   * modality's `[B]` presence mask as a "no padding mask" placeholder (see
   * `FusionLayer`). Masks of pooled modalities, or of modalities this fusion
   * does not fuse, are ignored.
   */
  layerInputs(
    embeddings: Record<string, tf.Tensor | tf.SymbolicTensor>,
    masks: Record<string, tf.Tensor | tf.SymbolicTensor>,
    paddingMasks: Record<string, tf.Tensor | tf.SymbolicTensor> = {},
  ): (tf.Tensor | tf.SymbolicTensor)[] {
    for (const m of this.modalities) {
      if (!embeddings[m]) {
        throw new InputError(`embeddings.${m} is missing; this fusion fuses ${this.modalities.join(', ')}.`);
      }
      if (!masks[m]) {
        throw new InputError(`masks.${m} is missing: pass a [batch] 0/1 presence mask per modality (all ones when every sample has it).`);
      }
      const shape = embeddings[m].shape.slice(1);
      const expected = this.inputShapes[m];
      if (shape.length !== expected.length || shape.some((d, i) => d !== null && d !== expected[i])) {
        throw new InputError(`embeddings.${m} has shape ${formatShape(embeddings[m].shape)}; expected ${formatShape([null, ...expected])}.`);
      }
      const batch = embeddings[m].shape[0];
      const maskShape = masks[m].shape;
      if (maskShape.length !== 1 || (batch !== null && maskShape[0] !== null && maskShape[0] !== batch)) {
        throw new InputError(`masks.${m} has shape ${formatShape(maskShape)}; expected [${batch ?? 'batch'}] (one 0/1 value per sample).`);
      }
    }
    const inputs = [...this.modalities.map((m) => embeddings[m]), ...this.modalities.map((m) => masks[m])];
    const padded = this.modalities.filter((m) => this.inputShapes[m].length === 2 && paddingMasks[m]);
    if (padded.length === 0) return inputs;
    for (const m of padded) {
      const shape = paddingMasks[m].shape;
      const [batch, steps] = [embeddings[m].shape[0], this.inputShapes[m][0]];
      if (shape.length !== 2 || (shape[1] !== null && shape[1] !== steps) || (batch !== null && shape[0] !== null && shape[0] !== batch)) {
        throw new InputError(`paddingMasks.${m} has shape ${formatShape(shape)}; expected [${batch ?? 'batch'}, ${steps}] (1 for a real step, 0 for padding).`);
      }
    }
    return [...inputs, ...this.modalities.map((m) => (padded.includes(m) ? paddingMasks[m] : masks[m]))];
  }
}

/** The `modalities` option every fusion accepts: which modalities, in which order (default: all, in encoder order). */
export const modalitiesField: ConfigSchema = {
  modalities: { type: 'string[]', description: 'Modalities to fuse, in order. Default: every encoder, in encoder order.' },
};

/** Resolves the `modalities` option against the context's input shapes. */
export function resolveModalities(fusionName: string, config: Record<string, unknown>, minimum = 1): { modalities: string[]; inputShapes: Record<string, SampleShape> } {
  const inputShapes = config.inputShapes as Record<string, SampleShape> | undefined;
  if (!inputShapes || typeof inputShapes !== 'object') {
    throw new ConfigError(`fusion/${fusionName} needs inputShapes (the embedding shape of each modality), e.g. { image: [64], audio: [64] }.`);
  }
  const chosen = (config.modalities as string[] | undefined) ?? Object.keys(inputShapes);
  for (const m of chosen) {
    if (!inputShapes[m]) {
      throw new ConfigError(`fusion/${fusionName}.modalities names '${m}', which has no encoder. Known modalities: ${Object.keys(inputShapes).join(', ')}.`);
    }
  }
  if (new Set(chosen).size !== chosen.length) throw new ConfigError(`fusion/${fusionName}.modalities lists a modality twice: ${chosen.join(', ')}.`);
  if (chosen.length < minimum) {
    throw new ConfigError(`fusion/${fusionName} needs at least ${minimum} modalit${minimum === 1 ? 'y' : 'ies'}, got ${chosen.length} (${chosen.join(', ') || 'none'}).`);
  }
  return { modalities: chosen, inputShapes: Object.fromEntries(chosen.map((m) => [m, inputShapes[m]])) };
}

/** The user-facing config (without the context's inputShapes), kept on the fusion for saving. */
export function userConfig(name: string, config: Record<string, unknown>): Record<string, unknown> {
  const { inputShapes: _ignored, ...rest } = config;
  return { name, ...rest };
}
