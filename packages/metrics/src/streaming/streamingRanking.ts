import { MetricInputError } from '../errors.js';
import { averagePrecisionScore, type AveragePrecisionOptions } from '../functional/classification/averagePrecisionScore.js';
import { rocAucScore, type RocAucOptions } from '../functional/classification/rocAucScore.js';
import type { Scores } from '../functional/classification/scoreTargets.js';
import { assertSameLength } from '../util/validate.js';
import { StreamingMetric } from './streamingMetric.js';
import { toArray, type ArrayOrTensor } from './toArray.js';

/**
 * Keeps every (target, score) pair, concatenated when merging: exact AP and
 * AUC need all scores (as torchmetrics' exact, non-binned mode does).
 */
abstract class StreamingScores<Options> extends StreamingMetric<number | number[]> {
  constructor(readonly options: Options) {
    super();
    this.addState('yTrue', 'cat', () => []);
    this.addState('yScore', 'cat', () => []);
  }

  protected configKey(): string {
    return JSON.stringify(this.options);
  }

  /** Adds a batch: labels (or 0/1 rows) and scores (or score rows); arrays or tensors. */
  update(yTrue: ArrayOrTensor, yScore: ArrayOrTensor): void {
    const t = toArray(yTrue, 'yTrue');
    const s = toArray(yScore, 'yScore');
    assertSameLength(t, 'yTrue', s, 'yScore');
    (this.states.yTrue as unknown[]).push(...t);
    (this.states.yScore as unknown[]).push(...s);
  }

  protected collected(): { yTrue: unknown[]; yScore: Scores } {
    const yTrue = this.states.yTrue as unknown[];
    if (yTrue.length === 0) throw new MetricInputError('update', 'no samples were added before compute()');
    return { yTrue, yScore: this.states.yScore as Scores };
  }
}

/** Average precision over batches: `averagePrecisionScore` on everything added (same options). */
export class StreamingAveragePrecision extends StreamingScores<AveragePrecisionOptions> {
  constructor(options: AveragePrecisionOptions = {}) {
    super({ ...options });
  }

  compute(): number | number[] {
    const { yTrue, yScore } = this.collected();
    return averagePrecisionScore(yTrue, yScore, this.options);
  }
}

/** ROC AUC over batches: `rocAucScore` on everything added (same options). */
export class StreamingRocAuc extends StreamingScores<RocAucOptions> {
  constructor(options: RocAucOptions = {}) {
    super({ ...options });
  }

  compute(): number | number[] {
    const { yTrue, yScore } = this.collected();
    return rocAucScore(yTrue, yScore, this.options);
  }
}
