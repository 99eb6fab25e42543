import { GeneratedTextMetric } from './generatedTextMetric.js';

/** Lower-cased, trimmed, every run of whitespace one space. */
export function normalizeAnswer(text: string): string {
  return text.toLowerCase().trim().replace(/\s+/g, ' ');
}

/**
 * Fraction of samples whose generated text equals any of their references
 * after `normalizeAnswer` (lower-casing and whitespace normalisation only:
 * punctuation and articles count, unlike SQuAD's normalisation).
 */
export class ExactMatchMetric extends GeneratedTextMetric {
  protected score(hypotheses: string[], references: string[][]): number {
    let hits = 0;
    hypotheses.forEach((hypothesis, i) => {
      const answer = normalizeAnswer(hypothesis);
      if (references[i].some((reference) => normalizeAnswer(reference) === answer)) hits++;
    });
    return hits / hypotheses.length;
  }
}
