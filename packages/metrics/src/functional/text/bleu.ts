import { MetricInputError } from '../../errors.js';
import { assertNonEmptyArray, assertOneOf, assertSameLength, describe } from '../../util/validate.js';
import { splitWhitespace, tokenize13a } from './tokenize13a.js';

export type BleuTokenize = '13a' | 'none';
export type BleuSmoothMethod = 'exp' | 'floor' | 'add-k' | 'none';

export interface BleuOptions {
  /** `'13a'` (mteval-v13a, sacrebleu's default) or `'none'` (split on whitespace only). Default `'13a'`. */
  tokenize?: BleuTokenize;
  /** Smoothing of zero n-gram precisions. Default `'exp'`. */
  smoothMethod?: BleuSmoothMethod;
  /** The constant of `'floor'` (default 0.1) and `'add-k'` (default 1). */
  smoothValue?: number;
  /** Lowercase hypotheses and references first. Default false. */
  lowercase?: boolean;
  /** Average only over n-gram orders the hypotheses have. Default false for corpus, true for sentence BLEU. */
  useEffectiveOrder?: boolean;
}

/** A BLEU result as sacrebleu 2.x `BLEUScore` holds it. */
export interface BleuScore {
  /** BLEU on the 0-100 scale. */
  score: number;
  /** The four n-gram precisions, 0-100, after smoothing. */
  precisions: number[];
  /** Brevity penalty. */
  bp: number;
  /** Hypothesis length in tokens. */
  sysLen: number;
  /** Effective reference length in tokens (closest reference per sentence). */
  refLen: number;
  /** Clipped n-gram matches per order (with k added for `'add-k'`, as sacrebleu reports). */
  counts: number[];
  /** Hypothesis n-grams per order (with k added for `'add-k'`). */
  totals: number[];
}

/** Sufficient statistics of BLEU: summed over sentences, they give the corpus score. */
export interface BleuStatistics {
  sysLen: number;
  refLen: number;
  correct: number[];
  total: number[];
}

export const BLEU_MAX_ORDER = 4;
const SMOOTH_DEFAULTS: Record<BleuSmoothMethod, number | undefined> = { none: undefined, floor: 0.1, 'add-k': 1, exp: undefined };

/** Word n-gram counts of orders 1..4, one map per order, keyed by the tokens joined with spaces (tokens hold none). */
function ngramCounts(tokens: string[]): Map<string, number>[] {
  const counts = Array.from({ length: BLEU_MAX_ORDER }, () => new Map<string, number>());
  for (let i = 0; i < tokens.length; i++) {
    let key = tokens[i];
    const last = Math.min(tokens.length, i + BLEU_MAX_ORDER);
    for (let j = i; j < last; j++) {
      if (j > i) key += ' ' + tokens[j];
      const map = counts[j - i];
      map.set(key, (map.get(key) ?? 0) + 1);
    }
  }
  return counts;
}

/** sacrebleu `_get_closest_ref_len`: the reference length closest to the hypothesis, the shorter on ties. */
function closestRefLength(hypLen: number, refLens: number[]): number {
  let closestDiff = -1;
  let closest = -1;
  for (const len of refLens) {
    const diff = Math.abs(hypLen - len);
    if (closestDiff === -1 || diff < closestDiff) {
      closestDiff = diff;
      closest = len;
    } else if (diff === closestDiff && len < closest) closest = len;
  }
  return closest;
}

function rstrip(text: string): string {
  return text.replace(/[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/, '');
}

/** Validated options with sacrebleu's defaults filled in. */
export function resolveBleuOptions(options: BleuOptions, sentence: boolean): Required<Omit<BleuOptions, 'smoothValue'>> & { smoothValue?: number } {
  const tokenize = options.tokenize ?? '13a';
  const smoothMethod = options.smoothMethod ?? 'exp';
  assertOneOf(tokenize, ['13a', 'none'] as const, 'tokenize');
  assertOneOf(smoothMethod, ['exp', 'floor', 'add-k', 'none'] as const, 'smoothMethod');
  const smoothValue = options.smoothValue ?? SMOOTH_DEFAULTS[smoothMethod];
  if (smoothValue !== undefined && (typeof smoothValue !== 'number' || !Number.isFinite(smoothValue) || smoothValue < 0)) {
    throw new MetricInputError('smoothValue', `expected a finite number >= 0, got ${describe(smoothValue)}`);
  }
  return {
    tokenize,
    smoothMethod,
    smoothValue,
    lowercase: options.lowercase ?? false,
    useEffectiveOrder: options.useEffectiveOrder ?? sentence,
  };
}

/** sacrebleu `_preprocess_segment`: optional lowercasing, strip trailing whitespace, tokenize, split. */
function preprocess(text: string, tokenize: BleuTokenize, lowercase: boolean): string[] {
  const line = rstrip(lowercase ? text.toLowerCase() : text);
  return splitWhitespace(tokenize === '13a' ? tokenize13a(line) : line);
}

/**
 * Per-sentence BLEU statistics (sacrebleu `_compute_segment_statistics`):
 * hypothesis n-gram counts clipped by the maximum count over the references.
 */
export function bleuSentenceStatistics(hypothesis: string, references: readonly string[], options: { tokenize: BleuTokenize; lowercase: boolean }, argument = 'references'): BleuStatistics {
  if (typeof hypothesis !== 'string') throw new MetricInputError(argument.replace('references', 'hypotheses'), `expected a string, got ${describe(hypothesis)}`);
  if (!Array.isArray(references) || references.length === 0) {
    throw new MetricInputError(argument, `expected a non-empty array of reference strings, got ${describe(references)}`);
  }
  const refLens: number[] = [];
  let maxRef: Map<string, number>[] | undefined;
  references.forEach((ref, r) => {
    if (typeof ref !== 'string') throw new MetricInputError(`${argument}[${r}]`, `expected a string, got ${describe(ref)}`);
    const tokens = preprocess(ref, options.tokenize, options.lowercase);
    refLens.push(tokens.length);
    const counts = ngramCounts(tokens);
    if (maxRef === undefined) maxRef = counts;
    else {
      for (let n = 0; n < BLEU_MAX_ORDER; n++) {
        const target = maxRef[n];
        for (const [ngram, count] of counts[n]) if ((target.get(ngram) ?? 0) < count) target.set(ngram, count);
      }
    }
  });
  const hypTokens = preprocess(hypothesis, options.tokenize, options.lowercase);
  const correct = new Array<number>(BLEU_MAX_ORDER).fill(0);
  const total = new Array<number>(BLEU_MAX_ORDER).fill(0);
  const hypCounts = ngramCounts(hypTokens);
  for (let n = 0; n < BLEU_MAX_ORDER; n++) {
    const refCounts = (maxRef as Map<string, number>[])[n];
    for (const [ngram, count] of hypCounts[n]) {
      total[n] += count;
      const ref = refCounts.get(ngram);
      if (ref !== undefined) correct[n] += Math.min(count, ref);
    }
  }
  return { sysLen: hypTokens.length, refLen: closestRefLength(hypTokens.length, refLens), correct, total };
}

/** sacrebleu `my_log`: log, with log(0) as -9999999999. */
function myLog(x: number): number {
  return x === 0 ? -9999999999 : Math.log(x);
}

/**
 * BLEU from summed statistics, exactly as sacrebleu 2.x `BLEU.compute_bleu`:
 * brevity penalty exp(1 − r/c) when c < r (0 when c = 0); score 0 when
 * nothing matches; smoothing `'exp'` gives the k-th zero precision
 * 100/(2ᵏ·total), `'floor'` 100·value/total, `'add-k'` adds k to matches and
 * totals from bigrams on; the geometric mean stops at the first order with no
 * n-grams (effective order when enabled).
 */
export function bleuFromStatistics(stats: BleuStatistics, smoothMethod: BleuSmoothMethod, smoothValue: number | undefined, useEffectiveOrder: boolean): BleuScore {
  const correct = stats.correct.slice();
  const total = stats.total.slice();
  const { sysLen, refLen } = stats;
  const bp = sysLen < refLen ? (sysLen > 0 ? Math.exp(1 - refLen / sysLen) : 0) : 1;
  const precisions = new Array<number>(BLEU_MAX_ORDER).fill(0);
  if (!correct.some((c) => c !== 0)) return { score: 0, precisions, bp, sysLen, refLen, counts: correct, totals: total };
  let smoothMteval = 1;
  let effOrder = BLEU_MAX_ORDER;
  for (let n = 1; n <= BLEU_MAX_ORDER; n++) {
    if (smoothMethod === 'add-k' && n > 1) {
      correct[n - 1] += smoothValue as number;
      total[n - 1] += smoothValue as number;
    }
    if (total[n - 1] === 0) break;
    if (useEffectiveOrder) effOrder = n;
    if (correct[n - 1] === 0) {
      if (smoothMethod === 'exp') {
        smoothMteval *= 2;
        precisions[n - 1] = 100 / (smoothMteval * total[n - 1]);
      } else if (smoothMethod === 'floor') {
        precisions[n - 1] = (100 * (smoothValue as number)) / total[n - 1];
      }
    } else {
      precisions[n - 1] = (100 * correct[n - 1]) / total[n - 1];
    }
  }
  let logSum = 0;
  for (let i = 0; i < effOrder; i++) logSum += myLog(precisions[i]);
  return { score: bp * Math.exp(logSum / effOrder), precisions, bp, sysLen, refLen, counts: correct, totals: total };
}

/** Adds `b` into `a` (BLEU statistics are additive over sentences). */
export function addBleuStatistics(a: BleuStatistics, b: BleuStatistics): void {
  a.sysLen += b.sysLen;
  a.refLen += b.refLen;
  for (let n = 0; n < BLEU_MAX_ORDER; n++) {
    a.correct[n] += b.correct[n];
    a.total[n] += b.total[n];
  }
}

export function emptyBleuStatistics(): BleuStatistics {
  return { sysLen: 0, refLen: 0, correct: new Array<number>(BLEU_MAX_ORDER).fill(0), total: new Array<number>(BLEU_MAX_ORDER).fill(0) };
}

/**
 * Corpus BLEU, as sacrebleu 2.x `corpus_bleu` (defaults: tokenize `'13a'`,
 * smooth `'exp'`, no lowercasing, no effective order). `references[i]` holds
 * every reference of `hypotheses[i]` (sacrebleu takes reference streams; this
 * is the transpose, and sentences may have different numbers of references).
 * Statistics are summed over sentences before the score is computed.
 */
export function corpusBleu(hypotheses: readonly string[], references: readonly (readonly string[])[], options: BleuOptions = {}): BleuScore {
  const o = resolveBleuOptions(options, false);
  assertNonEmptyArray(hypotheses, 'hypotheses');
  assertNonEmptyArray(references, 'references');
  assertSameLength(hypotheses, 'hypotheses', references, 'references');
  const stats = emptyBleuStatistics();
  for (let i = 0; i < hypotheses.length; i++) {
    if (typeof hypotheses[i] !== 'string') throw new MetricInputError(`hypotheses[${i}]`, `expected a string, got ${describe(hypotheses[i])}`);
    addBleuStatistics(stats, bleuSentenceStatistics(hypotheses[i], references[i], o, `references[${i}]`));
  }
  return bleuFromStatistics(stats, o.smoothMethod, o.smoothValue, o.useEffectiveOrder);
}

/**
 * Sentence BLEU, as sacrebleu 2.x `sentence_bleu`: same options as
 * `corpusBleu`, but `useEffectiveOrder` defaults to true (smoothing still
 * defaults to `'exp'`), so short sentences are not zeroed by missing 4-grams.
 */
export function sentenceBleu(hypothesis: string, references: readonly string[], options: BleuOptions = {}): BleuScore {
  const o = resolveBleuOptions(options, true);
  return bleuFromStatistics(bleuSentenceStatistics(hypothesis, references, o), o.smoothMethod, o.smoothValue, o.useEffectiveOrder);
}
