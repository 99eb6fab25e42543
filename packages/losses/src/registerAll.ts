import { registerLosses } from './registerLosses.js';
import { registerWeightings } from './registerWeightings.js';

/** Registers `loss/*` and `weighting/*` in core's registry; idempotent. */
export function registerAll(): void {
  registerLosses();
  registerWeightings();
}

// Importing @polyfuse/losses registers its components, like any polyfuse plugin.
registerAll();
