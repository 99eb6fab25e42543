import { tf, InputError, type Batch, type SeededRandom } from '@polyfuse/core';
import type { ProcessedSample } from './processSamples.js';

/** Shape (without batch) and dtype of each modality's model input. */
export type InputSpecs = Record<string, { shape: number[]; dtype: 'float32' | 'int32' }>;

/**
 * Stacks samples into a Batch: absent modalities become zeros with mask 0.
 * With `modalityDropout` > 0 (training only), each present modality of each
 * sample is dropped with that probability, never all of a sample's
 * modalities, drawing from `rng` so the same seed drops the same ones.
 */
export function makeBatch(
  samples: ProcessedSample[],
  specs: InputSpecs,
  options: { modalityDropout?: number; rng?: SeededRandom } = {},
): Batch {
  const batchSize = samples.length;
  const present = samples.map((s) => Object.fromEntries(Object.keys(specs).map((m) => [m, s.features[m] !== undefined])));
  const rate = options.modalityDropout ?? 0;
  if (rate > 0 && options.rng) {
    for (const flags of present) {
      const kept = Object.keys(flags).filter((m) => flags[m]);
      for (const m of kept) if (options.rng.next() < rate) flags[m] = false;
      if (!Object.values(flags).some(Boolean)) flags[kept[options.rng.int(kept.length)]] = true;
    }
  }
  const inputs: Record<string, tf.Tensor> = {};
  const mask: Record<string, tf.Tensor> = {};
  for (const [modality, spec] of Object.entries(specs)) {
    const size = spec.shape.reduce((a, b) => a * b, 1);
    const values = spec.dtype === 'int32' ? new Int32Array(batchSize * size) : new Float32Array(batchSize * size);
    const maskValues = new Float32Array(batchSize);
    samples.forEach((sample, i) => {
      const feature = sample.features[modality];
      if (!feature || !present[i][modality]) return;
      if (feature.length !== size) {
        throw new InputError(`Sample '${sample.id}' (line ${sample.line}), modality '${modality}': preprocessor gave ${feature.length} values; the model expects shape [${spec.shape.join(', ')}] (${size} values).`);
      }
      values.set(feature, i * size);
      maskValues[i] = 1;
    });
    inputs[modality] = tf.tensor(values, [batchSize, ...spec.shape], spec.dtype);
    mask[modality] = tf.tensor1d(maskValues);
  }
  const targets: Record<string, tf.Tensor> = {};
  for (const name of Object.keys(samples[0]?.targets ?? {})) {
    targets[name] = tf.tensor1d(samples.map((s) => s.targets[name]), 'int32');
  }
  return { inputs, mask, targets, ids: samples.map((s) => s.id) };
}

/** Disposes every tensor of a batch. */
export function disposeBatch(batch: Batch): void {
  tf.dispose([...Object.values(batch.inputs), ...Object.values(batch.mask), ...Object.values(batch.targets)]);
}
