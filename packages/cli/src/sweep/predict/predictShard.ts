import { promises as fs } from 'node:fs';
import { InputError } from '@polyfuse/core';
import { predictRun, type PredictSummary } from '../../commands/predictCommand.js';
import type { CommandIo, GlobalOptions } from '../../program/commandIo.js';
import { exists } from '../../run/runFolder.js';
import type { SweepPlan, SweepRun } from '../sweepPlan.js';

/**
 * Predicts one shard of a predict sweep, in this process: exactly
 * `polyfuse predict <run> --manifest <m> --shard i/n --output <output>`
 * with the sweep's predict options (the same function runs), so the merged
 * shards are byte for byte the unsharded prediction. An earlier attempt's
 * shard file is removed first. Throws when the shard
 * file is not there afterwards, so the run is not marked done without it.
 */
export async function predictShard(plan: SweepPlan, run: SweepRun, options: GlobalOptions, io: CommandIo): Promise<PredictSummary> {
  const section = plan.predict!;
  const shard = run.shard!;
  // A file left by an earlier attempt must not stand in for this one's if it fails.
  await fs.rm(shard.file, { force: true });
  const summary = await predictRun(
    section.run,
    {
      ...options,
      manifest: section.manifest,
      shard: { index: shard.index, count: shard.count },
      output: section.output,
      format: section.format,
      ...(section.batchSize !== undefined ? { batchSize: section.batchSize } : {}),
      ...(section.beam !== undefined ? { beam: section.beam } : {}),
      ...(section.query !== undefined ? { query: section.query } : {}),
      ...(section.top !== undefined ? { top: section.top } : {}),
    },
    io,
  );
  if (!(await exists(shard.file))) throw new InputError(`shard ${shard.index}/${shard.count} finished without writing ${shard.file}.`);
  return summary;
}
