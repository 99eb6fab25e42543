import path from 'node:path';
import { mergePredictionShards } from '../../predict/shardMerge.js';
import { writingTo } from '../../run/outputFolder.js';
import type { RunStateEntry } from '../status/runStatus.js';
import type { SweepPlan } from '../sweepPlan.js';

/** The merge of a predict sweep: done, or the shards it still waits for. */
export type SweepMerge = { merged: true; output: string; shards: number; predictions: number } | { merged: false; output: string; waitingFor: RunStateEntry[] };

/**
 * Merges the shard files of a predict sweep into its output (in shard
 * order, which is manifest order; see mergePredictionShards) once every
 * shard run is done. While any is not, nothing is written and the runs it
 * waits for are returned, so the caller can name them.
 */
export async function mergeSweepShards(plan: SweepPlan, states: RunStateEntry[]): Promise<SweepMerge> {
  const output = plan.predict!.output;
  const waitingFor = states.filter((s) => s.state !== 'done');
  if (waitingFor.length > 0) return { merged: false, output, waitingFor };
  const merged = await writingTo('the merged predictions', output, () => mergePredictionShards(output), `or set predict.output in ${plan.sweepFile}`);
  return { merged: true, output, ...merged };
}

/** What to tell the user about a merge, one line. */
export function describeMerge(merge: SweepMerge, sweepFile: string, cwd: string): string {
  const shown = path.relative(cwd, merge.output) || merge.output;
  if (merge.merged) return `Merged ${merge.shards} shard(s), ${merge.predictions} prediction(s), into ${shown}`;
  const relativeFile = path.relative(cwd, sweepFile) || sweepFile;
  const waiting = merge.waitingFor.map((s) => `${s.id} (${s.state})`).join(', ');
  const toRun = merge.waitingFor.some((s) => s.state !== 'running');
  const advice = toRun ? `Run the missing and failed ones with: polyfuse sweep ${relativeFile} --resume` : `They are still running: run polyfuse sweep report ${relativeFile} again once they end`;
  return `Not merged into ${shown}: ${merge.waitingFor.length} shard(s) not done: ${waiting}. ${advice}`;
}
