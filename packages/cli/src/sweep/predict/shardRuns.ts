import path from 'node:path';
import { shardFileName } from '../../predict/shardSpec.js';
import type { SweepRun } from '../sweepPlan.js';
import type { PredictSection } from './predictSection.js';

/**
 * The runs of a predict sweep: one per shard, in shard order, with ids
 * `0003-shard=3-of-8` (index zero-padded to at least 4 digits, as training
 * runs are) and the shard file each writes beside the merged output, which
 * is what `polyfuse predict --shard i/n --output <output>` writes.
 */
export function shardRuns(section: PredictSection, outDir: string): SweepRun[] {
  const width = Math.max(4, String(section.shards - 1).length);
  return Array.from({ length: section.shards }, (_, index) => {
    const id = `${String(index).padStart(width, '0')}-shard=${index}-of-${section.shards}`;
    const shard = { index, count: section.shards };
    return { index, id, overrides: {}, outDir: path.join(outDir, 'runs', id), shard: { ...shard, file: shardFileName(section.output, shard) } };
  });
}
