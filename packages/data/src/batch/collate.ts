import { tf, InputError, formatShape, type Batch } from '@polyfuse/core';

/** One preprocessed sample, ready to batch. */
export interface ProcessedSample {
  id: string;
  /** Flat values per modality; `undefined` where the modality is absent. */
  features: Record<string, Float32Array | Int32Array | undefined>;
  /** Encoded target per label: a number for `[]` targets, flat values otherwise. */
  targets: Record<string, number | Float32Array | Int32Array>;
  /** Every reference text per sequence target, passed on as `batch.references`. */
  references?: Record<string, string[]>;
}

/**
 * Shape (per sample), dtype and padding of one target's batch tensor (a
 * Target fits this). A leading `-1` means "padded to the longest sample in
 * the batch". `'class'` and `'number'` are shorthands for int32 and float32 `[]`.
 */
export interface TargetLayout {
  shape: number[];
  dtype: 'float32' | 'int32';
  /** Value filling the end of shorter samples (a sequence's pad id). Default 0. */
  padValue?: number;
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
 * Targets are stacked into `[B, ...shape]` the same way, padded with their
 * `padValue` (sequences: the pad id); every sample's references of each
 * sequence target go to `batch.references`.
 */
export function collateBatch(
  samples: ProcessedSample[],
  features: Record<string, FeatureSpec>,
  labelTypes: Record<string, 'class' | 'number' | TargetLayout>,
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
    const layout: TargetLayout = type === 'class' ? { shape: [], dtype: 'int32' } : type === 'number' ? { shape: [], dtype: 'float32' } : type;
    targets[name] = stackTarget(samples, name, layout);
  }
  const batch: Batch = { inputs, mask, targets, ids: samples.map((s) => s.id) };
  const referenced = [...new Set(samples.flatMap((s) => Object.keys(s.references ?? {})))];
  if (referenced.length > 0) batch.references = Object.fromEntries(referenced.map((name) => [name, samples.map((s) => [...(s.references?.[name] ?? [])])]));
  return batch;
}

/** One target's `[B, ...shape]` tensor; a missing or wrongly sized value is an InputError naming sample and target. */
function stackTarget(samples: ProcessedSample[], name: string, layout: TargetLayout): tf.Tensor {
  const batchSize = samples.length;
  const values = samples.map((s) => {
    const v = s.targets[name];
    if (v === undefined) throw new InputError(`Sample '${s.id}' has no value for target '${name}'.`);
    return typeof v === 'number' ? [v] : v;
  });
  if (layout.shape.length === 0) {
    values.forEach((v, i) => {
      if (v.length !== 1) throw new InputError(`Sample '${samples[i].id}', target '${name}': expected 1 value (shape []), got ${v.length}.`);
    });
    return tf.tensor1d(layout.dtype === 'int32' ? Int32Array.from(values, (v) => v[0]) : Float32Array.from(values, (v) => v[0]), layout.dtype);
  }
  const rowSize = layout.shape.slice(1).reduce((a, b) => a * b, 1);
  const fixed = layout.shape[0] >= 0 ? layout.shape[0] : undefined;
  const length = fixed ?? Math.max(1, ...values.map((v) => Math.ceil(v.length / rowSize)));
  const sampleSize = length * rowSize;
  const data = layout.dtype === 'int32' ? new Int32Array(batchSize * sampleSize) : new Float32Array(batchSize * sampleSize);
  data.fill(layout.padValue ?? 0);
  values.forEach((v, i) => {
    if (v.length % rowSize !== 0 || v.length > sampleSize) {
      throw new InputError(`Sample '${samples[i].id}', target '${name}': ${v.length} values do not fit shape ${formatShape([length, ...layout.shape.slice(1)])}.`);
    }
    data.set(v, i * sampleSize);
  });
  return tf.tensor(data, [batchSize, length, ...layout.shape.slice(1)], layout.dtype);
}

/** Disposes every tensor of a batch. */
export function disposeBatch(batch: Batch): void {
  tf.dispose([...Object.values(batch.inputs), ...Object.values(batch.mask), ...Object.values(batch.targets)]);
}
