import type { RetrievalDirectionScores } from '@polyfuse/metrics';
import { MatchingMetric, type MatchingDirection } from './matchingMetric.js';

/**
 * Recall@K of cross-modal matching: the fraction of queries whose first
 * relevant item ranks within the top K (VSE++ / CLIP protocol; see
 * `MatchingMetric` for how duplicates and groups count).
 */
export class RecallAtKMetric extends MatchingMetric {
  /**
   * @param name logged name (`recall@5_image_to_text`).
   * @param outputs the two embedding outputs, side a then side b.
   * @param target the match target (group ids).
   * @param k how many top items count; positive integer.
   * @param direction which side queries; default `mean` of both.
   */
  constructor(
    name: string,
    outputs: [string, string],
    target: string,
    readonly k: number,
    direction: MatchingDirection = 'mean',
  ) {
    super(name, outputs, target, direction);
  }

  protected score(scores: RetrievalDirectionScores): number {
    return scores.ranks.filter((rank) => rank <= this.k).length / scores.ranks.length;
  }
}
