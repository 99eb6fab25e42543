import { ConfigError } from '@polyfuse/core';
import type { Dataset } from '@polyfuse/data/node';
import { createMetric, type TrainingMetric } from '@polyfuse/trainer';
import type { RunConfig } from '../config/runConfig.js';

interface Invertible {
  invert(values: ArrayLike<number>): Float32Array;
}
interface Decodable {
  decode(ids: readonly number[]): string;
}

/**
 * The run's metrics, built from the registry with what the data decides:
 * regression metrics on a standardised target get the target's `invert`, so
 * MAE / RMSE are in the target's own units.
 */
export function createTaskMetrics(config: RunConfig, dataset: Dataset): TrainingMetric[] {
  return config.metrics.map((spec, i) => {
    const target = spec.config?.target as string | undefined;
    const fitted = target ? dataset.targets[target] : undefined;
    const invert = fitted?.type === 'regression' && config.data.labels[target!]?.standardize ? (values: Float32Array) => (fitted as unknown as Invertible).invert(values) : undefined;
    return createMetric(spec, `metrics[${i}].config`, invert ? { invert } : {});
  });
}

/** Text of token ids for every sequence target, from its fitted tokenizer. */
export function detokenizers(dataset: Dataset): Record<string, (ids: number[]) => string> {
  const out: Record<string, (ids: number[]) => string> = {};
  for (const [name, target] of Object.entries(dataset.targets)) {
    if (target.type !== 'sequence') continue;
    const decodable = target as unknown as Partial<Decodable>;
    if (typeof decodable.decode !== 'function') throw new ConfigError(`Sequence target '${name}' cannot turn ids back into text (no decode).`);
    out[name] = (ids) => decodable.decode!(ids);
  }
  return out;
}
