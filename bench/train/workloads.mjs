// The reference workloads of issue 9, built with tfjs-layers through
// @polyfuse/core's single tf instance (the way polyfuse encoders are built).
// Batch 64, float32, Adam lr 1e-3, softmax cross-entropy, 10 classes.
// pytorch_workloads.py holds the identical PyTorch models.
import { tf, SeededRandom, conv2d, fusedGru } from '../../packages/core/dist/index.js';

export const BATCH = 64;
export const CLASSES = 10;
export const VOCAB = 5000;
export const SEQ_LEN = 32;

/**
 * conv(16, 3x3, same)-ReLU-maxpool(2) -> conv(32, 3x3, same)-ReLU-maxpool(2) -> flatten -> dense(64)-ReLU.
 * The conv layers are core's `conv2d` (tfjs-layers' Conv2D with the same weights and config, what
 * image-cnn and audio-cnn build); POLYFUSE_BENCH_TFJS_CONV=1 builds tfjs-layers' own instead.
 */
const convLayer = process.env.POLYFUSE_BENCH_TFJS_CONV === '1' ? tf.layers.conv2d : conv2d;
function convEncoder(input, name) {
  let x = convLayer({ filters: 16, kernelSize: 3, padding: 'same', activation: 'relu', name: `${name}_conv1` }).apply(input);
  x = tf.layers.maxPooling2d({ poolSize: 2, name: `${name}_pool1` }).apply(x);
  x = convLayer({ filters: 32, kernelSize: 3, padding: 'same', activation: 'relu', name: `${name}_conv2` }).apply(x);
  x = tf.layers.maxPooling2d({ poolSize: 2, name: `${name}_pool2` }).apply(x);
  x = tf.layers.flatten({ name: `${name}_flatten` }).apply(x);
  return tf.layers.dense({ units: 64, activation: 'relu', name: `${name}_dense` }).apply(x);
}

function classifier(features) {
  const fused = tf.layers.concatenate({ name: 'fusion' }).apply(features);
  const hidden = tf.layers.dense({ units: 64, activation: 'relu', name: 'head_hidden' }).apply(fused);
  return tf.layers.dense({ units: CLASSES, name: 'logits' }).apply(hidden);
}

/** W1, audio-visual: image 28x28x1 and log-mel 40x32x1, one conv encoder each. */
export function buildW1() {
  const image = tf.input({ shape: [28, 28, 1], name: 'image' });
  const audio = tf.input({ shape: [40, 32, 1], name: 'audio' });
  const logits = classifier([convEncoder(image, 'image'), convEncoder(audio, 'audio')]);
  return tf.model({ inputs: [image, audio], outputs: logits, name: 'W1' });
}

/** W2, text-visual: the W1 image encoder, and ids [64, 32] -> embedding(64) -> GRU(64), last state. */
export function buildW2() {
  const image = tf.input({ shape: [28, 28, 1], name: 'image' });
  const tokens = tf.input({ shape: [SEQ_LEN], dtype: 'int32', name: 'tokens' });
  const embedded = tf.layers.embedding({ inputDim: VOCAB, outputDim: 64, name: 'text_embedding' }).apply(tokens);
  // core's FusedGru: torch.nn.GRU semantics (as in pytorch_workloads.py), one op instead of ~10 kernels per step.
  const state = fusedGru({ units: 64, name: 'text_gru' }).apply(embedded);
  const logits = classifier([convEncoder(image, 'image'), state]);
  return tf.model({ inputs: [image, tokens], outputs: logits, name: 'W2' });
}

/** A fixed pool of random batches (values do not change the cost of a step). */
export function makeBatches(workload, count, seed = 1) {
  const rng = new SeededRandom(seed);
  const normal = (n) => Float32Array.from({ length: n }, () => rng.normal());
  const batches = [];
  for (let b = 0; b < count; b++) {
    const labels = Int32Array.from({ length: BATCH }, () => rng.int(CLASSES));
    const image = tf.tensor4d(normal(BATCH * 28 * 28), [BATCH, 28, 28, 1]);
    const second =
      workload === 'W1'
        ? tf.tensor4d(normal(BATCH * 40 * 32), [BATCH, 40, 32, 1])
        : tf.tensor2d(Int32Array.from({ length: BATCH * SEQ_LEN }, () => rng.int(VOCAB)), [BATCH, SEQ_LEN], 'int32');
    const targets = tf.tidy(() => tf.oneHot(tf.tensor1d(labels, 'int32'), CLASSES).toFloat());
    batches.push({ inputs: [image, second], targets });
  }
  return batches;
}

export const builders = { W1: buildW1, W2: buildW2 };
