import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { spectrogram } from './spectrogram.js';
import { frameSignal, frameCount } from './frameSignal.js';

interface SpectrogramCase {
  options: { n_fft: number; win_length?: number; hop_length: number; power: number; center?: boolean; normalized?: boolean };
  signal: string;
  length: number;
  shape: [number, number];
  values: number[];
}
const reference = JSON.parse(readFileSync(new URL('../../fixtures/reference.json', import.meta.url), 'utf8')) as {
  signal8k: number[];
  signal16k: number[];
  spectrogram: SpectrogramCase[];
};

describe('spectrogram', () => {
  it.each(reference.spectrogram.map((c) => [JSON.stringify(c.options), c] as const))('matches torchaudio Spectrogram(%s)', (_name, c) => {
    const source = c.signal.startsWith('signal16k') ? reference.signal16k : reference.signal8k;
    const signal = Float32Array.from(source.slice(0, c.length));
    const spec = spectrogram(signal, {
      nFft: c.options.n_fft,
      winLength: c.options.win_length,
      hopLength: c.options.hop_length,
      power: c.options.power as 1 | 2,
      center: c.options.center ?? true,
      normalized: c.options.normalized ?? false,
    });
    expect([spec.rows, spec.cols]).toEqual(c.shape);
    const scale = Math.max(...c.values);
    spec.data.forEach((x, i) => expect(Math.abs(x - c.values[i]!)).toBeLessThan(1e-5 * scale + 1e-6));
  });

  it('frames a signal as torch.stft does before windowing', () => {
    const signal = Float32Array.from([1, 2, 3, 4, 5, 6]);
    expect(frameCount(6, 4, 2)).toBe(4);
    // reflect padding of 2: [3, 2, 1, 2, 3, 4, 5, 6, 5, 4]
    expect(Array.from(frameSignal(signal, 4, 2).data)).toEqual([3, 2, 1, 2, 1, 2, 3, 4, 3, 4, 5, 6, 5, 6, 5, 4]);
    expect(Array.from(frameSignal(signal, 4, 2, { center: false }).data)).toEqual([1, 2, 3, 4, 3, 4, 5, 6]);
  });

  it('rejects zero-length audio and bad options', () => {
    expect(() => spectrogram(new Float32Array(0), { nFft: 64 })).toThrow(/zero-length audio/);
    expect(() => spectrogram(new Float32Array(100), { nFft: 64, winLength: 80 })).toThrow(/winLength must be an integer in \[1, nFft=64\]/);
    expect(() => spectrogram(new Float32Array(100), { nFft: 64, hopLength: 0 })).toThrow(/hopLength must be a positive integer/);
  });
});
