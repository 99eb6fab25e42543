import path from 'node:path';
import { writeFileAtomic } from '@polyfuse/core/node';
import { formatDuration } from '../../program/progress.js';
import { prepareOutputFolder, writingTo } from '../../run/outputFolder.js';
import { readRunStatuses, type RunState, type RunStateEntry } from '../status/runStatus.js';
import type { SweepPlan } from '../sweepPlan.js';
import { mergeSweepShards, type SweepMerge } from './mergeSweepShards.js';

/** One shard's row of a predict sweep's report. */
export interface ShardResult {
  index: number;
  id: string;
  shard: string;
  state: RunState;
  /** Predictions in the shard file and manifest lines skipped as bad samples (from its sweep-status.json). */
  predictions?: number;
  skipped?: number;
  /** Wall time from the shard's status start to its end: the backend, the model, the manifest, the prediction (not Node's start-up). */
  seconds?: number;
  error?: string;
}

/**
 * The report of a predict sweep: writes `<out>/report.md` (one row per
 * shard: state, predictions, skipped lines, time) and `<out>/report.json`,
 * then merges the shards into the sweep's output when every one is done
 * (what a cluster sweep's user runs once its jobs ended). Returns the
 * markdown and the merge's outcome. `states` are the shards' states when
 * the caller has read them with a scheduler's view (default: their status files).
 */
export async function writeShardReport(plan: SweepPlan, states?: RunStateEntry[]): Promise<{ markdown: string; table: string; results: ShardResult[]; merge: SweepMerge }> {
  states ??= await readRunStatuses(plan);
  const results: ShardResult[] = states.map((entry) => {
    const run = plan.runs[entry.index]!;
    const status = entry.status;
    const seconds = status?.finishedAt ? (Date.parse(status.finishedAt) - Date.parse(status.startedAt)) / 1000 : undefined;
    return {
      index: run.index,
      id: run.id,
      shard: `${run.shard!.index}/${run.shard!.count}`,
      state: entry.state,
      ...(entry.state === 'done' && status?.predictions !== undefined ? { predictions: status.predictions, skipped: status.skipped ?? 0 } : {}),
      ...(seconds !== undefined ? { seconds } : {}),
      ...(status?.error ? { error: status.error } : {}),
    };
  });
  const merge = await mergeSweepShards(plan, states);
  const done = results.filter((r) => r.state === 'done');
  const total = (key: 'predictions' | 'skipped'): number => done.reduce((sum, r) => sum + (r[key] ?? 0), 0);
  const notes = [
    `${done.length} of ${results.length} shards done: ${total('predictions')} predictions, ${total('skipped')} lines skipped; time is each shard's from loading the model to writing its file.`,
    merge.merged ? `Merged into ${merge.output}.` : `Not merged into ${merge.output} yet: waiting for ${merge.waitingFor.map((s) => s.id).join(', ')}.`,
    ...results.filter((r) => r.state !== 'done' && r.error).map((r) => `${r.id}: ${r.state}: ${r.error!.split('\n')[0]}`),
  ];
  const rows = results.map((r) => {
    const state = r.state === 'done' ? 'done' : `**${r.state.toUpperCase()}**`;
    const count = (n: number | undefined): string => (n === undefined ? '–' : n.toLocaleString('en-US'));
    return `| ${r.index} | ${r.id} | ${r.shard} | ${state} | ${count(r.predictions)} | ${count(r.skipped)} | ${r.seconds !== undefined ? shardTime(r.seconds) : '–'} |`;
  });
  const table = [`# Sweep ${plan.name}`, '', ...notes, '', '| index | id | shard | state | predictions | skipped | time |', '| ---: | --- | --- | --- | ---: | ---: | ---: |', ...rows, ''].join('\n');
  await prepareOutputFolder(plan.outDir, 'the sweep report');
  const files = { markdown: path.join(plan.outDir, 'report.md'), json: path.join(plan.outDir, 'report.json') };
  await writingTo('the sweep report', plan.outDir, async () => {
    await writeFileAtomic(files.markdown, table);
    await writeFileAtomic(files.json, `${JSON.stringify({ name: plan.name, kind: 'predict', output: plan.predict!.output, merged: merge.merged, shards: results }, null, 2)}\n`);
  });
  return { markdown: files.markdown, table, results, merge };
}

/** Seconds with one decimal under a minute, else `m:ss` / `h:mm:ss`. */
function shardTime(seconds: number): string {
  return seconds < 60 ? `${seconds.toFixed(1)} s` : formatDuration(seconds);
}
