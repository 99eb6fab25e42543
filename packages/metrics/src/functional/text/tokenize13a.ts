/** Python's `str.split()` whitespace (what `str.isspace` accepts), which JavaScript's `\s` does not match exactly. */
export const PYTHON_WHITESPACE = /[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;

/** Python `str.split()` with no separator: split on runs of whitespace, drop empty ends. */
export function splitWhitespace(text: string): string[] {
  const parts = text.split(PYTHON_WHITESPACE);
  let start = 0;
  let end = parts.length;
  if (end > 0 && parts[0] === '') start = 1;
  if (end > start && parts[end - 1] === '') end--;
  return start === 0 && end === parts.length ? parts : parts.slice(start, end);
}

const SYMBOLS = /([{-~\[-` -&(-+:-@\/])/g;
const PERIOD_COMMA_AFTER_NON_DIGIT = /([^0-9])([.,])/g;
const PERIOD_COMMA_BEFORE_NON_DIGIT = /([.,])([^0-9])/g;
const DASH_AFTER_DIGIT = /([0-9])(-)/g;

/**
 * The mteval-v13a tokenizer, exactly as sacrebleu 2.x `Tokenizer13a`:
 * drop `<skipped>`, join `-\n` line breaks, turn newlines into spaces, unescape
 * `&quot; &amp; &lt; &gt;`, then pad with spaces the ASCII symbols
 * `{-~ [-\` space-& (-+ :-@ /`, periods and commas unless between digits, and
 * a dash after a digit; finally collapse whitespace (Python `str.split`).
 */
export function tokenize13a(text: string): string {
  let line = text.replaceAll('<skipped>', '').replaceAll('-\n', '').replaceAll('\n', ' ');
  if (line.includes('&')) {
    line = line.replaceAll('&quot;', '"').replaceAll('&amp;', '&').replaceAll('&lt;', '<').replaceAll('&gt;', '>');
  }
  line = ` ${line} `;
  line = line.replace(SYMBOLS, ' $1 ');
  line = line.replace(PERIOD_COMMA_AFTER_NON_DIGIT, '$1 $2 ');
  line = line.replace(PERIOD_COMMA_BEFORE_NON_DIGIT, ' $1 $2');
  line = line.replace(DASH_AFTER_DIGIT, '$1 $2 ');
  return splitWhitespace(line).join(' ');
}
