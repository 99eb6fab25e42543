import { ciderD } from '@polyfuse/metrics';
import { captionTokens } from './captionTokens.js';
import { GeneratedTextMetric } from './generatedTextMetric.js';

/**
 * CIDEr-D of the generated captions, as coco-caption's `CiderScorer`
 * (pycocoevalcap, via @polyfuse/metrics' `ciderD`): n-grams 1-4, document
 * frequencies over the references of the whole split, Gaussian length
 * penalty σ = 6, × 10, mean over samples. Captions are tokenised by
 * `captionTokens` (lower-cased, punctuation dropped) in place of the PTB
 * tokenizer.
 */
export class CiderMetric extends GeneratedTextMetric {
  protected score(hypotheses: string[], references: string[][]): number {
    return ciderD(hypotheses.map(captionTokens), references.map((refs) => refs.map(captionTokens))).score;
  }
}
