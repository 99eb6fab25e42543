import { tf } from '../tf.js';
import { fusedGru, type FusedGru } from './fusedGru.js';

/** Options of a bidirectional fused GRU. */
export interface FusedBidirectionalGruOptions {
  /** State size per direction; the output is 2 × units wide. */
  units: number;
  /** Every step `[B, T, 2H]` instead of the final states `[B, 2H]`. Default false. */
  returnSequences?: boolean;
  /** Layer-name prefix: layers are `<name>_forward`, `<name>_backward`, `<name>_concat`. */
  name?: string;
  /** Never mask: see `FusedGruArgs.ignoreMask`. Default false. */
  ignoreMask?: boolean;
}

/** The two directions and their concatenation, and how to run them. */
export interface FusedBidirectionalGru {
  readonly layers: [forward: FusedGru, backward: FusedGru, concat: tf.layers.Layer];
  apply(input: tf.SymbolicTensor): tf.SymbolicTensor;
  apply(input: tf.Tensor): tf.Tensor;
}

/**
 * A bidirectional GRU with `tf.layers.bidirectional({ mergeMode: 'concat' })`
 * semantics built from two `FusedGru` layers (tf.layers.bidirectional only
 * wraps tfjs RNN subclasses): `[forward, backward]` on the last axis, where
 * the backward layer runs with `goBackwards`, its final state is the state
 * after step 0, and its sequence output is reversed back to time order.
 * Masks (e.g. from `embedding({ maskZero: true })`) reach both directions and
 * pass on with `returnSequences`.
 */
export function fusedBidirectionalGru(options: FusedBidirectionalGruOptions): FusedBidirectionalGru {
  const { units, returnSequences = false, name, ignoreMask = false } = options;
  const named = (part: string) => (name ? { name: `${name}_${part}` } : {});
  const forward = fusedGru({ units, returnSequences, ignoreMask, ...named('forward') });
  const backward = fusedGru({ units, returnSequences, goBackwards: true, sequenceOrder: 'time', ignoreMask, ...named('backward') });
  const concat = tf.layers.concatenate({ axis: -1, ...named('concat') });
  const apply = ((input: tf.Tensor | tf.SymbolicTensor) =>
    concat.apply([forward.apply(input as tf.Tensor) as tf.Tensor, backward.apply(input as tf.Tensor) as tf.Tensor])) as FusedBidirectionalGru['apply'];
  return { layers: [forward, backward, concat], apply };
}
