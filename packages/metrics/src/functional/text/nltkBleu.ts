import { MetricInputError } from '../../errors.js';
import { fsum } from '../../util/fsum.js';
import { assertNonEmptyArray, assertOneOf, assertSameLength, describe } from '../../util/validate.js';

export interface NltkBleuOptions {
  /** nltk `SmoothingFunction` method: `'none'` (method0) or `'method1'` (ε = 0.1 added to zero matches). Default `'none'`. */
  smoothing?: 'none' | 'method1';
  /** n-gram weights. Default `[0.25, 0.25, 0.25, 0.25]`. */
  weights?: readonly number[];
}

/** Smallest positive normal double: nltk's method0 stands it in for a zero precision. */
const FLOAT_MIN = 2.2250738585072014e-308;

function ngramCounts(tokens: readonly string[], n: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i + n <= tokens.length; i++) {
    const key = JSON.stringify(tokens.slice(i, i + n));
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

function checkTokens(value: unknown, argument: string): readonly string[] {
  if (!Array.isArray(value)) throw new MetricInputError(argument, `expected an array of tokens, got ${describe(value)}`);
  value.forEach((t, i) => {
    if (typeof t !== 'string') throw new MetricInputError(`${argument}[${i}]`, `expected a token string, got ${describe(t)}`);
  });
  return value;
}

/**
 * Corpus BLEU on pre-tokenised text, as nltk 3.8
 * `nltk.translate.bleu_score.corpus_bleu` (0–1 scale): clipped n-gram
 * numerators and denominators (at least 1 per sentence) summed over the
 * corpus, closest reference length (shorter on ties), brevity penalty
 * exp(1 − r/c), score 0 when no unigram matches; otherwise
 * bp·exp(fsum(wₙ·log pₙ)) where a zero pₙ becomes the smallest positive
 * double (`'none'`, nltk's method0) or (0 + 0.1)/denominator (`'method1'`).
 */
export function nltkCorpusBleu(
  hypotheses: readonly (readonly string[])[],
  references: readonly (readonly (readonly string[])[])[],
  options: NltkBleuOptions = {},
): number {
  const smoothing = options.smoothing ?? 'none';
  assertOneOf(smoothing, ['none', 'method1'] as const, 'smoothing');
  const weights = options.weights ?? [0.25, 0.25, 0.25, 0.25];
  assertNonEmptyArray(weights, 'weights');
  weights.forEach((w, i) => {
    if (typeof w !== 'number' || !Number.isFinite(w)) throw new MetricInputError(`weights[${i}]`, `expected a finite number, got ${describe(w)}`);
  });
  assertNonEmptyArray(hypotheses, 'hypotheses');
  assertNonEmptyArray(references, 'references');
  assertSameLength(hypotheses, 'hypotheses', references, 'references');
  const maxOrder = weights.length;
  const numerators = new Array<number>(maxOrder + 1).fill(0);
  const denominators = new Array<number>(maxOrder + 1).fill(0);
  let hypLengths = 0;
  let refLengths = 0;
  for (let s = 0; s < hypotheses.length; s++) {
    const hyp = checkTokens(hypotheses[s], `hypotheses[${s}]`);
    const refsValue = references[s];
    if (!Array.isArray(refsValue) || refsValue.length === 0) {
      throw new MetricInputError(`references[${s}]`, `expected a non-empty array of token arrays, got ${describe(refsValue)}`);
    }
    const refs = refsValue.map((r, k) => checkTokens(r, `references[${s}][${k}]`));
    for (let n = 1; n <= maxOrder; n++) {
      const counts = ngramCounts(hyp, n);
      const maxCounts = new Map<string, number>();
      for (const ref of refs) {
        const refCounts = ngramCounts(ref, n);
        for (const ngram of counts.keys()) maxCounts.set(ngram, Math.max(maxCounts.get(ngram) ?? 0, refCounts.get(ngram) ?? 0));
      }
      let numerator = 0;
      let hypTotal = 0;
      for (const [ngram, count] of counts) {
        numerator += Math.min(count, maxCounts.get(ngram) ?? 0);
        hypTotal += count;
      }
      numerators[n] += numerator;
      denominators[n] += Math.max(1, hypTotal);
    }
    hypLengths += hyp.length;
    let closest = Infinity;
    for (const ref of refs) {
      const len = ref.length;
      const d = Math.abs(len - hyp.length);
      const best = Math.abs(closest - hyp.length);
      if (d < best || (d === best && len < closest)) closest = len;
    }
    refLengths += closest;
  }
  const bp = hypLengths > refLengths ? 1 : hypLengths === 0 ? 0 : Math.exp(1 - refLengths / hypLengths);
  if (numerators[1] === 0) return 0;
  const pn: number[] = [];
  for (let n = 1; n <= maxOrder; n++) {
    if (numerators[n] !== 0) pn.push(numerators[n] / denominators[n]);
    else pn.push(smoothing === 'method1' ? (numerators[n] + 0.1) / denominators[n] : FLOAT_MIN);
  }
  return bp * Math.exp(fsum(weights.map((w, i) => w * Math.log(pn[i]))));
}
