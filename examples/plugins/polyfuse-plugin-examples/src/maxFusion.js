// fusion/example-max: the elementwise maximum of the present modalities' embeddings.
import * as tf from '@tensorflow/tfjs';

/** @typedef {import('@polyfuse/core').Fusion} Fusion */
/** @typedef {import('@polyfuse/core').RegistryEntry<Record<string, unknown>, Fusion>} FusionEntry */

/**
 * Elementwise max over the modalities present in each sample (max pooling
 * across modalities, as in multi-view CNNs, Su et al. 2015):
 * `out[b, d] = max_{i : mask_i[b] = 1} p_i(e_i)[b, d]`, and 0 where no
 * modality is present. An absent modality never wins, whatever its values.
 * The gradient reaches only the winning modality of each feature.
 *
 * @param {tf.Tensor[]} embeddings `[B, D]` per modality, equal D
 * @param {tf.Tensor[]} masks `[B]` presence per modality (1 present, 0 absent)
 * @returns {tf.Tensor} `[B, D]`
 */
export function maskedMax(embeddings, masks) {
  return tf.tidy(() => {
    let best;
    let anyPresent;
    embeddings.forEach((embedding, i) => {
      const present = tf.broadcastTo(tf.greater(tf.reshape(masks[i], [-1, 1]), 0.5), embedding.shape);
      // tf.where, not a product, so an absent modality's values (and NaN) cannot leak into the output or its gradient.
      const candidate = tf.where(present, embedding, tf.fill(embedding.shape, Number.NEGATIVE_INFINITY));
      best = best ? tf.maximum(best, candidate) : candidate;
      anyPresent = anyPresent ? tf.logicalOr(anyPresent, present) : present;
    });
    return tf.where(anyPresent, best, tf.zerosLike(best));
  });
}

/**
 * The fusion as a tfjs-layers layer, so a saved model rebuilds it: inputs
 * `[e_1, ..., e_n, mask_1, ..., mask_n]`, optionally projecting each
 * embedding to `units` first (`p_i(e) = e W_i + b_i`; identity when `units` is 0).
 */
export class MaxFusionLayer extends tf.layers.Layer {
  static className = 'PolyfuseExampleMaxFusion';

  /** @param {{ numModalities: number, units?: number, name?: string }} args */
  constructor(args) {
    super(args);
    this.numModalities = args.numModalities;
    this.units = args.units ?? 0;
    /** @type {tf.LayerVariable[]} */
    this.kernels = [];
    /** @type {tf.LayerVariable[]} */
    this.biases = [];
  }

  build(inputShape) {
    if (this.units > 0) {
      inputShape.slice(0, this.numModalities).forEach((shape, i) => {
        this.kernels.push(this.addWeight(`kernel_${i}`, [shape[1], this.units], 'float32', tf.initializers.glorotUniform({})));
        this.biases.push(this.addWeight(`bias_${i}`, [this.units], 'float32', tf.initializers.zeros()));
      });
    }
    this.built = true;
  }

  computeOutputShape(inputShape) {
    return [inputShape[0][0], this.units > 0 ? this.units : inputShape[0][1]];
  }

  call(inputs) {
    return tf.tidy(() => {
      const n = this.numModalities;
      const embeddings = inputs.slice(0, n).map((e, i) => (this.units > 0 ? tf.add(tf.matMul(e, this.kernels[i].read()), this.biases[i].read()) : e));
      return maskedMax(embeddings, inputs.slice(n, 2 * n));
    });
  }

  getConfig() {
    return { ...super.getConfig(), numModalities: this.numModalities, units: this.units };
  }
}
tf.serialization.registerClass(MaxFusionLayer);

/**
 * Builds the Fusion contract (packages/core/src/contracts/fusion.ts) around
 * the layer. `config` is the validated config plus the FusionContext
 * (`inputShapes`) that createMultimodalModel merges in.
 *
 * @param {{ inputShapes: Record<string, number[]>, units: number, modalities?: string[] }} config
 * @returns {Fusion}
 */
export function createMaxFusion(config) {
  const { inputShapes, units, modalities: chosen } = config;
  const modalities = chosen ?? Object.keys(inputShapes);
  for (const m of modalities) {
    if (!inputShapes[m]) throw new Error(`fusion/example-max.modalities names '${m}', which has no encoder (known: ${Object.keys(inputShapes).join(', ')}).`);
    if (inputShapes[m].length !== 1) throw new Error(`fusion/example-max fuses pooled embeddings [B, D]; modality '${m}' gives [B, ${inputShapes[m].join(', ')}].`);
  }
  const sizes = new Set(modalities.map((m) => inputShapes[m][0]));
  if (units === 0 && sizes.size > 1) {
    throw new Error(`fusion/example-max needs equal embedding sizes (got ${modalities.map((m) => `${m}: ${inputShapes[m][0]}`).join(', ')}); set units to project them to one size.`);
  }
  const layer = new MaxFusionLayer({ numModalities: modalities.length, units });
  return {
    modalities,
    outputShape: [units > 0 ? units : inputShapes[modalities[0]][0]],
    config: { name: 'example-max', units, ...(chosen ? { modalities: chosen } : {}) },
    apply: (embeddings, masks) => layer.apply([...modalities.map((m) => embeddings[m]), ...modalities.map((m) => masks[m])]),
  };
}

/** @type {FusionEntry} */
export const maxFusionEntry = {
  kind: 'fusion',
  name: 'example-max',
  description: 'Elementwise max over the present modalities (optionally after a per-modality projection).',
  schema: {
    units: { type: 'integer', min: 0, default: 0, description: 'Project each modality to this size first (needed when sizes differ); 0 = no projection.' },
    modalities: { type: 'string[]', description: 'Modalities to fuse, in order. Default: every encoder.' },
  },
  create: (config) => createMaxFusion(/** @type {any} */ (config)),
};
