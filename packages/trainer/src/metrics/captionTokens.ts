/**
 * Tokens of a caption for CIDEr-D and ROUGE-L, in the spirit of coco-caption's
 * PTBTokenizer (which lower-cases and drops punctuation): lower-cased, then
 * runs of letters, marks, digits, apostrophes and underscores (`don't` stays
 * one token); punctuation, symbols and whitespace are dropped. Generated text
 * (tokens joined by spaces) and raw references come out alike.
 */
export function captionTokens(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{M}\p{N}'’_]+/gu) ?? [];
}
