import type { RetrievalDirectionScores } from '@polyfuse/metrics';
import { MatchingMetric } from './matchingMetric.js';

/**
 * Median rank (1 = top) of each query's first relevant item, as numpy's
 * median (the mean of the two middle ranks for an even number of queries;
 * VSE++'s `medr` floors that), see `MatchingMetric` for how duplicates and
 * groups count. With `mean`, the mean of both directions' medians. Lower is
 * better.
 */
export class MedianRankMetric extends MatchingMetric {
  override readonly higherIsBetter = false;

  protected score(scores: RetrievalDirectionScores): number {
    return scores.medianRank;
  }
}
