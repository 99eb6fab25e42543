// head/example-cosine: a cosine-similarity (normalised) classifier.
import * as tf from '@tensorflow/tfjs';

/** @typedef {import('@polyfuse/core').Head} Head */
/** @typedef {import('@polyfuse/core').RegistryEntry<Record<string, unknown>, Head>} HeadEntry */

/**
 * `logits = s · normalize(x) · normalize(W)`: the cosine between the
 * embedding and each class's weight vector, times a scale `s` (Gidaris &
 * Komodakis 2018, "Dynamic Few-Shot Visual Learning without Forgetting";
 * NormFace, Wang et al. 2017, which learns `s`). Each normalisation is
 * torch's `F.normalize`: `v / max(‖v‖₂, eps)`. The logits are bounded by
 * `±s`, so no class wins by the length of its weights alone.
 *
 * @param {tf.Tensor} x `[B, D]`
 * @param {tf.Tensor} kernel `[D, C]` one column per class
 * @param {tf.Tensor | number} scale
 * @returns {tf.Tensor} `[B, C]`
 */
export function cosineLogits(x, kernel, scale, eps = 1e-12) {
  return tf.tidy(() => {
    const normalize = (v, axis) => tf.div(v, tf.sqrt(tf.maximum(tf.sum(tf.square(v), axis, true), eps * eps)));
    return tf.mul(tf.matMul(normalize(x, 1), normalize(kernel, 0)), scale);
  });
}

/** The head as a tfjs-layers layer (saved and rebuilt with the model). The scale is learned as log s. */
export class CosineClassifier extends tf.layers.Layer {
  static className = 'PolyfuseExampleCosineClassifier';

  /** @param {{ units: number, scale?: number, learnScale?: boolean, name?: string }} args */
  constructor(args) {
    super(args);
    this.units = args.units;
    this.scale = args.scale ?? 10;
    this.learnScale = args.learnScale ?? true;
  }

  build(inputShape) {
    const size = inputShape[inputShape.length - 1];
    this.kernel = this.addWeight('kernel', [size, this.units], 'float32', tf.initializers.glorotUniform({}));
    this.logScale = this.addWeight('log_scale', [1], 'float32', tf.initializers.constant({ value: Math.log(this.scale) }), undefined, this.learnScale);
    this.built = true;
  }

  computeOutputShape(inputShape) {
    return [inputShape[0], this.units];
  }

  call(inputs) {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      return cosineLogits(x, this.kernel.read(), tf.exp(this.logScale.read()));
    });
  }

  getConfig() {
    return { ...super.getConfig(), units: this.units, scale: this.scale, learnScale: this.learnScale };
  }
}
tf.serialization.registerClass(CosineClassifier);

/**
 * Builds the Head contract (packages/core/src/contracts/head.ts). `config`
 * is the validated config plus the HeadContext: `inputShape`, and a
 * `namePrefix` that keeps layer names unique when one head is built per
 * modality (`auxiliaryHeads`).
 *
 * @param {{ inputShape: number[], units: number, scale: number, learnScale: boolean, namePrefix?: string }} config
 * @returns {Head}
 */
export function createCosineHead(config) {
  const { inputShape, units, scale, learnScale, namePrefix } = config;
  if (inputShape.length !== 1) throw new Error(`head/example-cosine reads a pooled embedding [B, D], got [B, ${inputShape.join(', ')}].`);
  const layer = new CosineClassifier({ units, scale, learnScale, ...(namePrefix ? { name: `${namePrefix}_cosine` } : {}) });
  return {
    outputShape: [units],
    config: { units, scale, learnScale },
    apply: (x) => layer.apply(x),
  };
}

/** @type {HeadEntry} */
export const cosineHeadEntry = {
  kind: 'head',
  name: 'example-cosine',
  description: 'Cosine classifier: scaled cosine between the embedding and each class weight (NormFace).',
  schema: {
    units: { type: 'integer', min: 1, required: true, description: 'Output size (number of classes).' },
    scale: { type: 'number', min: 0, default: 10, description: 'Scale s of the cosines (its initial value when learned).' },
    learnScale: { type: 'boolean', default: true, description: 'Learn s (as log s) with the rest of the model.' },
  },
  create: (config) => createCosineHead(/** @type {any} */ (config)),
};
