import { describe, expect, it } from 'vitest';
import { tokenize13a } from '../../index.js';

// Expected outputs derived by hand from sacrebleu 2.x Tokenizer13a's rules.
describe('tokenize13a', () => {
  it.each([
    ['Hello, world!', 'Hello , world !'],
    // the apostrophe (0x27) is in none of the symbol ranges; a period between digits stays
    ["It's 3.14.", "It's 3.14 ."],
    ['a&amp;b &quot;q&quot; x&lt;y&gt;z', 'a & b " q " x < y > z'],
    ['<skipped>kept', 'kept'],
    ['hyphen-\nated\nline', 'hyphenated line'],
    // a dash is split only after a digit
    ['5-3 a-b', '5 - 3 a-b'],
    ['$100,000.50 (approx.)', '$ 100,000.50 ( approx . )'],
    ['x.y 3.x 1.5,2', 'x . y 3 . x 1.5,2'],
    ['a\t\tb   c\u3000d', 'a b c d'],
    ['naïve café', 'naïve café'],
    ['', ''],
    ['{[a]}/~`@:', '{ [ a ] } / ~ ` @ :'],
  ])('%j -> %j', (input, expected) => {
    expect(tokenize13a(input)).toBe(expected);
  });
});
