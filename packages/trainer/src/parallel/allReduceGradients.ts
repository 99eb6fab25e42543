import { tf } from '@polyfuse/core';
import type { ReplicaGroup } from './replicaGroup.js';

/** One exchange buffer per group, reused from step to step (fresh megabyte arrays cost page faults). */
const buffers = new WeakMap<ReplicaGroup, Float32Array>();

/** A tensor's values without a copy where the backend allows it (wasm: a view of its heap), else `dataSync`. */
function readValues(tensor: tf.Tensor): Float32Array {
  const backend = tf.backend() as unknown as { typedArrayFromHeap?: (info: tf.TensorInfo) => Float32Array };
  if (tf.getBackend() === 'wasm' && typeof backend.typedArrayFromHeap === 'function' && tensor.dtype === 'float32') return backend.typedArrayFromHeap(tensor);
  return tensor.dataSync() as Float32Array;
}

/**
 * The weighted mean of each gradient across the replicas, as new tensors:
 * Σ_r weight_r · grad_r / Σ_r weight_r, where weight_r is the number of
 * samples replica r's gradients were averaged over (so the result is the
 * gradient of the mean loss over the whole batch). `names` fixes the order
 * of the shared vector and must be the same on every replica; a name
 * missing from `grads` counts as zeros of `shapes[name]`. Extra `scalars`
 * (loss values to log) travel in the same exchange and come back averaged.
 */
export function allReduceGradients(
  group: ReplicaGroup,
  grads: Record<string, tf.Tensor | undefined>,
  layout: { names: readonly string[]; shapes: Readonly<Record<string, readonly number[]>> },
  weight: number,
  scalars: readonly number[] = [],
): { grads: Record<string, tf.Tensor>; scalars: number[] } {
  const sizes = layout.names.map((name) => layout.shapes[name]!.reduce((a, b) => a * b, 1));
  const total = sizes.reduce((a, b) => a + b, 0);
  let flat = buffers.get(group);
  if (flat?.length !== total + scalars.length) {
    flat = new Float32Array(total + scalars.length);
    buffers.set(group, flat);
  }
  let offset = 0;
  layout.names.forEach((name, i) => {
    const gradient = grads[name];
    if (gradient) flat.set(readValues(gradient), offset);
    else flat.fill(0, offset, offset + sizes[i]!);
    offset += sizes[i]!;
  });
  flat.set(scalars, total);
  const reduced = group.allReduce(flat, weight);
  offset = 0;
  const result: Record<string, tf.Tensor> = {};
  layout.names.forEach((name, i) => {
    result[name] = tf.tensor(reduced.subarray(offset, offset + sizes[i]!), [...layout.shapes[name]!], 'float32');
    offset += sizes[i]!;
  });
  return { grads: result, scalars: Array.from(reduced.subarray(total)) };
}
