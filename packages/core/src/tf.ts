/**
 * The one TensorFlow.js instance every polyfuse package uses.
 *
 * We import the `@tensorflow/tfjs` union package rather than tfjs-core and
 * tfjs-layers separately: importing them separately leaves the chained ops
 * (`x.square()` and friends) unregistered and LSTM/GRU layers then fail.
 * TF.js is a peer dependency, so an application and its plugins share one copy;
 * a second copy is reported at import (see tfInstanceGuard).
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { claimTfInstance } from './backend/tfInstanceGuard.js';

claimTfInstance(tf as unknown as { Tensor: unknown; version: Record<string, string> }, import.meta.url);

export { tf };
