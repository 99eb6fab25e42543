import path from 'node:path';
import { writeFileAtomic } from '@polyfuse/core/node';
import { prepareOutputFolder } from '../run/outputFolder.js';
import type { SweepPlan } from './sweepPlan.js';

/**
 * Writes `<out>/sweep.json`: the expanded plan (name, sweep file, kind,
 * executor, a predict sweep's predict section, every run's index, id and overrides), so what ran can be read without the
 * sweep file. The folder is made and checked writable first.
 */
export async function writeSweepPlan(plan: SweepPlan): Promise<string> {
  await prepareOutputFolder(plan.outDir, 'the sweep folder', `or set out: in ${plan.sweepFile}`);
  const file = path.join(plan.outDir, 'sweep.json');
  const runs = plan.runs.map(({ index, id, overrides }) => ({ index, id, overrides }));
  await writeFileAtomic(file, `${JSON.stringify({ name: plan.name, sweepFile: plan.sweepFile, kind: plan.kind, executor: plan.executor, ...(plan.predict ? { predict: plan.predict } : {}), runs }, null, 2)}\n`);
  return file;
}
