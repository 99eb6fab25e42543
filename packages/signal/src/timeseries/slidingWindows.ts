import { InputError } from '@polyfuse/core';

/**
 * Cuts a multichannel series `[T, C]` (row-major) into windows of `length`
 * steps every `stride` steps: `floor((T - length) / stride) + 1` windows,
 * each `[length, C]`; a trailing partial window is dropped. Use it to turn a
 * long recording (ECG, accelerometer) into training samples.
 */
export function slidingWindows(series: Float32Array, channels: number, length: number, stride = length): Float32Array[] {
  if (!Number.isInteger(channels) || channels < 1) throw new InputError(`slidingWindows: channels must be a positive integer, got ${channels}.`);
  if (series.length % channels !== 0) throw new InputError(`slidingWindows: series length ${series.length} is not a multiple of ${channels} channels.`);
  if (!Number.isInteger(length) || length < 1) throw new InputError(`slidingWindows: length must be a positive integer, got ${length}.`);
  if (!Number.isInteger(stride) || stride < 1) throw new InputError(`slidingWindows: stride must be a positive integer, got ${stride}.`);
  const steps = series.length / channels;
  const windows: Float32Array[] = [];
  for (let start = 0; start + length <= steps; start += stride) windows.push(series.slice(start * channels, (start + length) * channels));
  return windows;
}
