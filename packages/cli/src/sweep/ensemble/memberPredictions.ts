import { InputError } from '@polyfuse/core';
import { loadDataset } from '@polyfuse/data/node';
import { openRun } from '../../run/openRun.js';
import { predictSource } from '../../training/evaluate.js';
import { mainLabel } from '../../training/trainRun.js';
import { labelClasses } from '../../data/preprocessingState.js';
import type { RunConfig } from '../../config/runConfig.js';

/** One member's class probabilities on one split, by sample id, with each sample's true class index. */
export interface SplitPredictions {
  probabilities: Map<string, number[]>;
  truth: Map<string, number>;
}

/** What an ensemble needs of one trained run. */
export interface MemberPredictions {
  id: string;
  classes: string[];
  test: SplitPredictions;
  validation: SplitPredictions;
}

/**
 * Opens a finished run and predicts its own test and validation splits (the
 * split recomputed from the run's saved dataset spec and seed, as `polyfuse
 * eval` does) with its best model: the softmax of the main output (`logits`,
 * else the first head's) against the run's main class label.
 */
export async function memberPredictions(id: string, runDir: string, beforeModel: (config: RunConfig | undefined) => Promise<void>): Promise<MemberPredictions> {
  const run = await openRun(runDir, { beforeModel });
  if (!run.config) throw new InputError(`${runDir} has no config.json: an ensemble member must be a run folder written by 'polyfuse sweep run'.`);
  const label = mainLabel(run.config);
  if (run.config.data.labels[label]?.type !== 'class') throw new InputError(`${runDir}: ensembles combine class predictions; the run's main label '${label}' is a ${run.config.data.labels[label]?.type} target.`);
  const dataset = await loadDataset(run.preprocessing.spec, { state: run.preprocessing.state });
  const predict = async (split: 'test' | 'validation'): Promise<SplitPredictions> => {
    const probabilities = new Map<string, number[]>();
    const truth = new Map<string, number>();
    if (dataset.splits[split].length === 0) return { probabilities, truth };
    for (const record of dataset.splits[split]) truth.set(record.id, record.targets[label] as number);
    const predicted = await predictSource(run.model, dataset.loader(split, { batchSize: 64 }));
    predicted.ids.forEach((sampleId, i) => probabilities.set(sampleId, Array.from(predicted.probabilities.subarray(i * predicted.numClasses, (i + 1) * predicted.numClasses))));
    return { probabilities, truth };
  };
  return { id, classes: labelClasses(run.preprocessing, label), test: await predict('test'), validation: await predict('validation') };
}
