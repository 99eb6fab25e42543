import { MetricInputError } from '../errors.js';
import {
  BLEU_MAX_ORDER,
  bleuFromStatistics,
  bleuSentenceStatistics,
  resolveBleuOptions,
  type BleuOptions,
  type BleuScore,
} from '../functional/text/bleu.js';
import { assertSameLength, describe } from '../util/validate.js';
import { StreamingMetric } from './streamingMetric.js';

/**
 * Corpus BLEU over batches. The state is BLEU's sufficient statistics
 * (lengths, matches and totals per order, summed when merging), so memory is
 * constant and `compute` equals `corpusBleu` on all sentences at once.
 */
export class StreamingBleu extends StreamingMetric<BleuScore> {
  private readonly resolved: ReturnType<typeof resolveBleuOptions>;

  constructor(options: BleuOptions = {}) {
    super();
    this.resolved = resolveBleuOptions(options, false);
    // [sentences, sysLen, refLen, correct × 4, total × 4]
    this.addState('statistics', 'sum', () => new Array<number>(3 + 2 * BLEU_MAX_ORDER).fill(0));
  }

  protected configKey(): string {
    return JSON.stringify(this.resolved);
  }

  /** Adds hypotheses and, for each, all of its references. */
  update(hypotheses: readonly string[], references: readonly (readonly string[])[]): void {
    if (!Array.isArray(hypotheses)) throw new MetricInputError('hypotheses', `expected an array of strings, got ${describe(hypotheses)}`);
    if (!Array.isArray(references)) throw new MetricInputError('references', `expected an array of reference arrays, got ${describe(references)}`);
    assertSameLength(hypotheses, 'hypotheses', references, 'references');
    const s = this.states.statistics as number[];
    hypotheses.forEach((hyp, i) => {
      if (typeof hyp !== 'string') throw new MetricInputError(`hypotheses[${i}]`, `expected a string, got ${describe(hyp)}`);
      const stats = bleuSentenceStatistics(hyp, references[i], this.resolved, `references[${i}]`);
      s[0] += 1;
      s[1] += stats.sysLen;
      s[2] += stats.refLen;
      for (let n = 0; n < BLEU_MAX_ORDER; n++) {
        s[3 + n] += stats.correct[n];
        s[3 + BLEU_MAX_ORDER + n] += stats.total[n];
      }
    });
  }

  compute(): BleuScore {
    const s = this.states.statistics as number[];
    if (s[0] === 0) throw new MetricInputError('update', 'no sentences were added before compute()');
    return bleuFromStatistics(
      { sysLen: s[1], refLen: s[2], correct: s.slice(3, 3 + BLEU_MAX_ORDER), total: s.slice(3 + BLEU_MAX_ORDER) },
      this.resolved.smoothMethod,
      this.resolved.smoothValue,
      this.resolved.useEffectiveOrder,
    );
  }
}
