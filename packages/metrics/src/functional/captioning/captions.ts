import { MetricInputError } from '../../errors.js';
import { assertNonEmptyArray, assertSameLength, describe } from '../../util/validate.js';

/** A tokenised caption: an array of tokens, or a string of space-separated tokens. */
export type Caption = string | readonly string[];

/** Tokens of a caption: strings split on single spaces as coco-caption does (empty tokens dropped). */
export function captionTokens(caption: Caption, argument: string): string[] {
  if (typeof caption === 'string') return caption.split(' ').filter((t) => t !== '');
  if (!Array.isArray(caption)) throw new MetricInputError(argument, `expected a token array or a string, got ${describe(caption)}`);
  caption.forEach((t, i) => {
    if (typeof t !== 'string') throw new MetricInputError(`${argument}[${i}]`, `expected a token string, got ${describe(t)}`);
  });
  return caption as string[];
}

/** Checks one candidate per image and a non-empty reference list per image; returns them tokenised. */
export function checkCaptions(candidates: readonly Caption[], references: readonly (readonly Caption[])[]): { cands: string[][]; refs: string[][][] } {
  assertNonEmptyArray(candidates, 'candidates');
  assertNonEmptyArray(references, 'references');
  assertSameLength(candidates, 'candidates', references, 'references');
  const cands = candidates.map((c, i) => captionTokens(c, `candidates[${i}]`));
  const refs = references.map((rs, i) => {
    if (!Array.isArray(rs) || rs.length === 0) throw new MetricInputError(`references[${i}]`, `expected a non-empty array of captions, got ${describe(rs)}`);
    return rs.map((r, k) => captionTokens(r, `references[${i}][${k}]`));
  });
  return { cands, refs };
}
