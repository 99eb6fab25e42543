import { InputError } from '@polyfuse/core';
import type { StreamWeights } from '../models/multiStreamHmm.js';

/**
 * Every weighting of `streams` with weights in `{0, step, 2 step, ..., 1}`
 * that sum to 1 (a grid on the simplex): for two streams and step 0.1,
 * `{a: 0, b: 1}, {a: 0.1, b: 0.9}, ..., {a: 1, b: 0}` (11 points).
 */
export function streamWeightGrid(streams: readonly string[], step = 0.1): StreamWeights[] {
  if (streams.length === 0) throw new InputError('streamWeightGrid: needs at least one stream.');
  const parts = Math.round(1 / step);
  if (!(step > 0 && step <= 1) || Math.abs(parts * step - 1) > 1e-9) throw new InputError(`streamWeightGrid: step must divide 1 (0.5, 0.1, 0.05, ...), got ${step}.`);
  const out: StreamWeights[] = [];
  const counts = new Array<number>(streams.length).fill(0);
  const visit = (index: number, left: number) => {
    if (index === streams.length - 1) {
      counts[index] = left;
      out.push(Object.fromEntries(streams.map((s, i) => [s, counts[i]! / parts])));
      return;
    }
    for (let c = 0; c <= left; c++) {
      counts[index] = c;
      visit(index + 1, left - c);
    }
  };
  visit(0, parts);
  return out;
}
