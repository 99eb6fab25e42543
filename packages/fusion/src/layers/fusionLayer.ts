import { tf, InputError, formatShape } from '@polyfuse/core';
import { presence } from './tensorOps.js';

/** Constructor arguments shared by every fusion layer. */
export interface FusionLayerArgs {
  /** How many modalities it fuses; the layer's inputs are that many embeddings, then as many masks. */
  numModalities: number;
  name?: string;
  trainable?: boolean;
}

/** Per-sample shape: no batch dimension. */
export type SampleShape = number[];

type Initializer = ReturnType<typeof tf.initializers.glorotUniform>;

/**
 * Base of every fusion layer: a tfjs-layers Layer whose inputs are
 * `[embedding_1, ..., embedding_n, mask_1, ..., mask_n]` (masks `[B]`, 1
 * present, 0 absent). Masks are graph inputs, so a saved model keeps its
 * missing-modality behaviour, and the layer serialises the TF.js way (static
 * `className`, `getConfig`, `tf.serialization.registerClass`).
 *
 * The layer config holds numbers and lowercase option strings only: TF.js
 * snake/camel-cases string values when it saves a model, which would corrupt
 * modality names. Names live in the `LayerFusion` wrapper and in the model's
 * mask inputs (`mask_<modality>`).
 */
export abstract class FusionLayer extends tf.layers.Layer {
  readonly numModalities: number;
  /** Per-sample embedding shapes, known once built. */
  protected embeddingShapes: SampleShape[] = [];

  constructor(args: FusionLayerArgs) {
    super({ name: args.name, trainable: args.trainable });
    if (!Number.isInteger(args.numModalities) || args.numModalities < 1) {
      throw new InputError(`numModalities must be a positive integer, got ${args.numModalities}.`);
    }
    this.numModalities = args.numModalities;
  }

  /** Per-sample output shape for per-sample embedding shapes. */
  abstract fusedShape(shapes: SampleShape[]): SampleShape;

  /** Creates the layer's weights once embedding shapes are known. */
  protected abstract createWeights(shapes: SampleShape[]): void;

  /** Fuses concrete embeddings; `present[i]` is a float `[B, 1]` 0/1 mask. */
  protected abstract fuse(embeddings: tf.Tensor[], present: tf.Tensor2D[], training: boolean): tf.Tensor;

  /** Layer options besides numModalities, for `getConfig`. */
  protected abstract fusionConfig(): tf.serialization.ConfigDict;

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    this.embeddingShapes = this.splitShapes(inputShape);
    this.createWeights(this.embeddingShapes);
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shapes = this.splitShapes(inputShape);
    const batch = (inputShape as tf.Shape[])[0][0];
    return [batch, ...this.fusedShape(shapes)];
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor {
    return tf.tidy(() => {
      const { embeddings, present } = this.splitInputs(inputs);
      return this.fuse(embeddings, present, kwargs.training === true);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), numModalities: this.numModalities, ...this.fusionConfig() };
  }

  /** Splits concrete layer inputs into embeddings and `[B, 1]` presence masks. */
  protected splitInputs(inputs: tf.Tensor | tf.Tensor[]): { embeddings: tf.Tensor[]; present: tf.Tensor2D[] } {
    const list = Array.isArray(inputs) ? inputs : [inputs];
    const n = this.numModalities;
    if (list.length !== 2 * n) {
      throw new InputError(`${this.getClassName()} expects ${2 * n} inputs (${n} embeddings, then ${n} masks), got ${list.length}.`);
    }
    return { embeddings: list.slice(0, n), present: list.slice(n).map(presence) };
  }

  /** Adds a weight initialised with `initializer` (default Glorot uniform, as tf.layers.dense). */
  protected weight(name: string, shape: number[], initializer: Initializer | 'zeros' | 'ones' = tf.initializers.glorotUniform({})): tf.LayerVariable {
    const init = initializer === 'zeros' ? tf.initializers.zeros() : initializer === 'ones' ? tf.initializers.ones() : initializer;
    return this.addWeight(name, shape, 'float32', init);
  }

  private splitShapes(inputShape: tf.Shape | tf.Shape[]): SampleShape[] {
    const n = this.numModalities;
    const shapes = Array.isArray(inputShape[0]) ? (inputShape as tf.Shape[]) : [inputShape as tf.Shape];
    if (shapes.length !== 2 * n) {
      throw new InputError(`${this.getClassName()} expects ${2 * n} inputs (${n} embeddings, then ${n} masks), got ${shapes.length}.`);
    }
    const embeddingShapes = shapes.slice(0, n).map((s) => s.slice(1));
    embeddingShapes.forEach((s, i) => {
      if (s.some((d) => d === null || d <= 0)) {
        throw new InputError(`${this.getClassName()}: embedding ${i} has shape ${formatShape(shapes[i])}; every dimension except the batch must be known.`);
      }
    });
    return embeddingShapes as SampleShape[];
  }
}

/** Checks that every embedding is pooled (`[D]` per sample); names the modality otherwise. */
export function requirePooled(fusionName: string, inputShapes: Record<string, number[]>): void {
  for (const [modality, shape] of Object.entries(inputShapes)) {
    if (shape.length !== 1) {
      throw new InputError(
        `fusion/${fusionName} fuses pooled embeddings ([batch, D]); modality '${modality}' gives ${formatShape([null, ...shape])}. ` +
          'Use an encoder that pools its output, or fusion/cross-modal-transformer for sequences.',
      );
    }
  }
}
