import { tf } from '@polyfuse/core';

/** An optimizer's slot variables (moments, iteration count) as JSON. */
export type SerializedOptimizerState = { shape: number[]; dtype: string; data: string }[];

/**
 * Saves the optimizer's weights in order. tfjs optimizers match their slots
 * to variables by position in the gradient list, not by name, so restoring
 * into a model loaded in another process (whose variable names may carry
 * different suffixes) works as long as the variable order is the same.
 */
export async function saveOptimizerState(optimizer: tf.Optimizer): Promise<SerializedOptimizerState> {
  const weights = await optimizer.getWeights();
  return Promise.all(
    weights.map(async ({ tensor }) => ({
      shape: tensor.shape,
      dtype: tensor.dtype,
      data: Buffer.from((await tensor.data()).buffer.slice(0)).toString('base64'),
    })),
  );
}

export async function restoreOptimizerState(optimizer: tf.Optimizer, state: SerializedOptimizerState): Promise<void> {
  if (state.length === 0) return;
  const tensors = state.map(({ shape, dtype, data }, i) => {
    const bytes = Buffer.from(data, 'base64');
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    const values = dtype === 'int32' ? new Int32Array(buffer) : new Float32Array(buffer);
    return { name: `slot_${i}`, tensor: tf.tensor(values, shape, dtype as 'float32' | 'int32') };
  });
  await optimizer.setWeights(tensors);
  tf.dispose(tensors.map((t) => t.tensor));
}
