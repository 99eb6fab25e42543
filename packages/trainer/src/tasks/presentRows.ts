import type { tf } from '@polyfuse/core';
import { InputError } from '@polyfuse/core';

/**
 * Indices of the rows where every one of `modalities` is present (mask > 0.5),
 * or `undefined` when that is every row. Throws when a mask is missing.
 */
export function presentRows(masks: Record<string, tf.Tensor>, modalities: string[], term: string): { indices?: number[]; count: number; rows: number } {
  let rows = -1;
  let keep: boolean[] | undefined;
  for (const modality of modalities) {
    const mask = masks[modality];
    if (!mask) throw new InputError(`Loss term '${term}' counts samples with modality '${modality}' present, but the batch has no mask for it.`);
    const present = mask.dataSync();
    rows = present.length;
    keep ??= new Array<boolean>(rows).fill(true);
    for (let i = 0; i < rows; i++) if (!(present[i]! > 0.5)) keep[i] = false;
  }
  if (!keep) return { count: -1, rows: -1 };
  const indices = [...keep.keys()].filter((i) => keep![i]);
  return { ...(indices.length < rows ? { indices } : {}), count: indices.length, rows };
}
