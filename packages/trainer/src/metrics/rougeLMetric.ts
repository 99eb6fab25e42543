import { rougeL } from '@polyfuse/metrics';
import { captionTokens } from './captionTokens.js';
import { GeneratedTextMetric } from './generatedTextMetric.js';

/**
 * ROUGE-L of the generated captions, as coco-caption's `Rouge` (pycocoevalcap,
 * via @polyfuse/metrics' `rougeL`): per sample the LCS F-measure with β = 1.2
 * from the best precision and best recall over its references, then the mean
 * over samples. Captions are tokenised by `captionTokens` (lower-cased,
 * punctuation dropped).
 */
export class RougeLMetric extends GeneratedTextMetric {
  protected score(hypotheses: string[], references: string[][]): number {
    return rougeL(hypotheses.map(captionTokens), references.map((refs) => refs.map(captionTokens))).score;
  }
}
