import path from 'node:path';
import { writeReport } from '../report/writeReport.js';
import { exitCodes } from '../program/exitCodes.js';
import type { CommandIo, GlobalOptions } from '../program/commandIo.js';

/** `polyfuse report <run>`: (re)writes the run's HTML report from its logs and evaluation. */
export async function reportCommand(runDir: string, _options: GlobalOptions, io: CommandIo): Promise<number> {
  const report = await writeReport(path.resolve(io.cwd, runDir));
  io.stdout.write(`${report.html}\n`);
  return exitCodes.ok;
}
