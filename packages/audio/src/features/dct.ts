import { InputError } from '@polyfuse/core';
import { createMatrix, type Matrix } from '../dsp/matrix.js';

/**
 * DCT-II matrix `[nMels, nMfcc]` as `torchaudio.functional.create_dct`:
 * `cos(pi / nMels * (n + 0.5) * k)`, with `ortho` normalisation (row k=0
 * scaled by `1/sqrt(2)`, everything by `sqrt(2 / nMels)`) or, with `null`,
 * scaled by 2.
 */
export function createDct(nMfcc: number, nMels: number, norm: 'ortho' | null = 'ortho'): Matrix {
  if (!Number.isInteger(nMels) || nMels < 1) throw new InputError(`createDct: nMels must be a positive integer, got ${nMels}.`);
  if (!Number.isInteger(nMfcc) || nMfcc < 1 || nMfcc > nMels) {
    throw new InputError(`createDct: nMfcc must be an integer in [1, nMels=${nMels}], got ${nMfcc}.`);
  }
  const out = createMatrix(nMels, nMfcc);
  for (let n = 0; n < nMels; n++) {
    for (let k = 0; k < nMfcc; k++) {
      let value = Math.cos((Math.PI / nMels) * (n + 0.5) * k);
      if (norm === 'ortho') value *= (k === 0 ? Math.SQRT1_2 : 1) * Math.sqrt(2 / nMels);
      else value *= 2;
      out.data[n * nMfcc + k] = value;
    }
  }
  return out;
}
