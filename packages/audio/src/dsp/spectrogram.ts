import { InputError } from '@polyfuse/core';
import { RealFft } from './fft.js';
import { createWindow, type WindowName } from './window.js';
import { createMatrix, type Matrix } from './matrix.js';
import { paddedIndex, type PadMode } from './padding.js';
import { checkFraming, frameCount } from './frameSignal.js';

export interface SpectrogramOptions {
  /** FFT size; output has `floor(nFft / 2) + 1` bins. Default 400 (torchaudio). */
  nFft?: number;
  /** Window length, <= nFft; the window is zero-padded to nFft, centred. Default nFft. */
  winLength?: number;
  /** Samples between frames. Default `floor(winLength / 2)`. */
  hopLength?: number;
  window?: WindowName;
  /** Centre frames on `t * hop` by padding `nFft / 2` on both sides. Default true. */
  center?: boolean;
  padMode?: PadMode;
  /** 2 = power spectrum `|X|^2`, 1 = magnitude `|X|`. Default 2. */
  power?: 1 | 2;
  /** Divide by the window's L2 norm (torchaudio `normalized=True`). Default false. */
  normalized?: boolean;
}

/**
 * Short-time Fourier transform magnitude or power, `[nFft / 2 + 1, frames]`,
 * matching `torchaudio.transforms.Spectrogram` (0.13): `torch.stft` with a
 * periodic window, `center=True`, `pad_mode='reflect'`, `onesided=True`, then
 * `|X|^power`. Runs on plain typed arrays, no tensor backend needed.
 */
export function spectrogram(signal: Float32Array, options: SpectrogramOptions = {}): Matrix {
  const { nFft = 400, center = true, padMode = 'reflect', power = 2, normalized = false } = options;
  const winLength = options.winLength ?? nFft;
  const hopLength = options.hopLength ?? Math.floor(winLength / 2);
  checkFraming(signal, nFft, hopLength, 'spectrogram');
  if (!Number.isInteger(winLength) || winLength < 1 || winLength > nFft) {
    throw new InputError(`spectrogram: winLength must be an integer in [1, nFft=${nFft}], got ${winLength}.`);
  }
  if (power !== 1 && power !== 2) throw new InputError(`spectrogram: power must be 1 or 2, got ${power}.`);
  const frames = frameCount(signal.length, nFft, hopLength, center);
  if (frames === 0) throw new InputError(`spectrogram: signal of ${signal.length} samples is shorter than nFft=${nFft}; use center: true.`);

  const window = new Float64Array(nFft);
  window.set(createWindow(options.window ?? 'hann', winLength), Math.floor((nFft - winLength) / 2));
  let scale = 1;
  if (normalized) scale = 1 / Math.sqrt(window.reduce((s, w) => s + w * w, 0));
  const fft = getFft(nFft);
  const bins = fft.bins;
  const out = createMatrix(bins, frames);
  const buffer = new Float64Array(nFft);
  const re = new Float64Array(bins);
  const im = new Float64Array(bins);
  const pad = center ? Math.floor(nFft / 2) : 0;
  const n = signal.length;
  for (let f = 0; f < frames; f++) {
    const start = f * hopLength - pad;
    if (start >= 0 && start + nFft <= n) {
      for (let k = 0; k < nFft; k++) buffer[k] = signal[start + k]! * window[k]!;
    } else {
      for (let k = 0; k < nFft; k++) {
        const j = paddedIndex(start + k, n, padMode);
        buffer[k] = j < 0 ? 0 : signal[j]! * window[k]!;
      }
    }
    fft.forward(buffer, re, im);
    for (let b = 0; b < bins; b++) {
      const p = (re[b]! * re[b]! + im[b]! * im[b]!) * scale * scale;
      out.data[b * frames + f] = power === 2 ? p : Math.sqrt(p);
    }
  }
  return out;
}

const fftCache = new Map<number, RealFft>();

/** A cached RealFft plan per size (plans hold twiddle tables). */
export function getFft(size: number): RealFft {
  let fft = fftCache.get(size);
  if (!fft) {
    fft = new RealFft(size);
    fftCache.set(size, fft);
  }
  return fft;
}
