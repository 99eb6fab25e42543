import path from 'node:path';
import type { CommandIo, GlobalOptions } from '../program/commandIo.js';
import { exitCodes } from '../program/exitCodes.js';
import { loadSweep } from '../sweep/loadSweep.js';
import { writeSweepReport } from '../sweep/report/writeSweepReport.js';
import { countStates, withClusterStates } from './sweepCommand.js';
import { readRunStatuses } from '../sweep/status/runStatus.js';
import { writeShardReport } from '../sweep/predict/shardReport.js';
import { describeMerge } from '../sweep/predict/mergeSweepShards.js';

/**
 * `polyfuse sweep report <sweep.yaml>`: writes the comparison of every run
 * (`<out>/report.md`, `report.html`, `report.json`) and prints the markdown
 * table. Exit code 0 even when runs failed or are missing: they are marked.
 *
 * For a predict sweep: a table of the shards (`report.md`, `report.json`)
 * and, once every shard is done, the merge of the shard files into the
 * sweep's output. Exit code 1 while shards are missing or failed (they are
 * named), so a job that runs it after the shards can tell nothing was merged.
 */
export async function sweepReportCommand(file: string, _options: GlobalOptions, io: CommandIo): Promise<number> {
  const plan = await loadSweep(path.resolve(io.cwd, file), { check: false });
  if (plan.kind === 'predict') {
    // Shards a scheduler still holds (queued, running) count as running, not missing.
    const report = await writeShardReport(plan, await withClusterStates(plan, await readRunStatuses(plan), plan.executor));
    io.stdout.write(report.table);
    io.stderr.write(`Shards: ${countStates(report.results)}\nReport: ${report.markdown}\n${describeMerge(report.merge, plan.sweepFile, io.cwd)}\n`);
    return report.merge.merged ? exitCodes.ok : exitCodes.failure;
  }
  const report = await writeSweepReport(plan);
  io.stdout.write(report.table);
  io.stderr.write(`Runs: ${countStates(report.results)}\nReport: ${report.markdown}, ${report.html}\n`);
  return exitCodes.ok;
}
