#!/usr/bin/env node
/**
 * Measures what each modality and the audio augmentation bring: trains the
 * image-only, audio-only and fused models of config.yaml with the same data,
 * budget and seed, through the polyfuse CLI, the audio ones without and with
 * the audio augmentation below, and scores each on the test split and on the
 * unseen voices (`polyfuse eval <run> --manifest data/unseen-voices.jsonl`).
 * The numbers in this app's README come from this command.
 *
 *   node scripts/measure.mjs [--epochs N] [--only image,audio,fused,audio-augmented,fused-augmented]
 *                            [--augmentation tempo-speed-pitch|speed-pitch-noise-masks]
 *
 * Unaugmented rows train config.yaml with every augmentation option of the
 * audio preprocessor removed; augmented rows with one of AUGMENTATIONS
 * instead (run folder `<row>-<augmentation>`). The image is not augmented in
 * any row, so the image-only model has one row.
 *
 * `--reuse` reads back a row whose run folder holds a finished run of the
 * same config instead of training it again (so rows trained by separate
 * invocations print as one table). A second table splits the unseen-voices
 * accuracy by speed and pitch (`polyfuse predict` on the manifest).
 */
import { parseArgs } from 'node:util';
import { promises as fs, existsSync } from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { runCli } from '@polyfuse/cli';

/** Audio augmentations the augmented rows can train with; the first is the default. */
const AUGMENTATIONS = {
  // Tempo (WSOLA) for faster and slower speech, speed (resampling) for other vocal tracts, pitch for other voices.
  'tempo-speed-pitch': { tempoFactor: [0.85, 1.3], speedFactor: [0.9, 1.1], pitchShiftSemitones: [-2, 2] },
  // The first try: speed and pitch with the package's noise and SpecAugment.
  'speed-pitch-noise-masks': {
    speedFactor: [0.85, 1.2],
    pitchShiftSemitones: [-3, 3],
    noiseSnrDb: [3, 15],
    noiseProbability: 0.5,
    freqMasks: 1,
    freqMaskBins: 5,
    timeMasks: 1,
    timeMaskFrames: 3,
  },
};
/** Every training-only option of preprocessor/audio-logmel. */
const AUGMENTATION_OPTIONS = [
  'noiseSnrDb',
  'noiseProbability',
  'gainDb',
  'timeShiftSeconds',
  'speedFactor',
  'tempoFactor',
  'pitchShiftSemitones',
  'freqMasks',
  'freqMaskBins',
  'timeMasks',
  'timeMaskFrames',
];

const appDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const { values: options } = parseArgs({
  options: {
    config: { type: 'string', default: path.join(appDir, 'config.yaml') },
    epochs: { type: 'string' },
    only: { type: 'string', default: 'image,audio,fused,audio-augmented,fused-augmented' },
    augmentation: { type: 'string', default: Object.keys(AUGMENTATIONS)[0] },
    reuse: { type: 'boolean', default: false },
    unseen: { type: 'string', default: path.join(appDir, 'data', 'unseen-voices.jsonl') },
    out: { type: 'string', default: path.join(appDir, 'runs', 'measure') },
  },
});

const base = YAML.parse(await fs.readFile(options.config, 'utf8'));
const modalities = Object.keys(base.data.modalities);
const variants = options.only.split(',').map((v) => v.trim());
for (const variant of variants) {
  const [kind, augmented] = variant.split('-');
  if ((kind !== 'fused' && !modalities.includes(kind)) || (augmented !== undefined && (augmented !== 'augmented' || !['audio', 'fused'].includes(kind)))) {
    console.error(`measure: unknown variant '${variant}'; expected fused, ${modalities.join(', ')}, audio-augmented or fused-augmented.`);
    process.exit(2);
  }
}
const AUGMENTATION = AUGMENTATIONS[options.augmentation];
if (!AUGMENTATION) {
  console.error(`measure: unknown --augmentation '${options.augmentation}'; expected ${Object.keys(AUGMENTATIONS).join(' or ')}.`);
  process.exit(2);
}
if (!existsSync(options.unseen)) {
  console.error(`measure: ${options.unseen} is missing; run node scripts/generate-data.mjs first.`);
  process.exit(2);
}

const audioConfig = base.data.modalities.audio?.preprocessor?.config ?? {};
const configAugmentation = Object.fromEntries(AUGMENTATION_OPTIONS.filter((k) => k in audioConfig).map((k) => [k, audioConfig[k]]));
const sameAugmentation = JSON.stringify(Object.entries(configAugmentation).sort()) === JSON.stringify(Object.entries(AUGMENTATION).sort());

/** The config with only `keep` modalities and the audio augmentation on or off; paths made absolute so it can live anywhere. */
function variantConfig(name, keep, augmented) {
  const config = structuredClone(base);
  config.name = `av-digits-${name}`;
  config.data.manifest = path.resolve(path.dirname(options.config), config.data.manifest);
  for (const m of modalities) {
    if (keep.includes(m)) continue;
    delete config.data.modalities[m];
    delete config.model.encoders[m];
  }
  const audio = config.data.modalities.audio?.preprocessor;
  if (audio) {
    for (const option of AUGMENTATION_OPTIONS) delete audio.config[option];
    if (augmented) Object.assign(audio.config, AUGMENTATION);
  }
  if (options.epochs) config.training.epochs = Number(options.epochs);
  return config;
}

const quietIo = (lines) => ({
  stdout: { write: (chunk) => (lines.push(String(chunk)), true) },
  stderr: process.stderr,
  cwd: process.cwd(),
});

const results = [];
await fs.mkdir(options.out, { recursive: true });
for (const variant of variants) {
  const [kind, augmented] = variant.split('-');
  const keep = kind === 'fused' ? modalities : [kind];
  const name = augmented ? `${variant}-${options.augmentation}` : variant;
  const runDir = path.join(options.out, name);
  const configFile = path.join(options.out, `${name}.yaml`);
  const configText = YAML.stringify(variantConfig(name, keep, Boolean(augmented)));
  const unseenFile = path.join(options.out, `${name}.unseen-voices.json`);
  const reused =
    options.reuse &&
    existsSync(path.join(runDir, 'evaluation.json')) &&
    existsSync(unseenFile) &&
    existsSync(configFile) &&
    (await fs.readFile(configFile, 'utf8')) === configText;
  let seconds;
  if (reused) {
    console.error(`measure: reusing ${runDir}`);
  } else {
    await fs.writeFile(configFile, configText);
    console.error(`measure: training ${variant} (${keep.join(' + ')}${augmented ? `, audio augmented: ${options.augmentation}` : ''})`);
    const started = Date.now();
    const code = await runCli(['train', '--config', configFile, '--out', runDir]);
    if (code !== 0) {
      console.error(`measure: training ${variant} failed with exit code ${code}`);
      process.exit(code);
    }
    seconds = (Date.now() - started) / 1000;
    const evalCode = await runCli(['eval', runDir, '--manifest', options.unseen, '--output', unseenFile], quietIo([]));
    if (evalCode !== 0) {
      console.error(`measure: polyfuse eval ${runDir} --manifest ${options.unseen} failed with exit code ${evalCode}`);
      process.exit(evalCode);
    }
  }
  const test = JSON.parse(await fs.readFile(path.join(runDir, 'evaluation.json'), 'utf8'));
  const unseen = JSON.parse(await fs.readFile(unseenFile, 'utf8'));
  results.push({ variant: name, modalities: keep, augmented: Boolean(augmented), seconds, test, unseen, conditions: await accuracyByCondition(runDir, name) });
}

/** Unseen-voices accuracy of a run per speed and per pitch, from its predictions. */
async function accuracyByCondition(runDir, name) {
  const predictions = path.join(options.out, `${name}.unseen-voices.predictions.csv`);
  const code = await runCli(['predict', runDir, '--manifest', options.unseen, '--output', predictions], quietIo([]));
  if (code !== 0) {
    console.error(`measure: polyfuse predict ${runDir} --manifest ${options.unseen} failed with exit code ${code}`);
    process.exit(code);
  }
  const predicted = new Map(
    (await fs.readFile(predictions, 'utf8'))
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.split(',').slice(0, 2)),
  );
  const samples = (await fs.readFile(options.unseen, 'utf8')).trim().split('\n').map((line) => JSON.parse(line));
  const by = (field) => {
    const groups = new Map();
    for (const s of samples) {
      const group = groups.get(s[field]) ?? { right: 0, all: 0 };
      group.right += predicted.get(s.id) === String(s.label) ? 1 : 0;
      group.all += 1;
      groups.set(s[field], group);
    }
    return new Map([...groups].sort(([a], [b]) => a - b).map(([value, g]) => [value, g.right / g.all]));
  };
  return { wordsPerMinute: by('wordsPerMinute'), pitch: by('pitch') };
}

const percent = (value) => (typeof value === 'number' ? (100 * value).toFixed(2) : 'n/a');
const without = (evaluation, modality) => evaluation.contribution?.modalities?.[modality]?.without;
console.log(`\nav-digits: test split (held-out images and speakers) and unseen voices (${path.basename(options.unseen)}), ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? ''}, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
console.log(`audio augmentation of the augmented rows: ${options.augmentation} ${JSON.stringify(AUGMENTATION)}${sameAugmentation ? " (config.yaml's own)" : ''}`);
console.log('| model | modalities | audio augmentation | test accuracy (%) | test macro-F1 (%) | unseen voices accuracy (%) | unseen voices macro-F1 (%) | test, image masked (%) | test, audio masked (%) | unseen, image masked (%) | unseen, audio masked (%) | wall time (s) |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const r of results) {
  const fused = r.modalities.length > 1;
  console.log(
    `| ${r.variant} | ${r.modalities.join(' + ')} | ${r.augmented ? options.augmentation : 'none'} | ${percent(r.test.metrics?.accuracy)} | ${percent(r.test.metrics?.f1)} | ` +
      `${percent(r.unseen.metrics?.accuracy)} | ${percent(r.unseen.metrics?.f1)} | ` +
      `${fused ? percent(without(r.test, 'image')) : '-'} | ${fused ? percent(without(r.test, 'audio')) : '-'} | ` +
      `${fused ? percent(without(r.unseen, 'image')) : '-'} | ${fused ? percent(without(r.unseen, 'audio')) : '-'} | ${r.seconds === undefined ? 'reused' : r.seconds.toFixed(0)} |`,
  );
}
const speeds = [...results[0].conditions.wordsPerMinute.keys()];
const pitches = [...results[0].conditions.pitch.keys()];
console.log('\nunseen voices, accuracy (%) by speed (words per minute) and pitch');
console.log(`| model | ${speeds.map((s) => `${s} wpm`).join(' | ')} | ${pitches.map((p) => `pitch ${p}`).join(' | ')} |`);
console.log(`| --- | ${[...speeds, ...pitches].map(() => '---').join(' | ')} |`);
for (const r of results) {
  const cells = [...r.conditions.wordsPerMinute.values(), ...r.conditions.pitch.values()].map(percent);
  console.log(`| ${r.variant} | ${cells.join(' | ')} |`);
}
for (const r of results) {
  console.log(JSON.stringify({ variant: r.variant, augmented: r.augmented, test: r.test.metrics, unseenVoices: r.unseen.metrics, testCount: r.test.count, unseenCount: r.unseen.count, seconds: r.seconds }));
}
