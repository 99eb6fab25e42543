import { ConfigError, tf } from '@polyfuse/core';
import type { DataLoader, LoadedBatch } from '@polyfuse/data';
import type { Dataset } from '@polyfuse/data/node';
import { dropModalities } from './evaluate.js';

/**
 * The modalities of `--mask` values (repeated, or comma separated:
 * `--mask audio --mask image`, `--mask audio,image`), each checked against
 * the model's modalities. An unknown one is a ConfigError naming the known ones.
 */
export function parseMaskedModalities(values: readonly string[], modalities: readonly string[]): string[] {
  const masked = [...new Set(values.flatMap((v) => v.split(',')).map((m) => m.trim()).filter((m) => m !== ''))];
  const unknown = masked.filter((m) => !modalities.includes(m));
  if (unknown.length > 0) {
    throw new ConfigError(`--mask: the model has no modality ${unknown.map((m) => `'${m}'`).join(', ')}. Its modalities: ${modalities.join(', ')}.`);
  }
  return masked;
}

/**
 * A loader whose batches have `modalities` missing for every sample: zero
 * input and presence mask 0, exactly as @polyfuse/data presents an absent
 * modality. The other fields of each batch (ids, references, index) pass through.
 */
export function maskedLoader(loader: DataLoader, modalities: readonly string[]): DataLoader {
  return {
    size: loader.size,
    batchCount: loader.batchCount,
    batchSize: loader.batchSize,
    async *batches(epoch, options) {
      for await (const batch of loader.batches(epoch, options)) {
        let masked: LoadedBatch;
        try {
          masked = { ...batch, ...dropModalities(batch, 0, (_, m) => modalities.includes(m)) };
        } finally {
          tf.dispose([...Object.values(batch.inputs), ...Object.values(batch.mask), ...Object.values(batch.targets)]);
        }
        yield masked;
      }
    },
  };
}

/**
 * Makes every loader of `dataset` mask `modalities` for every sample, so
 * that whatever scores it (metrics, named heads, contribution, robustness)
 * sees those modalities missing: `polyfuse eval --mask`.
 */
export function maskModalities(dataset: Dataset, modalities: readonly string[]): void {
  if (modalities.length === 0) return;
  const loader = dataset.loader.bind(dataset);
  dataset.loader = (split, options) => maskedLoader(loader(split, options), modalities);
}
