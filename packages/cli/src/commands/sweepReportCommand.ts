import path from 'node:path';
import type { CommandIo, GlobalOptions } from '../program/commandIo.js';
import { exitCodes } from '../program/exitCodes.js';
import { loadSweep } from '../sweep/loadSweep.js';
import { writeSweepReport } from '../sweep/report/writeSweepReport.js';
import { countStates } from './sweepCommand.js';

/**
 * `polyfuse sweep report <sweep.yaml>`: writes the comparison of every run
 * (`<out>/report.md`, `report.html`, `report.json`) and prints the markdown
 * table. Exit code 0 even when runs failed or are missing: they are marked.
 */
export async function sweepReportCommand(file: string, _options: GlobalOptions, io: CommandIo): Promise<number> {
  const plan = await loadSweep(path.resolve(io.cwd, file), { check: false });
  const report = await writeSweepReport(plan);
  io.stdout.write(report.table);
  io.stderr.write(`Runs: ${countStates(report.results)}\nReport: ${report.markdown}, ${report.html}\n`);
  return exitCodes.ok;
}
