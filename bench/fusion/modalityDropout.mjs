// Shows what modality dropout buys: the same model trained with and without it,
// evaluated with every modality present and with each one missing.
// Run: npx tsc -b packages/fusion && node bench/fusion/modalityDropout.mjs
import { tf, initBackend, createMultimodalModel, SeededRandom, withSeed } from '../../packages/core/dist/index.js';
import { ModalityDropout, accuracyMetric } from '../../packages/fusion/dist/index.js';

await initBackend({ log: null });
const classes = 4;
const dims = { image: 16, audio: 16 };
// The image view is clean, the audio view noisy: trained on both, a model leans on the image.
const noise = { image: 0.7, audio: 1.6 };

/** Two noisy views of a class: each alone is a weak cue, both together a strong one. */
function makeData(count, seed) {
  const random = new SeededRandom(seed);
  const prototypes = new SeededRandom(99);
  const protos = Object.fromEntries(Object.entries(dims).map(([m, d]) => [m, Array.from({ length: classes }, () => Array.from({ length: d }, () => prototypes.normal()))]));
  const labels = Array.from({ length: count }, () => random.int(classes));
  const inputs = Object.fromEntries(
    Object.entries(dims).map(([m, d]) => [m, tf.tensor2d(labels.flatMap((l) => protos[m][l].map((v) => v + noise[m] * random.normal())), [count, d])]),
  );
  return { inputs, labels };
}

function train(rate, seed = 0) {
  const model = createMultimodalModel({
    encoders: { image: { name: 'flatten', config: { inputShape: [dims.image] } }, audio: { name: 'flatten', config: { inputShape: [dims.audio] } } },
    fusion: { name: 'concat', config: { units: 64 } },
    head: { name: 'mlp', config: { hiddenUnits: [32], units: classes } },
    seed,
  });
  const { inputs, labels } = makeData(3000, 1);
  const optimizer = tf.train.adam(0.003);
  const dropout = new ModalityDropout({ rates: { image: rate, audio: rate }, seed: 5 });
  const order = new SeededRandom(2);
  for (let epoch = 0; epoch < 15; epoch++) {
    const indices = order.shuffle(Array.from({ length: labels.length }, (_, i) => i));
    for (let start = 0; start < indices.length; start += 64) {
      const batchIdx = tf.tensor1d(indices.slice(start, start + 64), 'int32');
      const batchInputs = Object.fromEntries(Object.entries(inputs).map(([m, x]) => [m, tf.gather(x, batchIdx)]));
      const y = tf.oneHot(tf.gather(tf.tensor1d(labels, 'int32'), batchIdx), classes).cast('float32');
      const ones = { image: tf.ones([batchIdx.shape[0]]), audio: tf.ones([batchIdx.shape[0]]) };
      const mask = rate > 0 ? dropout.apply(ones) : ones;
      withSeed(epoch * 1000 + start, () =>
        optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, model.call({ inputs: batchInputs, mask }, { training: true }).logits), false, model.trainableVariables()),
      );
      tf.dispose([batchIdx, y, ...Object.values(batchInputs), ...Object.values(ones), ...Object.values(mask)]);
    }
  }
  return model;
}

function evaluate(model) {
  const { inputs, labels } = makeData(2000, 7);
  const n = labels.length;
  const score = (mask) => {
    const logits = model.predict({ inputs, mask });
    const value = accuracyMetric(logits, labels);
    logits.dispose();
    return value;
  };
  return {
    all: score(undefined),
    'image missing': score({ image: tf.zeros([n]), audio: tf.ones([n]) }),
    'audio missing': score({ image: tf.ones([n]), audio: tf.zeros([n]) }),
  };
}

console.log('test accuracy (concat fusion, 2000 test samples, 4 classes)');
for (const rate of [0, 0.3]) {
  const started = performance.now();
  const result = evaluate(train(rate));
  const row = Object.entries(result).map(([k, v]) => `${k}: ${(100 * v).toFixed(1)}%`).join('  ');
  console.log(`modality dropout ${rate}: ${row}  (trained in ${((performance.now() - started) / 1000).toFixed(1)} s)`);
}
