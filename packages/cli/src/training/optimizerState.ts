import { tf } from '@polyfuse/core';

/** An optimizer's state as JSON: its slot variables in order, plus Adam-style running powers. */
export interface SerializedOptimizerState {
  slots: SerializedTensor[];
  /** `accBeta1` / `accBeta2` of Adam-family optimizers, restored bit for bit. */
  running: Record<string, number>;
}

interface SerializedTensor {
  shape: number[];
  dtype: string;
  data: string;
}

/** Running-product fields tfjs optimizers keep outside `getWeights()`. */
const runningFields = ['accBeta1', 'accBeta2'] as const;

/**
 * Saves the optimizer's weights in order. tfjs optimizers match their slots
 * to variables by position in the gradient list, not by name, so restoring
 * into a model loaded in another process (whose variable names may carry
 * different suffixes) works as long as the variable order is the same.
 * Adam's `setWeights` recomputes beta^t with `pow`, which differs in the last
 * bits from the running product a continuous run has; saving the running
 * values too makes a resumed run match an uninterrupted one exactly.
 */
export async function saveOptimizerState(optimizer: tf.Optimizer): Promise<SerializedOptimizerState> {
  const weights = await optimizer.getWeights();
  const slots = await Promise.all(
    weights.map(async ({ tensor }) => {
      const values = await tensor.data();
      // getWeights creates the iteration-count scalar fresh on each call; the slots are the optimizer's own variables.
      if (!(tensor instanceof tf.Variable)) tensor.dispose();
      return { shape: tensor.shape, dtype: tensor.dtype, data: Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('base64') };
    }),
  );
  const running: Record<string, number> = {};
  for (const field of runningFields) {
    const variable = (optimizer as unknown as Record<string, tf.Variable | undefined>)[field];
    if (variable instanceof tf.Variable) running[field] = (await variable.data())[0];
  }
  return { slots, running };
}

export async function restoreOptimizerState(optimizer: tf.Optimizer, state: SerializedOptimizerState): Promise<void> {
  if (state.slots.length > 0) {
    const tensors = state.slots.map(({ shape, dtype, data }, i) => {
      const bytes = Buffer.from(data, 'base64');
      const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
      const values = dtype === 'int32' ? new Int32Array(buffer) : new Float32Array(buffer);
      return { name: `slot_${i}`, tensor: tf.tensor(values, shape, dtype as 'float32' | 'int32') };
    });
    await optimizer.setWeights(tensors);
    tf.dispose(tensors.map((t) => t.tensor));
  }
  for (const [field, value] of Object.entries(state.running)) {
    const variable = (optimizer as unknown as Record<string, tf.Variable | undefined>)[field];
    if (variable instanceof tf.Variable) tf.tidy(() => variable.assign(tf.scalar(value)));
  }
}
