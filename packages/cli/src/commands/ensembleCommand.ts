import path from 'node:path';
import { ConfigError, InputError } from '@polyfuse/core';
import { writeFileAtomic } from '@polyfuse/core/node';
import type { CommandIo, GlobalOptions } from '../program/commandIo.js';
import { exitCodes } from '../program/exitCodes.js';
import { startBackend } from '../program/startBackend.js';
import { writingTo } from '../run/outputFolder.js';
import { loadSweep } from '../sweep/loadSweep.js';
import { readRunStatuses } from '../sweep/status/runStatus.js';
import { memberPredictions, type MemberPredictions } from '../sweep/ensemble/memberPredictions.js';
import { combineMembers, type EnsembleMethod } from '../sweep/ensemble/combineMembers.js';

export interface EnsembleCommandOptions extends GlobalOptions {
  method?: string;
  output?: string;
}

const methods: EnsembleMethod[] = ['average', 'vote', 'stacking'];

/**
 * `polyfuse ensemble <sweep.yaml>`: the sweep's done runs are the members
 * (bagging by seed, folds, different fusions); their test predictions are
 * combined (`combineMembers`) and the ensemble is scored next to each member
 * on the test samples they share. Writes `<out>/ensemble-<method>.json`.
 * Runs that are not done are left out, and named.
 */
export async function ensembleCommand(file: string, options: EnsembleCommandOptions, io: CommandIo): Promise<number> {
  const method = (options.method ?? 'average') as EnsembleMethod;
  if (!methods.includes(method)) throw new ConfigError(`--method must be one of ${methods.join(', ')}, got '${options.method}'.`);
  const plan = await loadSweep(path.resolve(io.cwd, file), { check: false });
  if (plan.kind === 'predict') throw new ConfigError(`${plan.sweepFile} is a predict sweep (kind: predict): its runs are shards of one prediction, not trained members; give a training sweep.`);
  const states = await readRunStatuses(plan);
  const done = states.filter((s) => s.state === 'done');
  const left = states.filter((s) => s.state !== 'done');
  if (done.length < 2) throw new InputError(`${plan.name}: an ensemble needs at least 2 done runs, ${done.length} of ${plan.runs.length} are (run 'polyfuse sweep ${file} --resume' first).`);
  if (left.length > 0) io.stderr.write(`Leaving out ${left.length} run(s) that are not done: ${left.map((s) => `${s.id} (${s.state})`).join(', ')}\n`);
  let started = false;
  const members: MemberPredictions[] = [];
  for (const entry of done) {
    members.push(
      await memberPredictions(entry.id, entry.outDir, async (config) => {
        if (!started) await startBackend(options, io, config?.backend);
        started = true;
      }),
    );
  }
  const result = combineMembers(members, method);
  const smallestTest = Math.min(...members.map((m) => m.test.probabilities.size));
  if (result.testSamples < smallestTest) {
    io.stderr.write(`note: the members share ${result.testSamples} of their ${smallestTest}+ test samples (their splits differ); set data.split.seed in the base config to give them one test split.\n`);
  }
  const output = path.resolve(io.cwd, options.output ?? path.join(plan.outDir, `ensemble-${method}.json`));
  await writingTo('the ensemble scores', output, () => writeFileAtomic(output, `${JSON.stringify({ sweep: plan.name, ...result }, null, 2)}\n`));
  const width = Math.max(8, ...result.members.map((m) => m.id.length));
  const line = (name: string, s: { accuracy: number; f1: number }): string => `  ${name.padEnd(width)}  accuracy ${s.accuracy.toFixed(4)}  f1 ${s.f1.toFixed(4)}`;
  io.stdout.write(
    [`Ensemble of ${members.length} runs (${method}) on ${result.testSamples} shared test samples${result.validationSamples !== undefined ? `, stacked on ${result.validationSamples} validation samples` : ''}:`, line('ensemble', result.ensemble), ...result.members.map((m) => line(m.id, m))].join('\n') + '\n',
  );
  io.stderr.write(`Scores: ${output}\n`);
  return exitCodes.ok;
}
