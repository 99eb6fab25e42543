import path from 'node:path';
import { writeReport } from '../report/writeReport.js';
import { exitCodes } from '../program/exitCodes.js';
import { prepareOutputFolder, writingTo } from '../run/outputFolder.js';
import { exists, runPaths } from '../run/runFolder.js';
import type { CommandIo, GlobalOptions } from '../program/commandIo.js';

/** `polyfuse report <run>`: (re)writes the run's HTML report from its logs and evaluation. */
export async function reportCommand(runDir: string, _options: GlobalOptions, io: CommandIo): Promise<number> {
  const dir = path.resolve(io.cwd, runDir);
  // A run folder that cannot be written fails before the charts are rendered (a missing one is writeReport's error).
  if (await exists(runPaths(dir).config)) await prepareOutputFolder(dir, 'the report in', 'or copy the run folder somewhere writable');
  const report = await writingTo('the report', path.join(dir, 'report'), () => writeReport(dir), 'or copy the run folder somewhere writable');
  io.stdout.write(`${report.html}\n`);
  return exitCodes.ok;
}
