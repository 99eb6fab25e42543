import { tf, InputError, formatShape, type Batch } from '@polyfuse/core';

/** One preprocessed sample, ready to batch. */
export interface ProcessedSample {
  id: string;
  /** Flat values per modality; `undefined` where the modality is absent. */
  features: Record<string, Float32Array | Int32Array | undefined>;
  targets: Record<string, number>;
}

/** Shape and dtype of one modality's sample tensor. A leading `-1` means "variable length, padded per batch". */
export interface FeatureSpec {
  shape: number[];
  dtype: 'float32' | 'int32';
}

/**
 * Stacks samples into a Batch. Absent modalities get zeros and mask 0.
 * Shorter values are zero-padded at the end of their first axis: to the fixed
 * length when the shape's first dimension is fixed, to the longest sample in
 * the batch when it is `-1`. A value that is too long, or whose size is not a
 * whole number of rows, is an InputError naming the sample and modality.
 * Class targets are int32, number targets float32.
 */
export function collateBatch(
  samples: ProcessedSample[],
  features: Record<string, FeatureSpec>,
  labelTypes: Record<string, 'class' | 'number'>,
): Batch {
  if (samples.length === 0) throw new InputError('collateBatch: samples is empty; a batch needs at least one sample.');
  const batchSize = samples.length;
  const inputs: Record<string, tf.Tensor> = {};
  const mask: Record<string, tf.Tensor> = {};
  for (const [modality, spec] of Object.entries(features)) {
    const rowSize = spec.shape.slice(1).reduce((a, b) => a * b, 1);
    const lengths = samples.map((s) => {
      const values = s.features[modality];
      if (!values) return 0;
      if (spec.shape.length === 0) {
        if (values.length !== 1) throw new InputError(`Sample '${s.id}', modality '${modality}': expected 1 value (shape []), got ${values.length}.`);
        return 1;
      }
      if (values.length % rowSize !== 0) {
        throw new InputError(`Sample '${s.id}', modality '${modality}': ${values.length} values do not fill whole rows of shape ${formatShape(spec.shape.slice(1))}.`);
      }
      return values.length / rowSize;
    });
    const fixed = spec.shape.length > 0 && spec.shape[0] >= 0 ? spec.shape[0] : undefined;
    const length = spec.shape.length === 0 ? 1 : (fixed ?? Math.max(1, ...lengths));
    lengths.forEach((l, i) => {
      if (l > length) {
        throw new InputError(`Sample '${samples[i].id}', modality '${modality}': ${l} rows exceed the expected length ${length} of shape ${formatShape(spec.shape)}.`);
      }
    });
    const sampleSize = length * rowSize;
    const data = spec.dtype === 'int32' ? new Int32Array(batchSize * sampleSize) : new Float32Array(batchSize * sampleSize);
    const present = new Float32Array(batchSize);
    samples.forEach((s, i) => {
      const values = s.features[modality];
      if (!values) return;
      data.set(values, i * sampleSize);
      present[i] = 1;
    });
    const shape = spec.shape.length === 0 ? [batchSize] : [batchSize, length, ...spec.shape.slice(1)];
    inputs[modality] = tf.tensor(data, shape, spec.dtype);
    mask[modality] = tf.tensor1d(present);
  }
  const targets: Record<string, tf.Tensor> = {};
  for (const [name, type] of Object.entries(labelTypes)) {
    const values = samples.map((s) => s.targets[name]);
    targets[name] = type === 'class' ? tf.tensor1d(Int32Array.from(values), 'int32') : tf.tensor1d(Float32Array.from(values));
  }
  return { inputs, mask, targets, ids: samples.map((s) => s.id) };
}

/** Disposes every tensor of a batch. */
export function disposeBatch(batch: Batch): void {
  tf.dispose([...Object.values(batch.inputs), ...Object.values(batch.mask), ...Object.values(batch.targets)]);
}
