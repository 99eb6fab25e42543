import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { SweepPlan } from '../sweepPlan.js';
import { readRunStatuses, type RunState } from '../status/runStatus.js';

/** One run's row of the sweep report. */
export interface SweepResult {
  index: number;
  id: string;
  state: RunState;
  overrides: Record<string, unknown>;
  /**
   * Test metrics of evaluation.json (`metrics`), then `<metric> without <modality>` for each
   * modality of its contribution section; empty unless the run is done.
   */
  metrics: Record<string, number>;
  /** Weights saved in the run's model (model.json's weights manifest, trainable or not). */
  parameters?: number;
  /** Sum of the epochs' `seconds` in logs/train.jsonl: training only, without data loading and evaluation. */
  trainingSeconds?: number;
  error?: string;
}

/** Every run's result, in index order: metrics, parameters and training time of done runs; state and error of the others. */
export async function collectSweepResults(plan: SweepPlan): Promise<SweepResult[]> {
  const states = await readRunStatuses(plan);
  return Promise.all(
    states.map(async (entry) => {
      const run = plan.runs[entry.index]!;
      const result: SweepResult = { index: run.index, id: run.id, state: entry.state, overrides: run.overrides, metrics: {}, ...(entry.status?.error ? { error: entry.status.error } : {}) };
      if (entry.state !== 'done') return result;
      const evaluation = await readJson(path.join(run.outDir, 'evaluation.json'));
      for (const [name, value] of Object.entries((evaluation?.metrics ?? {}) as Record<string, unknown>)) if (typeof value === 'number') result.metrics[name] = value;
      // With evaluation.contribution on: the metric with each modality missing from every sample,
      // which is what a fusion comparison asks of robustness.
      const contribution = evaluation?.contribution as { metric?: string; modalities?: Record<string, { without?: unknown }> } | undefined;
      for (const [modality, entry] of Object.entries(contribution?.modalities ?? {})) {
        if (typeof entry.without === 'number') result.metrics[`${contribution!.metric} without ${modality}`] = entry.without;
      }
      const parameters = weightCount(await readJson(path.join(run.outDir, 'model', 'model.json')));
      if (parameters !== undefined) result.parameters = parameters;
      const seconds = await trainingSeconds(path.join(run.outDir, 'logs', 'train.jsonl'));
      if (seconds !== undefined) result.trainingSeconds = seconds;
      return result;
    }),
  );
}

async function readJson(file: string): Promise<Record<string, unknown> | undefined> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** Numbers in a TF.js model.json's weights manifest: the product of each weight's shape. */
function weightCount(modelJson: Record<string, unknown> | undefined): number | undefined {
  const manifest = modelJson?.weightsManifest as { weights?: { shape: number[] }[] }[] | undefined;
  if (!Array.isArray(manifest)) return undefined;
  return manifest.flatMap((group) => group.weights ?? []).reduce((sum, w) => sum + w.shape.reduce((a, b) => a * b, 1), 0);
}

async function trainingSeconds(logFile: string): Promise<number | undefined> {
  let text: string;
  try {
    text = await fs.readFile(logFile, 'utf8');
  } catch {
    return undefined;
  }
  let total = 0;
  let epochs = 0;
  for (const line of text.split('\n')) {
    if (!line.includes('"type":"epoch"')) continue;
    const record = JSON.parse(line) as { seconds?: number };
    if (typeof record.seconds === 'number') {
      total += record.seconds;
      epochs += 1;
    }
  }
  return epochs > 0 ? total : undefined;
}
