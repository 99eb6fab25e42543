/**
 * The one TensorFlow.js instance every polyfuse package uses.
 *
 * We import the `@tensorflow/tfjs` union package rather than tfjs-core and
 * tfjs-layers separately: importing them separately leaves the chained ops
 * (`x.square()` and friends) unregistered and LSTM/GRU layers then fail.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

export { tf };
