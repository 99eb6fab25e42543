import { ConfigError } from '@polyfuse/core';

/** How over-long sequences are cut: keep the start (`end`, the default) or keep the end (`start`). */
export type Truncation = 'end' | 'start';

/**
 * Fits token ids to exactly `maxLength`: cuts at the end (or the start) when
 * longer, pads with `padId` at the end when shorter. Returns int32 values.
 */
export function padSequence(ids: readonly number[], maxLength: number, padId: number, truncation: Truncation = 'end'): Int32Array {
  if (!Number.isInteger(maxLength) || maxLength < 1) throw new ConfigError(`maxLength must be a positive integer, got ${maxLength}.`);
  const kept = ids.length <= maxLength ? ids : truncation === 'end' ? ids.slice(0, maxLength) : ids.slice(ids.length - maxLength);
  const out = new Int32Array(maxLength).fill(padId);
  out.set(kept);
  return out;
}
