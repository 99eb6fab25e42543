// Trains the playground's pretrained model and writes what the page ships:
//   public/models/av-digits/   model.json, weights.bin, polyfuse.json (+ evaluation.json)
//   public/data/train.bin       the in-page training set (see src/training/dataset.ts)
//   public/samples/             one held-out test digit (PNG) and its spoken digit (WAV)
// Deterministic: same options, same files. Run from apps/playground: node scripts/train-model.mjs
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LogMelPreprocessor } from '@polyfuse/audio';
import { decodeImage } from '@polyfuse/image';
import jpeg from 'jpeg-js';
import { encodeDataset } from './lib/encodeDataset.mjs';

const appDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const settings = JSON.parse(readFileSync(path.join(appDir, 'src/preprocess/settings.json'), 'utf8'));
const cacheDir = path.join(appDir, '.cache');
const dataDir = path.join(cacheDir, 'data');
const runDir = path.join(cacheDir, 'run');

/**
 * Clean digits (no pixel noise, no occluding square) and clearer speech than
 * av-digits' defaults: the page's inputs are a drawn digit and a microphone,
 * not the degraded benchmark, so the model is trained on what it will see.
 */
const dataOptions = ['--max-per-digit', '300', '--image-noise', '0', '--occlusion', '0', '--snr-min', '5', '--snr-max', '20', '--seed', '1'];

/** Small encoders (~70k weights, under 300 kB; see settings.json) and modality dropout, so either modality alone still predicts. */
const config = {
  name: 'playground',
  data: {
    manifest: path.join(dataDir, 'manifest.jsonl'),
    modalities: {
      image: { preprocessor: { name: 'image', config: settings.image } },
      audio: { preprocessor: { name: 'audio-logmel', config: settings.audio } },
    },
    labels: { label: { field: 'label' } },
    split: { field: 'split' },
    cacheInMemory: true,
  },
  model: settings.model, // the page trains the same architecture (src/training/trainInPage.ts)
  loss: { terms: { fused: { loss: 'cross-entropy', output: 'logits', target: 'label' } }, weighting: { name: 'static' } },
  metrics: ['accuracy', 'f1'],
  optimizer: { name: 'adam', config: { learningRate: 0.002 } },
  training: { epochs: 12, batchSize: 32, seed: 1, monitor: 'accuracy', modalityDropout: 0.3 },
};

function run(command, args) {
  const result = spawnSync(command, args, { stdio: 'inherit', cwd: appDir });
  if (result.status !== 0) {
    console.error(`${path.basename(args[0] ?? command)} failed (exit ${result.status ?? result.signal}).`);
    process.exit(1);
  }
}

run(process.execPath, [path.join(appDir, '../av-digits/scripts/generate-data.mjs'), '--out', dataDir, ...dataOptions]);
mkdirSync(cacheDir, { recursive: true });
writeFileSync(path.join(cacheDir, 'config.json'), JSON.stringify(config, null, 2));
rmSync(runDir, { recursive: true, force: true });
const cli = path.join(appDir, 'node_modules/@polyfuse/cli/bin/polyfuse.js');
run(process.execPath, [cli, 'train', '--config', path.join(cacheDir, 'config.json'), '--out', runDir]);

const modelDir = path.join(appDir, 'public/models/av-digits');
rmSync(modelDir, { recursive: true, force: true });
mkdirSync(modelDir, { recursive: true });
for (const name of ['model.json', 'weights.bin', 'polyfuse.json']) copyFileSync(path.join(runDir, 'model', name), path.join(modelDir, name));
const evaluation = JSON.parse(readFileSync(path.join(runDir, 'evaluation.json'), 'utf8'));
writeFileSync(path.join(modelDir, 'evaluation.json'), JSON.stringify(evaluation, null, 2) + '\n');

// The in-page training set and the committed samples come from the same manifest.
const samples = readFileSync(path.join(dataDir, 'manifest.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line));
const logMel = new LogMelPreprocessor(settings.audio);
const features = async (sample) => ({
  label: sample.label,
  pixels: greyPixels(decodeImage(readFileSync(path.join(dataDir, sample.image)), sample.image)),
  logMel: await logMel.process(readFileSync(path.join(dataDir, sample.audio)), { training: false, baseDir: dataDir }),
});
/** decodeImage gives RGBA floats; the digits are grey, so the red channel is the pixel. */
function greyPixels(image) {
  return Uint8Array.from({ length: image.width * image.height }, (_, i) => image.data[i * 4]);
}
const perSplit = { train: 40, val: 10 }; // per digit: 400 training and 100 validation samples
const chosen = [];
for (const [split, count] of Object.entries(perSplit)) {
  for (let digit = 0; digit < 10; digit++) chosen.push(...samples.filter((s) => s.split === split && s.label === digit).slice(0, count));
}
const encoded = encodeDataset(await Promise.all(chosen.map(features)), chosen.map((s) => s.split));
mkdirSync(path.join(appDir, 'public/data'), { recursive: true });
writeFileSync(path.join(appDir, 'public/data/train.bin'), encoded);

const sample = samples.find((s) => s.split === 'test' && s.label === 7);
mkdirSync(path.join(appDir, 'public/samples'), { recursive: true });
copyFileSync(path.join(dataDir, sample.image), path.join(appDir, 'public/samples/digit-7.png'));
copyFileSync(path.join(dataDir, sample.audio), path.join(appDir, 'public/samples/spoken-7.wav'));
// The same digit as a JPEG, for the image package's smoke test (decoding both formats in the page).
const digit = decodeImage(readFileSync(path.join(dataDir, sample.image)), sample.image);
const rgba = Uint8Array.from(digit.data);
writeFileSync(path.join(appDir, 'public/samples/digit-7.jpg'), jpeg.encode({ data: rgba, width: digit.width, height: digit.height }, 90).data);

const test = evaluation.splits?.test ?? evaluation.test ?? evaluation;
console.log(`model: ${modelDir}`);
console.log(`evaluation (test split = held-out speakers): ${JSON.stringify(test).slice(0, 400)}`);
console.log(`in-page data: ${chosen.length} samples, ${encoded.byteLength} bytes; samples: ${sample.id}`);
