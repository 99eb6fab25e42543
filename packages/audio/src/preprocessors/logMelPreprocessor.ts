import { ConfigError, InputError, SeededRandom, validateConfig, type ConfigSchema, type PreprocessContext, type Preprocessor } from '@polyfuse/core';
import { melSpectrogram } from '../features/melSpectrogram.js';
import { amplitudeToDb } from '../features/amplitudeToDb.js';
import { createMatrix, type Matrix } from '../dsp/matrix.js';
import { createDct } from '../features/dct.js';
import { computeDeltas } from '../features/computeDeltas.js';
import type { MelScale } from '../features/melScale.js';
import { specAugment } from '../augment/specAugment.js';
import { loadMono, type AudioFileReader } from './audioInput.js';
import { fitLength } from './fitLength.js';
import { augmentWaveform, checkWaveformAugmentation, hasWaveformAugmentation, perturbTiming, waveformAugmentationSchema, type WaveformAugmentation } from './waveformAugmentation.js';

/** Options of `preprocessor/audio-logmel` (defaults give 40 x 32 x 1 for ~1 s of speech). */
export interface LogMelConfig extends WaveformAugmentation {
  sampleRate: number;
  nFft: number;
  winLength?: number;
  hopLength: number;
  nMels: number;
  nMfcc: number;
  deltas: number;
  frames: number;
  align: 'centre' | 'start';
  fMin: number;
  fMax?: number;
  melScale: MelScale;
  melNorm: 'none' | 'slaney';
  log: 'db' | 'natural';
  topDb: number;
  normalisation: 'utterance' | 'dataset' | 'fixed' | 'none';
  mean: number;
  std: number;
  freqMasks: number;
  freqMaskBins: number;
  timeMasks: number;
  timeMaskFrames: number;
}

export const logMelSchema: ConfigSchema = {
  sampleRate: { type: 'integer', default: 8000, min: 1, description: 'Audio is resampled to this rate (Hz) first.' },
  nFft: { type: 'integer', default: 512, min: 2, description: 'FFT size (any length; powers of two are fastest).' },
  winLength: { type: 'integer', min: 1, description: 'Hann window length, <= nFft. Default nFft.' },
  hopLength: { type: 'integer', default: 256, min: 1, description: 'Samples between frames.' },
  nMels: { type: 'integer', default: 40, min: 1, description: 'Mel bands (output rows unless nMfcc > 0).' },
  nMfcc: { type: 'integer', default: 0, min: 0, description: 'When > 0: keep this many MFCCs (DCT-II, ortho, of the log-mel) instead of the mel bands.' },
  deltas: { type: 'integer', default: 0, min: 0, max: 2, description: 'Stack 1st (and 2nd) order deltas below the features (torchaudio compute_deltas, win 5).' },
  frames: { type: 'integer', default: 32, min: 1, description: 'Output frames: audio is cropped or zero-padded to (frames - 1) * hopLength samples.' },
  align: { type: 'string', default: 'centre', enum: ['centre', 'start'], description: 'Which part is kept when cropping, and where padding goes.' },
  fMin: { type: 'number', default: 20, min: 0, description: 'Lowest mel filter edge (Hz).' },
  fMax: { type: 'number', min: 0, description: 'Highest mel filter edge (Hz). Default sampleRate / 2.' },
  melScale: { type: 'string', default: 'htk', enum: ['htk', 'slaney'] },
  melNorm: { type: 'string', default: 'none', enum: ['none', 'slaney'], description: 'slaney: unit-area filters.' },
  log: { type: 'string', default: 'db', enum: ['db', 'natural'], description: 'db: 10 log10(max(x, 1e-10)) clamped to max - topDb; natural: log(x + 1e-6).' },
  topDb: { type: 'number', default: 80, min: 0, description: 'Dynamic range kept by the dB scale; 0 = unclamped.' },
  normalisation: {
    type: 'string',
    default: 'utterance',
    enum: ['utterance', 'dataset', 'fixed', 'none'],
    description: 'utterance: per-sample zero mean, unit std; dataset: per-mel-band training mean/std (fit); fixed: (x - mean) / std.',
  },
  mean: { type: 'number', default: 0, description: 'Mean subtracted when normalisation is fixed.' },
  std: { type: 'number', default: 1, min: 1e-12, description: 'Divisor when normalisation is fixed.' },
  ...waveformAugmentationSchema,
  freqMasks: { type: 'integer', default: 0, min: 0, description: 'Training only: SpecAugment frequency masks per sample.' },
  freqMaskBins: { type: 'integer', default: 0, min: 0, description: 'Largest frequency-mask width (mel bands).' },
  timeMasks: { type: 'integer', default: 0, min: 0, description: 'Training only: SpecAugment time masks per sample.' },
  timeMaskFrames: { type: 'integer', default: 0, min: 0, description: 'Largest time-mask width (frames).' },
};

/**
 * Turns a WAV file (or bytes, or decoded audio) into a fixed-size log-mel
 * spectrogram `[nMels, frames, 1]`, ready for `encoder/audio-cnn`:
 * mono downmix → resample to `sampleRate` → crop/zero-pad to
 * `(frames - 1) * hopLength` samples (so the centred STFT has exactly
 * `frames` frames; in training after a random speed, tempo and pitch change)
 * → [training: gain, shift, noise] → torchaudio-style mel
 * spectrogram → dB (or natural log) → normalisation (per utterance, per mel
 * band from `fit` on the training split, or fixed) → [training: SpecAugment
 * masks, filled with the normalised mean 0].
 *
 * Augmentations draw from `context.rng` and run only when `context.training`.
 */
export class LogMelPreprocessor implements Preprocessor {
  readonly config: Record<string, unknown>;
  readonly outputShape: number[];
  readonly dtype = 'float32' as const;
  /** Only when a waveform augmentation or SpecAugment mask is configured. */
  readonly augments: boolean;
  private readonly options: LogMelConfig;
  private readonly readFile?: AudioFileReader;
  private bandStatistics?: { mean: number[]; std: number[] };

  /** Registry name used in error messages. */
  protected readonly label: string;

  constructor(config: Record<string, unknown> = {}, options: { readFile?: AudioFileReader; schema?: ConfigSchema; label?: string } = {}) {
    const label = options.label ?? 'preprocessor/audio-logmel';
    const checked = validateConfig<Record<string, unknown>>(options.schema ?? logMelSchema, config, label);
    this.label = label;
    this.options = checked as unknown as LogMelConfig;
    this.config = checked;
    this.readFile = options.readFile;
    const o = this.options;
    if (o.nMfcc > o.nMels) throw new ConfigError(`${label}.nMfcc (${o.nMfcc}) must be <= nMels (${o.nMels}).`);
    if (o.winLength !== undefined && o.winLength > o.nFft) throw new ConfigError(`${label}.winLength (${o.winLength}) must be <= nFft (${o.nFft}).`);
    const fMax = o.fMax ?? o.sampleRate / 2;
    if (!(o.fMin < fMax && fMax <= o.sampleRate / 2)) {
      throw new ConfigError(`${label}: need fMin < fMax <= sampleRate / 2 (${o.sampleRate / 2} Hz), got fMin=${o.fMin}, fMax=${fMax}.`);
    }
    checkWaveformAugmentation(label, o);
    this.outputShape = [this.rows, o.frames, 1];
    this.augments = hasWaveformAugmentation(o) || (o.freqMasks > 0 && o.freqMaskBins > 0) || (o.timeMasks > 0 && o.timeMaskFrames > 0);
  }

  /** Output rows: mel bands or MFCCs, times (1 + deltas). */
  get rows(): number {
    return (this.options.nMfcc > 0 ? this.options.nMfcc : this.options.nMels) * (1 + this.options.deltas);
  }

  /** Samples per clip after cropping/padding: `(frames - 1) * hopLength`. */
  get clipLength(): number {
    return Math.max(1, (this.options.frames - 1) * this.options.hopLength);
  }

  async process(value: unknown, context: PreprocessContext): Promise<Float32Array> {
    const signal = await loadMono(value, this.options.sampleRate, context.baseDir, this.readFile);
    return this.fromSignal(signal, context.training ? context.rng : undefined).data;
  }

  /**
   * For `normalisation: 'dataset'`: learns each mel band's mean and std over
   * the (unaugmented) training clips, like per-frequency CMVN. A no-op otherwise.
   */
  async fit(values: unknown[], context: { baseDir: string }): Promise<void> {
    if (this.options.normalisation !== 'dataset') return;
    if (values.length === 0) throw new InputError(`${this.label}.fit: no training values.`);
    const { frames } = this.options;
    const sum = new Float64Array(this.rows);
    const squares = new Float64Array(this.rows);
    for (const value of values) {
      const features = this.unnormalised(await loadMono(value, this.options.sampleRate, context.baseDir, this.readFile), undefined);
      for (let i = 0; i < features.data.length; i++) {
        const band = Math.floor(i / frames);
        sum[band]! += features.data[i]!;
        squares[band]! += features.data[i]! ** 2;
      }
    }
    const count = values.length * frames;
    const mean = Array.from(sum, (s) => s / count);
    const std = Array.from(squares, (q, band) => Math.sqrt(Math.max(0, q / count - mean[band]! ** 2)) || 1);
    this.bandStatistics = { mean, std };
  }

  /** The per-band statistics `fit` learned (for `dataset` normalisation). */
  getState(): { mean: number[]; std: number[] } | undefined {
    return this.bandStatistics;
  }

  setState(state: unknown): void {
    const s = state as { mean?: unknown; std?: unknown } | undefined;
    if (s === undefined || s === null) return;
    if (!Array.isArray(s.mean) || !Array.isArray(s.std) || s.mean.length !== this.rows || s.std.length !== this.rows) {
      throw new InputError(`${this.label}.setState: expected { mean, std } with ${this.rows} values each.`);
    }
    this.bandStatistics = { mean: s.mean.slice() as number[], std: s.std.slice() as number[] };
  }

  /**
   * The features of a mono signal already at `sampleRate`, as a `[nMels, frames]`
   * matrix; pass `rng` to apply the training augmentations.
   */
  fromSignal(signal: Float32Array, rng?: SeededRandom): Matrix {
    const o = this.options;
    const features = this.unnormalised(signal, rng);
    if (o.normalisation === 'dataset') {
      if (!this.bandStatistics) throw new InputError(`${this.label}: normalisation 'dataset' needs fit(trainingValues) (or setState) first.`);
      const { mean, std } = this.bandStatistics;
      for (let i = 0; i < features.data.length; i++) {
        const band = Math.floor(i / o.frames);
        features.data[i] = (features.data[i]! - mean[band]!) / std[band]!;
      }
    } else {
      normalise(features.data, o);
    }
    if (rng) specAugment(features, o, rng);
    return features;
  }

  /** Crop/pad, waveform augmentation (with `rng`), mel spectrogram, log, [MFCC], [deltas]: unnormalised `[rows, frames]`. */
  private unnormalised(signal: Float32Array, rng: SeededRandom | undefined): Matrix {
    const o = this.options;
    let clip = rng ? perturbTiming(signal, o.sampleRate, o, rng, this.clipLength, o.align) : fitLength(signal, this.clipLength, o.align);
    if (rng) clip = augmentWaveform(clip, o.sampleRate, o, rng);
    const mel = melSpectrogram(clip, {
      sampleRate: o.sampleRate,
      nFft: o.nFft,
      winLength: o.winLength,
      hopLength: o.hopLength,
      nMels: o.nMels,
      fMin: o.fMin,
      fMax: o.fMax,
      melScale: o.melScale,
      norm: o.melNorm === 'slaney' ? 'slaney' : null,
    });
    const logMel = o.log === 'db' ? amplitudeToDb(mel, { topDb: o.topDb > 0 ? o.topDb : null }) : { ...mel, data: mel.data.map((x) => Math.log(x + 1e-6)) };
    const base = o.nMfcc > 0 ? cepstrum(logMel, o.nMfcc) : logMel;
    if (o.deltas === 0) return base;
    const blocks = [base];
    for (let order = 0; order < o.deltas; order++) blocks.push(computeDeltas(blocks[blocks.length - 1]!));
    const data = new Float32Array(blocks.length * base.data.length);
    blocks.forEach((block, i) => data.set(block.data, i * base.data.length));
    return { rows: base.rows * blocks.length, cols: base.cols, data };
  }
}

/** The first `nMfcc` DCT-II (ortho) coefficients of each frame of a `[nMels, frames]` log-mel, as torchaudio's MFCC. */
function cepstrum(logMel: Matrix, nMfcc: number): Matrix {
  const dct = createDct(nMfcc, logMel.rows, 'ortho');
  const frames = logMel.cols;
  const out = createMatrix(nMfcc, frames);
  for (let k = 0; k < nMfcc; k++) {
    for (let t = 0; t < frames; t++) {
      let sum = 0;
      for (let n = 0; n < logMel.rows; n++) sum += logMel.data[n * frames + t]! * dct.data[n * nMfcc + k]!;
      out.data[k * frames + t] = sum;
    }
  }
  return out;
}

function normalise(data: Float32Array, o: LogMelConfig): void {
  if (o.normalisation === 'none' || o.normalisation === 'dataset') return;
  let mean = o.mean;
  let std = o.std;
  if (o.normalisation === 'utterance') {
    mean = data.reduce((s, x) => s + x, 0) / data.length;
    std = Math.sqrt(data.reduce((s, x) => s + (x - mean) ** 2, 0) / data.length);
    if (std < 1e-5) std = 1; // a constant clip (silence) stays all zeros
  }
  for (let i = 0; i < data.length; i++) data[i] = (data[i]! - mean) / std;
}

/** `preprocessor/audio-mfcc`: the same pipeline with 13 MFCCs plus deltas and delta-deltas by default (`[39, frames, 1]`). */
export const mfccSchema: ConfigSchema = {
  ...logMelSchema,
  nMfcc: { ...logMelSchema.nMfcc!, default: 13 },
  deltas: { ...logMelSchema.deltas!, default: 2 },
};

/** `preprocessor/audio-mfcc`: `LogMelPreprocessor` with MFCC defaults (13 coefficients, deltas, delta-deltas). */
export class MfccPreprocessor extends LogMelPreprocessor {
  constructor(config: Record<string, unknown> = {}, options: { readFile?: AudioFileReader } = {}) {
    super(config, { ...options, schema: mfccSchema, label: 'preprocessor/audio-mfcc' });
  }
}
