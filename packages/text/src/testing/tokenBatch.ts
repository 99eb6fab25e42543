import { tf } from '@polyfuse/core';

/** Four padded id sequences (pad 0) over a 12-token vocabulary, one label each: the tiny batch encoder tests overfit. */
export const tokenRows = [
  [4, 5, 6, 0, 0, 0],
  [6, 5, 4, 7, 0, 0],
  [8, 9, 0, 0, 0, 0],
  [10, 11, 8, 9, 10, 0],
];
export const tokenLabels = [0, 1, 2, 3];

export function tokenBatch(): tf.Tensor {
  return tf.tensor2d(tokenRows, undefined, 'int32');
}
