import { ConfigError, InputError, validateConfig, type ConfigSchema, type PreprocessContext, type Preprocessor } from '@polyfuse/core';
import { isMissing } from '../tabular/missing.js';
import { channelStatistics, normaliseChannels } from '../timeseries/channelStatistics.js';

export const timeseriesSchema: ConfigSchema = {
  length: { type: 'integer', required: true, min: 1, description: 'Steps per sample: longer series are cropped, shorter ones zero-padded at the end.' },
  channels: { type: 'integer', default: 1, min: 1, description: 'Channels C; values are [T] (C = 1), [T][C] arrays, or { channel: [T] } objects.' },
  channelNames: { type: 'string[]', default: [], description: 'Channel keys when values are objects, in output order.' },
  crop: { type: 'string', default: 'start', enum: ['start', 'centre', 'end'], description: 'Which part of a long series is kept (random while training when randomCrop).' },
  randomCrop: { type: 'boolean', default: false, description: 'Training only: crop at a random offset.' },
  normalisation: { type: 'string', default: 'instance', enum: ['instance', 'dataset', 'none'], description: 'instance: per-sample, per-channel z-score; dataset: per-channel training mean/std (fit).' },
  jitter: { type: 'number', default: 0, min: 0, description: 'Training only: std of added Gaussian noise (after normalisation).' },
  scale: { type: 'number[]', default: [], description: 'Training only: [min, max] random amplitude factor; [] disables.' },
};

interface TimeseriesConfig {
  length: number;
  channels: number;
  channelNames: string[];
  crop: 'start' | 'centre' | 'end';
  randomCrop: boolean;
  normalisation: 'instance' | 'dataset' | 'none';
  jitter: number;
  scale: number[];
}

/**
 * `preprocessor/timeseries`: one series (ECG lead, accelerometer axes) →
 * `[length, channels]` float32: crop or zero-pad to `length`, missing steps
 * filled by linear interpolation (edges: nearest value), normalise, then
 * (training only, seeded by `context.rng`) scale and jitter.
 */
export class TimeseriesPreprocessor implements Preprocessor {
  readonly config: Record<string, unknown>;
  readonly outputShape: number[];
  /** Training and evaluation process alike: no augmentation. */
  readonly augments = false;
  readonly dtype = 'float32' as const;
  private readonly options: TimeseriesConfig;
  private statistics?: { mean: number[]; std: number[] };

  constructor(config: Record<string, unknown>) {
    this.config = validateConfig(timeseriesSchema, config, 'preprocessor/timeseries');
    this.options = this.config as unknown as TimeseriesConfig;
    const { channels, channelNames, scale } = this.options;
    if (channelNames.length > 0 && channelNames.length !== channels) {
      throw new ConfigError(`preprocessor/timeseries.channelNames has ${channelNames.length} names but channels is ${channels}.`);
    }
    if (scale.length !== 0 && (scale.length !== 2 || !(scale[0]! <= scale[1]!))) {
      throw new ConfigError(`preprocessor/timeseries.scale must be [] or [min, max], got ${JSON.stringify(scale)}.`);
    }
    this.outputShape = [this.options.length, channels];
  }

  async fit(values: unknown[]): Promise<void> {
    if (this.options.normalisation !== 'dataset') return;
    if (values.length === 0) throw new InputError('preprocessor/timeseries.fit: no training values.');
    this.statistics = channelStatistics(values.map((v) => this.parse(v)), this.options.channels);
  }

  getState(): { mean: number[]; std: number[] } | undefined {
    return this.statistics;
  }

  setState(state: unknown): void {
    const s = state as { mean: number[]; std: number[] };
    if (!s || !Array.isArray(s.mean) || !Array.isArray(s.std) || s.mean.length !== this.options.channels) {
      throw new InputError(`preprocessor/timeseries.setState: expected { mean, std } with ${this.options.channels} values each.`);
    }
    this.statistics = { mean: s.mean.slice(), std: s.std.slice() };
  }

  async process(value: unknown, context: PreprocessContext): Promise<Float32Array> {
    const o = this.options;
    const C = o.channels;
    const series = this.parse(value);
    const steps = series.length / C;
    let offset = 0;
    if (steps > o.length) {
      const slack = steps - o.length;
      offset = context.training && o.randomCrop ? context.rng.int(slack + 1) : o.crop === 'start' ? 0 : o.crop === 'end' ? slack : Math.floor(slack / 2);
    }
    const window = series.slice(offset * C, (offset + Math.min(steps, o.length)) * C);
    if (o.normalisation === 'instance') {
      const { mean, std } = channelStatistics([window], C);
      normaliseChannels(window, C, mean, std);
    } else if (o.normalisation === 'dataset') {
      if (!this.statistics) throw new InputError("preprocessor/timeseries: normalisation 'dataset' needs fit(trainingValues) (or setState) first.");
      normaliseChannels(window, C, this.statistics.mean, this.statistics.std);
    }
    const out = new Float32Array(o.length * C);
    out.set(window);
    if (context.training) {
      const factor = o.scale.length === 2 ? context.rng.uniform(o.scale[0]!, o.scale[1]!) : 1;
      for (let i = 0; i < window.length; i++) out[i] = out[i]! * factor + (o.jitter > 0 ? context.rng.normal(0, o.jitter) : 0);
    }
    return out;
  }

  /** The value as `[T, C]` row-major, missing steps interpolated. */
  private parse(value: unknown): Float32Array {
    const { channels: C, channelNames } = this.options;
    let rows: unknown[][];
    if (Array.isArray(value)) {
      rows = C === 1 ? value.map((v) => (Array.isArray(v) ? v : [v])) : (value as unknown[][]);
    } else if (typeof value === 'object' && value !== null && channelNames.length === C) {
      const record = value as Record<string, unknown>;
      const lists = channelNames.map((name) => {
        const list = record[name];
        if (!Array.isArray(list)) throw new InputError(`preprocessor/timeseries: channel '${name}' must be an array of numbers, got ${JSON.stringify(list)?.slice(0, 60)}.`);
        return list;
      });
      const T = lists[0]!.length;
      lists.forEach((l, c) => {
        if (l.length !== T) throw new InputError(`preprocessor/timeseries: channel '${channelNames[c]}' has ${l.length} steps but '${channelNames[0]}' has ${T}.`);
      });
      rows = Array.from({ length: T }, (_, t) => lists.map((l) => l[t]));
    } else {
      throw new InputError(`preprocessor/timeseries: expected an array of ${C === 1 ? 'numbers' : `[${C}]-value rows`}${channelNames.length ? ` or an object with ${channelNames.join(', ')}` : ''}, got ${JSON.stringify(value)?.slice(0, 60)}.`);
    }
    if (rows.length === 0) throw new InputError('preprocessor/timeseries: the series is empty (zero steps).');
    const out = new Float32Array(rows.length * C);
    rows.forEach((row, t) => {
      if (!Array.isArray(row) || row.length !== C) throw new InputError(`preprocessor/timeseries: step ${t} must hold ${C} values, got ${JSON.stringify(row)}.`);
      row.forEach((cell, c) => {
        if (isMissing(cell)) out[t * C + c] = Number.NaN;
        else if (typeof cell === 'number' && Number.isFinite(cell)) out[t * C + c] = cell;
        else throw new InputError(`preprocessor/timeseries: step ${t}, channel ${c} must be a number, got ${JSON.stringify(cell)}.`);
      });
    });
    for (let c = 0; c < C; c++) interpolateMissing(out, C, c);
    return out;
  }
}

/** Fills NaN steps of channel `c` linearly between neighbours; edges take the nearest value; an all-missing channel becomes 0. */
function interpolateMissing(series: Float32Array, C: number, c: number): void {
  const T = series.length / C;
  let previous = -1;
  for (let t = 0; t <= T; t++) {
    if (t < T && Number.isNaN(series[t * C + c]!)) continue;
    const gapStart = previous + 1;
    for (let k = gapStart; k < t; k++) {
      const left = previous >= 0 ? series[previous * C + c]! : undefined;
      const right = t < T ? series[t * C + c]! : undefined;
      series[k * C + c] = left !== undefined && right !== undefined ? left + ((right - left) * (k - previous)) / (t - previous) : left ?? right ?? 0;
    }
    previous = t;
  }
}
