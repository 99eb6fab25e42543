import { InputError, generateSequences, type Batch, type MultimodalModel, type tf } from '@polyfuse/core';
import type { MetricContext } from '../metrics/trainingMetric.js';

/**
 * The MetricContext of one evaluated batch. `generated(output)` decodes a
 * `tokens_<head>` output greedily once per batch (however many metrics read
 * it) and turns the ids into text with the target's detokenizer.
 */
export function metricContext(
  model: MultimodalModel,
  batch: Batch,
  outputs: Record<string, tf.Tensor>,
  detokenize: Record<string, (ids: number[]) => string> = {},
): MetricContext {
  const cache = new Map<string, string[]>();
  return {
    batch,
    outputs,
    generated(output: string): string[] {
      const cached = cache.get(output);
      if (cached) return cached;
      const head = output.startsWith('tokens_') ? output.slice('tokens_'.length) : output;
      const info = model.metadata.heads?.[head];
      if (!info || info.kind !== 'tokens') throw new InputError(`Output '${output}' is not a decoder head's, so it has no generated text.`);
      const toText = detokenize[info.target];
      if (!toText) throw new InputError(`No detokenizer for sequence target '${info.target}': pass Trainer option detokenize.${info.target}.`);
      const { ids } = generateSequences(model, { inputs: batch.inputs, mask: batch.mask }, head);
      const texts = ids.map((sequence) => toText(sequence));
      cache.set(output, texts);
      return texts;
    },
  };
}
