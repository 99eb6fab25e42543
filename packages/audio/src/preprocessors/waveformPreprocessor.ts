import { validateConfig, type ConfigSchema, type PreprocessContext, type Preprocessor } from '@polyfuse/core';
import { loadMono, type AudioFileReader } from './audioInput.js';
import { fitLength } from './fitLength.js';
import { augmentWaveform, checkWaveformAugmentation, hasWaveformAugmentation, perturbTiming, waveformAugmentationSchema, type WaveformAugmentation } from './waveformAugmentation.js';

export interface WaveformConfig extends WaveformAugmentation {
  sampleRate: number;
  samples: number;
  align: 'centre' | 'start';
  normalisation: 'peak' | 'rms' | 'none';
}

export const waveformSchema: ConfigSchema = {
  sampleRate: { type: 'integer', default: 8000, min: 1, description: 'Audio is resampled to this rate (Hz).' },
  samples: { type: 'integer', default: 8000, min: 1, description: 'Output length: cropped or zero-padded to exactly this many samples.' },
  align: { type: 'string', default: 'centre', enum: ['centre', 'start'] },
  normalisation: { type: 'string', default: 'peak', enum: ['peak', 'rms', 'none'], description: 'peak: max |x| = 1; rms: unit RMS; silence is left as is.' },
  ...waveformAugmentationSchema,
};

/**
 * Turns a WAV file (or bytes, or decoded audio) into a fixed-length mono
 * waveform `[samples, 1]` for `encoder/audio-cnn1d`: downmix → resample →
 * [training: speed, tempo, pitch] → crop/pad → normalise → [training: gain,
 * shift, noise].
 */
export class WaveformPreprocessor implements Preprocessor {
  readonly config: Record<string, unknown>;
  readonly outputShape: number[];
  readonly dtype = 'float32' as const;
  /** Only when a waveform augmentation is configured. */
  readonly augments: boolean;
  private readonly options: WaveformConfig;
  private readonly readFile?: AudioFileReader;

  constructor(config: Record<string, unknown> = {}, options: { readFile?: AudioFileReader } = {}) {
    this.config = validateConfig<Record<string, unknown>>(waveformSchema, config, 'preprocessor/audio-waveform');
    this.options = this.config as unknown as WaveformConfig;
    checkWaveformAugmentation('preprocessor/audio-waveform', this.options);
    this.readFile = options.readFile;
    this.outputShape = [this.options.samples, 1];
    this.augments = hasWaveformAugmentation(this.options);
  }

  async process(value: unknown, context: PreprocessContext): Promise<Float32Array> {
    const o = this.options;
    const signal = await loadMono(value, o.sampleRate, context.baseDir, this.readFile);
    let clip = context.training ? perturbTiming(signal, o.sampleRate, o, context.rng, o.samples, o.align) : fitLength(signal, o.samples, o.align);
    if (o.normalisation !== 'none') {
      const scale = o.normalisation === 'peak' ? clip.reduce((m, x) => Math.max(m, Math.abs(x)), 0) : Math.sqrt(clip.reduce((s, x) => s + x * x, 0) / clip.length);
      if (scale > 1e-8) clip = clip.map((x) => x / scale);
    }
    if (context.training) clip = augmentWaveform(clip, o.sampleRate, o, context.rng);
    return clip;
  }
}
