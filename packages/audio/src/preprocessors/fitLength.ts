/**
 * Crops or zero-pads a signal to exactly `length` samples. `centre` keeps
 * the middle (and pads equally on both sides); `start` keeps the beginning
 * (and pads at the end).
 */
export function fitLength(signal: Float32Array, length: number, align: 'centre' | 'start' = 'centre'): Float32Array {
  if (signal.length === length) return signal;
  const out = new Float32Array(length);
  if (signal.length > length) {
    const offset = align === 'centre' ? Math.floor((signal.length - length) / 2) : 0;
    out.set(signal.subarray(offset, offset + length));
  } else {
    const offset = align === 'centre' ? Math.floor((length - signal.length) / 2) : 0;
    out.set(signal, offset);
  }
  return out;
}
