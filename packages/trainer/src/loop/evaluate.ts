import { tf, InputError, type MultimodalModel } from '@polyfuse/core';
import type { TrainingMetric } from '../metrics/trainingMetric.js';
import { resolveTerm, type LossTerm } from './lossTerm.js';
import type { BatchSource } from './batchSource.js';
import { presentRows } from '../tasks/presentRows.js';
import { metricContext } from '../tasks/metricContext.js';

/**
 * Runs the model in inference mode over every batch of `source` and returns
 * each term's loss averaged over the samples it counts (`loss.<term>`), their
 * weighted sum with `weights` (`loss.total`), and each metric, all under `prefix`.
 * Decoder heads are teacher-forced for their loss; metrics on generated text
 * decode greedily (`detokenize` turns a sequence target's ids into text).
 * Metrics are reset first. Batch tensors are disposed.
 */
export async function evaluateModel(
  model: MultimodalModel,
  source: BatchSource,
  options: { losses: LossTerm[]; metrics: TrainingMetric[]; weights: Record<string, number>; epoch: number; prefix: string; detokenize?: Record<string, (ids: number[]) => string> },
): Promise<Record<string, number>> {
  const { losses, metrics, weights, epoch, prefix } = options;
  for (const m of metrics) m.reset();
  const sums: Record<string, number> = {};
  const counts: Record<string, number> = {};
  let batches = 0;
  for await (const batch of source.batches(epoch)) {
    try {
      const outputs = model.call({ inputs: batch.inputs, mask: batch.mask, targets: batch.targets }, { training: false });
      try {
        for (const term of losses) {
          const { outputs: names, target, presentModalities } = resolveTerm(term, model.modalities);
          const y = batch.targets[target];
          if (!y) throw new InputError(`Loss term '${term.name}' needs target '${target}', but the batch has: ${Object.keys(batch.targets).join(', ') || 'none'}.`);
          const { value, count } = tf.tidy(() => {
            let predictions = names.map((o) => outputs[o]!);
            let labels = y;
            let n = y.shape[0];
            const present = presentModalities.length > 0 ? presentRows(batch.mask, presentModalities, term.name) : undefined;
            if (present) {
              n = present.count;
              if (n === 0) return { value: 0, count: 0 };
              if (present.indices) {
                predictions = predictions.map((p) => tf.gather(p, present.indices!));
                labels = tf.gather(labels, present.indices);
              }
            }
            return { value: term.loss(predictions.length === 1 ? predictions[0]! : predictions, labels).dataSync()[0], count: n };
          });
          sums[term.name] = (sums[term.name] ?? 0) + value * count;
          counts[term.name] = (counts[term.name] ?? 0) + count;
        }
        const context = metricContext(model, batch, outputs, options.detokenize);
        for (const m of metrics) {
          const prediction = outputs[m.output];
          const y = batch.targets[m.target];
          const missing = [...(m.outputs ?? [m.output])].filter((o) => !outputs[o]);
          if (!prediction || !y || missing.length > 0) {
            throw new InputError(`metric ${m.name} reads output ${(m.outputs ?? [m.output]).map((o) => `'${o}'`).join(', ')} and target '${m.target}'; outputs: ${Object.keys(outputs).join(', ')}; targets: ${Object.keys(batch.targets).join(', ')}.`);
          }
          m.update(prediction, y, context);
        }
      } finally {
        tf.dispose(Object.values(outputs));
      }
      batches++;
    } finally {
      tf.dispose([...Object.values(batch.inputs), ...Object.values(batch.mask), ...Object.values(batch.targets)]);
    }
  }
  if (batches === 0) throw new InputError('Evaluation data yielded no batches (is the split empty, or was every sample bad?).');
  const values: Record<string, number> = {};
  let total = 0;
  for (const term of losses) {
    const mean = counts[term.name] > 0 ? sums[term.name] / counts[term.name] : 0;
    values[`${prefix}loss.${term.name}`] = mean;
    total += (weights[term.name] ?? 1) * mean;
  }
  values[`${prefix}loss.total`] = total;
  for (const m of metrics) values[`${prefix}${m.name}`] = m.compute();
  return values;
}
