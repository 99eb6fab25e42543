import path from 'node:path';
import { writeFileAtomic } from '@polyfuse/core/node';
import { prepareOutputFolder, writingTo } from '../../run/outputFolder.js';
import type { SweepPlan } from '../sweepPlan.js';
import { collectSweepResults, type SweepResult } from './sweepResults.js';
import { sweepMarkdown, sweepTable } from './sweepTable.js';
import { sweepHtml } from './sweepHtml.js';

/**
 * Writes the sweep's comparison: `<out>/report.md` (the table),
 * `<out>/report.html` (the table and charts) and `<out>/report.json` (the
 * rows as data), each atomically. Runs that are not done are listed with
 * their state and error, so a report can be written while a sweep runs.
 */
export async function writeSweepReport(plan: SweepPlan): Promise<{ markdown: string; html: string; json: string; table: string; results: SweepResult[] }> {
  const results = await collectSweepResults(plan);
  const table = sweepTable(results);
  const title = `Sweep ${plan.name}`;
  const notDone = results.filter((r) => r.state !== 'done');
  const notes = [
    `${results.length - notDone.length} of ${results.length} runs done; test metrics from each run's evaluation.json; ★ marks the best value of each metric; training time is the sum of the epochs' times.`,
    ...notDone.filter((r) => r.error).map((r) => `${r.id}: ${r.state}: ${r.error!.split('\n')[0]}`),
  ];
  await prepareOutputFolder(plan.outDir, 'the sweep report');
  const files = { markdown: path.join(plan.outDir, 'report.md'), html: path.join(plan.outDir, 'report.html'), json: path.join(plan.outDir, 'report.json') };
  const html = await sweepHtml(title, table, results, notes);
  const markdown = sweepMarkdown(title, table, notes);
  await writingTo('the sweep report', plan.outDir, async () => {
    await writeFileAtomic(files.markdown, markdown);
    await writeFileAtomic(files.html, html);
    await writeFileAtomic(files.json, `${JSON.stringify({ name: plan.name, runs: results }, null, 2)}\n`);
  });
  return { ...files, table: markdown, results };
}
