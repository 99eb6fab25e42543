/**
 * One real operation per browser-claimed package. The same functions run in
 * the page (smoke.html) and in Node (the test process), and the browser test
 * compares the two results, so "works in a browser" means "computes what Node
 * computes", not merely "imports".
 *
 * Inputs come as arguments (bytes fetched by the page, read from disk by Node)
 * so that nothing here touches `fetch` or the file system.
 */
import { tf, SeededRandom, createMultimodalModel, withSeed } from '@polyfuse/core';
import { LogMelPreprocessor } from '@polyfuse/audio';
import { decodeImage } from '@polyfuse/image';
import { WordTokenizer } from '@polyfuse/text';
import { fitStandardScaler, slidingWindows } from '@polyfuse/signal';
import '@polyfuse/fusion';
import { crossEntropyLoss } from '@polyfuse/losses';
import { accuracyScore, f1Score } from '@polyfuse/metrics';
import { Adam, Trainer } from '@polyfuse/trainer';
import { GaussianHmm, emissionFromJson } from '@polyfuse/hmm';
import settings from '../preprocess/settings.json';

/** What every operation returns: named numbers, compared between page and Node. */
export type SmokeResult = Record<string, number | number[]>;

export interface SmokeInputs {
  /** A WAV file's bytes (the committed spoken digit). */
  wav: Uint8Array;
  /** The committed digit as PNG and as JPEG. */
  png: Uint8Array;
  jpeg: Uint8Array;
}

const round = (values: ArrayLike<number>) => Array.from(values, (v) => Number(v.toFixed(5)));

export const smokeOperations: Record<string, (inputs: SmokeInputs) => Promise<SmokeResult>> = {
  /** Seeded random numbers and a matrix product on the active backend. */
  async core() {
    const rng = new SeededRandom(7);
    const draws = [rng.next(), rng.next(), rng.next()];
    const product = tf.tidy(() => tf.matMul(tf.tensor2d([[1, 2], [3, 4]]), tf.tensor2d([[0.5, -1], [2, 0.25]])).dataSync());
    return { draws: round(draws), product: round(product) };
  },

  /** Decode the committed PNG and JPEG with the package's pure-JavaScript decoders: every RGBA value. */
  async image({ png, jpeg }) {
    const fromPng = decodeImage(png, 'digit-7.png');
    const fromJpeg = decodeImage(jpeg, 'digit-7.jpg');
    return { pngSize: [fromPng.width, fromPng.height, fromPng.channels], png: Array.from(fromPng.data), jpegSize: [fromJpeg.width, fromJpeg.height, fromJpeg.channels], jpeg: Array.from(fromJpeg.data) };
  },

  /** The page's log-mel of a WAV: decode, resample, mel spectrogram, dB, normalisation. */
  async audio({ wav }) {
    const features = await new LogMelPreprocessor(settings.audio).process(wav, { training: false, baseDir: '' } as never);
    let sum = 0;
    for (const v of features) sum += Math.abs(v);
    return { length: features.length, first: round(features.subarray(0, 8)), meanAbs: Number((sum / features.length).toFixed(5)) };
  },

  /** Fit a word vocabulary and encode a sentence. */
  async text() {
    const tokenizer = new WordTokenizer().fit(['the cat sat on the mat', 'a dog sat on a log']);
    return { ids: tokenizer.encode('the dog sat on the cat') };
  },

  /** Standardise tabular rows and cut a two-channel series into windows. */
  async signal() {
    const scaler = fitStandardScaler([Float64Array.of(1, 10), Float64Array.of(3, 20), Float64Array.of(5, 60)], 2);
    const windows = slidingWindows(Float32Array.from({ length: 20 }, (_, i) => i), 2, 4, 2);
    return { mean: round(scaler.mean), scale: round(scaler.scale), windows: windows.length, lastWindow: round(windows[windows.length - 1]!) };
  },

  /** Build a seeded two-modality model with attention fusion and run it, with and without a modality. */
  async fusion() {
    const model = withSeed(3, () =>
      createMultimodalModel({
        encoders: { a: { name: 'signal-mlp', config: { inputSize: 4, units: [8] } }, b: { name: 'signal-mlp', config: { inputSize: 3, units: [8] } } },
        fusion: { name: 'attention' },
        head: { name: 'mlp', config: { units: 3 } },
        seed: 3,
      }),
    );
    const run = (maskB: number) =>
      tf.tidy(() => {
        const out = model.predict({ inputs: { a: tf.tensor2d([[0.1, -0.2, 0.3, 0.4]]), b: tf.tensor2d([[1, 0, -1]]) }, mask: { a: tf.tensor1d([1]), b: tf.tensor1d([maskB]) } });
        return Array.from(out.dataSync());
      });
    const result = { both: round(run(1)), withoutB: round(run(0)) };
    model.dispose();
    return result;
  },

  /** Softmax cross-entropy of fixed logits. */
  async losses() {
    const loss = tf.tidy(() => crossEntropyLoss(tf.tensor2d([[2, 0.5, -1], [0, 1, 3]]), tf.tensor1d([0, 2], 'int32')).dataSync()[0]!);
    return { loss: Number(loss.toFixed(6)) };
  },

  /** Accuracy and macro-F1, as scikit-learn computes them. */
  async metrics() {
    const truth = [0, 1, 2, 2, 1, 0, 2];
    const predicted = [0, 2, 2, 2, 1, 0, 1];
    return { accuracy: accuracyScore(truth, predicted), f1: Number((f1Score(truth, predicted, { average: 'macro' }) as number).toFixed(6)) };
  },

  /** One Adam step of the trainer on a tiny seeded model: the loss on the batch goes down. */
  async trainer() {
    const model = createMultimodalModel({
      encoders: { x: { name: 'signal-mlp', config: { inputSize: 2, units: [4] } } },
      fusion: { name: 'concat' },
      head: { name: 'mlp', config: { units: 2 } },
      seed: 5,
    });
    const trainer = new Trainer({ model, losses: [{ name: 'main', loss: (p, t) => crossEntropyLoss(p as tf.Tensor, t) as tf.Scalar }], optimizer: new Adam({ learningRate: 0.1 }), seed: 1 });
    const batch = () => ({ inputs: { x: tf.tensor2d([[1, 0], [0, 1], [1, 1], [0, 0]]) }, mask: { x: tf.ones([4]) }, targets: { label: tf.tensor1d([0, 1, 1, 0], 'int32') }, ids: ['a', 'b', 'c', 'd'] });
    const losses: number[] = [];
    for (let step = 0; step < 3; step++) losses.push(Number(trainer.trainStep(batch(), 0).values['loss.total']!.toFixed(5)));
    trainer.dispose();
    model.dispose();
    return { losses };
  },

  /** The log-likelihood of a sequence under a two-state Gaussian HMM (forward algorithm). */
  async hmm() {
    const hmm = new GaussianHmm({
      startProbabilities: [0.8, 0.2],
      transitions: [[0.7, 0.3], [0.1, 0.9]],
      states: [emissionFromJson({ type: 'diagonal-gaussian', means: [0, 0], variances: [1, 1] }), emissionFromJson({ type: 'diagonal-gaussian', means: [3, 1], variances: [0.5, 2] })],
    });
    return { logLikelihood: Number(hmm.logLikelihood([[0.1, -0.2], [0.3, 0.1], [2.8, 1.2], [3.1, 0.7]]).toFixed(6)) };
  },
};

/**
 * The committed sample as model inputs, preprocessed as the training data
 * was: the PNG's grey values / 255, and the WAV's log-mel.
 */
export async function sampleModelInputs({ png, wav }: SmokeInputs): Promise<{ image: Float32Array; audio: Float32Array }> {
  const decoded = decodeImage(png, 'digit-7.png');
  const image = Float32Array.from({ length: decoded.width * decoded.height }, (_, i) => decoded.data[i * 4]! / 255);
  const audio = await new LogMelPreprocessor(settings.audio).process(wav, { training: false, baseDir: '', rng: new SeededRandom(0) });
  return { image, audio };
}
