import { InputError } from '@polyfuse/core';

export type WindowName = 'hann' | 'hamming' | 'rectangular';

/**
 * A window of `length` samples, periodic by default like `torch.hann_window`
 * / `torch.hamming_window` (`periodic=True`, the STFT convention):
 * hann `0.5 - 0.5 cos(2 pi t / N)`, hamming `0.54 - 0.46 cos(2 pi t / N)`, with
 * `N = length` (periodic) or `length - 1` (symmetric).
 */
export function createWindow(name: WindowName, length: number, periodic = true): Float64Array {
  if (!Number.isInteger(length) || length < 1) throw new InputError(`createWindow: length must be a positive integer, got ${length}.`);
  const out = new Float64Array(length);
  if (name === 'rectangular' || length === 1) return out.fill(1);
  const denominator = periodic ? length : length - 1;
  const [a, b] = name === 'hann' ? [0.5, 0.5] : name === 'hamming' ? [0.54, 0.46] : [Number.NaN, Number.NaN];
  if (Number.isNaN(a)) throw new InputError(`createWindow: unknown window '${name}'; expected hann, hamming or rectangular.`);
  for (let t = 0; t < length; t++) out[t] = a - b * Math.cos((2 * Math.PI * t) / denominator);
  return out;
}
