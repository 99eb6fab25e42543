import { InputError } from '@polyfuse/core';
import { corpusBleu, type BleuTokenize } from '@polyfuse/metrics';
import { GeneratedTextMetric } from './generatedTextMetric.js';

/**
 * Corpus BLEU-4 of the generated texts against every reference, on the 0-100
 * scale: sacrebleu 2.x `corpus_bleu` (smoothing `exp`, no effective order)
 * with `tokenize` (default `13a`) and `lowercase` (default true, as
 * `sacrebleu -lc`, since word tokenizers lower-case what the decoder
 * generates). Statistics are summed over the whole split, not averaged over
 * batches.
 */
export class BleuMetric extends GeneratedTextMetric {
  /**
   * @param name logged name (`bleu_tokens_caption`).
   * @param output the decoder output `tokens_<head>`.
   * @param target the sequence target.
   * @param options `lowercase` (default true) and `tokenize` (`13a` or `none`, default `13a`).
   */
  constructor(
    name: string,
    output: string,
    target: string,
    readonly options: { lowercase?: boolean; tokenize?: BleuTokenize } = {},
  ) {
    super(name, output, target);
  }

  protected score(hypotheses: string[], references: string[][]): number {
    try {
      return corpusBleu(hypotheses, references, { lowercase: this.options.lowercase ?? true, tokenize: this.options.tokenize ?? '13a' }).score;
    } catch (error) {
      throw new InputError(`metric ${this.name}: ${(error as Error).message}`, { cause: error });
    }
  }
}
