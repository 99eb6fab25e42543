import { tf, InputError, type Batch } from '@polyfuse/core';
import { resolveTerm, type LossTerm } from '../loop/lossTerm.js';
import { presentRows } from './presentRows.js';

/**
 * One function per loss term for a training step, each running the forward
 * pass (shared through `forward`) and scoring its outputs against its target
 * on the rows it counts; plus the row-index tensors they close over (the
 * caller disposes those after the step). With `whole` (data-parallel
 * replicas), a term's mean over this replica's counted rows is scaled so that
 * the row-weighted average across replicas is the mean over the whole batch's
 * counted rows.
 */
export function termFunctions(
  losses: LossTerm[],
  modalities: readonly string[],
  batch: Batch,
  masks: Record<string, tf.Tensor>,
  forward: () => Record<string, tf.Tensor>,
  whole?: { masks: Record<string, tf.Tensor>; rows: number },
): { terms: Record<string, () => tf.Scalar>; transient: tf.Tensor[] } {
  const terms: Record<string, () => tf.Scalar> = {};
  const transient: tf.Tensor[] = [];
  for (const term of losses) {
    const { outputs, target, presentModalities } = resolveTerm(term, modalities);
    const y = batch.targets[target];
    if (!y) throw new InputError(`Loss term '${term.name}' needs target '${target}', but the batch has: ${Object.keys(batch.targets).join(', ') || 'none'}.`);
    let rows: tf.Tensor1D | undefined;
    let none = false;
    let scale = 1;
    if (presentModalities.length > 0) {
      const here = presentRows(masks, presentModalities, term.name);
      if (here.count === 0) none = true;
      else if (here.indices) rows = tf.tensor1d(here.indices, 'int32');
      if (whole) {
        // (present here / present in the batch) · (batch rows / rows here)
        const inBatch = presentRows(whole.masks, presentModalities, term.name).count;
        scale = inBatch === 0 ? 0 : (here.count / inBatch) * (whole.rows / here.rows);
      }
    }
    terms[term.name] = () => {
      const all = forward();
      const predictions = outputs.map((o) => {
        const p = all[o];
        if (!p) throw new InputError(`Loss term '${term.name}' reads output '${o}', which the model does not have (outputs: ${Object.keys(all).join(', ')}).`);
        return p;
      });
      if (none) return predictions[0]!.sum().mul(0) as tf.Scalar;
      const pick = (t: tf.Tensor) => (rows ? tf.gather(t, rows) : t);
      const prediction = predictions.length === 1 ? pick(predictions[0]!) : predictions.map(pick);
      const loss = term.loss(prediction, pick(y));
      return scale === 1 ? loss : (loss.mul(scale) as tf.Scalar);
    };
    if (rows) transient.push(rows);
  }
  return { terms, transient };
}
