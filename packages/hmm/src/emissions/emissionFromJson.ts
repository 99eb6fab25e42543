import { InputError } from '@polyfuse/core';
import { DiagonalGaussian } from './diagonalGaussian.js';
import { GaussianMixture } from './gaussianMixture.js';
import type { EmissionJson, EmissionModel } from './emissionModel.js';

/** Rebuilds an emission model from its `toJSON()` form. */
export function emissionFromJson(json: EmissionJson, what = 'emission'): EmissionModel {
  switch (json?.type) {
    case 'diagonal-gaussian':
      return DiagonalGaussian.fromJSON(json);
    case 'gaussian-mixture':
      return GaussianMixture.fromJSON(json);
    default:
      throw new InputError(`${what}: unknown emission type ${JSON.stringify((json as { type?: unknown } | undefined)?.type)}; expected 'diagonal-gaussian' or 'gaussian-mixture'.`);
  }
}
