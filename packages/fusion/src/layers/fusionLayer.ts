import { tf, InputError, formatShape } from '@polyfuse/core';
import { presence } from './tensorOps.js';

/** Constructor arguments shared by every fusion layer. */
export interface FusionLayerArgs {
  /**
   * How many modalities it fuses; the layer's inputs are that many embeddings,
   * then as many presence masks, then optionally as many padding masks.
   */
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
 * present, 0 absent), optionally followed by `padding_1, ..., padding_n`: a
 * `[B, T_i]` padding mask (1 real step, 0 padding) for a sequence embedding
 * `[B, T_i, D_i]`, or, for a modality without one, its `[B]` presence mask
 * again as a placeholder (the rank tells them apart, so the layer config
 * need not record which modalities have padding masks). Masks are graph
 * inputs, so a saved model keeps its missing-modality and padding behaviour,
 * and the layer serialises the TF.js way (static `className`, `getConfig`,
 * `tf.serialization.registerClass`).
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

  /**
   * Fuses concrete embeddings; `present[i]` is a float `[B, 1]` 0/1 mask;
   * `padding[i]`, when given, a float `[B, T_i]` 0/1 padding mask of a
   * sequence embedding (undefined for the modalities without one). Layers
   * that fuse pooled embeddings only never receive it.
   */
  protected abstract fuse(embeddings: tf.Tensor[], present: tf.Tensor2D[], training: boolean, padding?: (tf.Tensor2D | undefined)[]): tf.Tensor;

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
      const { embeddings, present, padding } = this.splitInputs(inputs);
      return this.fuse(embeddings, present, kwargs.training === true, padding);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), numModalities: this.numModalities, ...this.fusionConfig() };
  }

  /**
   * Splits concrete layer inputs into embeddings, `[B, 1]` presence masks and,
   * when the layer was given them, `[B, T]` float padding masks (undefined
   * for a modality whose placeholder is its `[B]` presence mask).
   */
  protected splitInputs(inputs: tf.Tensor | tf.Tensor[]): { embeddings: tf.Tensor[]; present: tf.Tensor2D[]; padding?: (tf.Tensor2D | undefined)[] } {
    const list = Array.isArray(inputs) ? inputs : [inputs];
    const n = this.numModalities;
    if (list.length !== 2 * n && list.length !== 3 * n) {
      throw new InputError(`${this.getClassName()} expects ${2 * n} inputs (${n} embeddings, then ${n} masks) or ${3 * n} (then ${n} padding masks), got ${list.length}.`);
    }
    const embeddings = list.slice(0, n);
    const present = list.slice(n, 2 * n).map(presence);
    if (list.length === 2 * n) return { embeddings, present };
    const padding = list.slice(2 * n).map((p, i) => {
      if (p.rank === 1) return undefined;
      const steps = embeddings[i].rank === 3 ? embeddings[i].shape[1] : undefined;
      if (p.rank !== 2 || p.shape[0] !== embeddings[i].shape[0] || p.shape[1] !== steps) {
        throw new InputError(`${this.getClassName()}: padding mask ${i} has shape ${formatShape(p.shape)}; expected [${embeddings[i].shape[0]}, ${steps ?? 'T'}] for embedding ${formatShape(embeddings[i].shape)}.`);
      }
      return tf.cast(p, 'float32') as tf.Tensor2D;
    });
    return { embeddings, present, padding };
  }

  /** Adds a weight initialised with `initializer` (default Glorot uniform, as tf.layers.dense). */
  protected weight(name: string, shape: number[], initializer: Initializer | 'zeros' | 'ones' = tf.initializers.glorotUniform({})): tf.LayerVariable {
    const init = initializer === 'zeros' ? tf.initializers.zeros() : initializer === 'ones' ? tf.initializers.ones() : initializer;
    return this.addWeight(name, shape, 'float32', init);
  }

  private splitShapes(inputShape: tf.Shape | tf.Shape[]): SampleShape[] {
    const n = this.numModalities;
    const shapes = Array.isArray(inputShape[0]) ? (inputShape as tf.Shape[]) : [inputShape as tf.Shape];
    if (shapes.length !== 2 * n && shapes.length !== 3 * n) {
      throw new InputError(`${this.getClassName()} expects ${2 * n} inputs (${n} embeddings, then ${n} masks) or ${3 * n} (then ${n} padding masks), got ${shapes.length}.`);
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
