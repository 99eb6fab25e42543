import { bytesToUnicodeString } from './bytesToUnicode.js';
import { unsupported, type ComponentSpec } from './spec.js';

export type PreTokenizer = (text: string) => string[];

const supported = ['BertPreTokenizer', 'Whitespace', 'WhitespaceSplit', 'ByteLevel', 'Punctuation', 'Metaspace', 'Sequence'];

/** GPT-2's pre-tokenisation pattern (contractions, letters, digits, other, whitespace). */
export const gpt2Pattern = /'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+/gu;

/** BERT's punctuation: ASCII non-alphanumeric printable characters, and Unicode P* categories. */
export function isPunctuation(ch: string): boolean {
  const cp = ch.codePointAt(0)!;
  if ((cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126)) return true;
  return /\p{P}/u.test(ch);
}

function splitPunctuation(word: string): string[] {
  const out: string[] = [];
  let current = '';
  for (const ch of word) {
    if (isPunctuation(ch)) {
      if (current) out.push(current);
      out.push(ch);
      current = '';
    } else current += ch;
  }
  if (current) out.push(current);
  return out;
}

/** Builds a pre-tokenizer with the semantics of HuggingFace tokenizers' pre_tokenizers module. */
export function buildPreTokenizer(spec: ComponentSpec, where = 'pre_tokenizer'): PreTokenizer {
  if (!spec) return (text) => [text];
  switch (spec.type) {
    case 'BertPreTokenizer':
      return (text) => text.split(/\s+/u).filter(Boolean).flatMap(splitPunctuation);
    case 'Whitespace':
      return (text) => text.match(/[\p{L}\p{M}\p{N}_]+|[^\p{L}\p{M}\p{N}_\s]+/gu) ?? [];
    case 'WhitespaceSplit':
      return (text) => text.split(/\s+/u).filter(Boolean);
    case 'Punctuation':
      return (text) => splitPunctuation(text);
    case 'ByteLevel': {
      const addPrefixSpace = spec.add_prefix_space !== false;
      const useRegex = spec.use_regex !== false;
      return (text) => {
        const prefixed = addPrefixSpace && !text.startsWith(' ') ? ` ${text}` : text;
        const pieces = useRegex ? prefixed.match(gpt2Pattern) ?? [] : [prefixed];
        return pieces.map(bytesToUnicodeString);
      };
    }
    case 'Metaspace': {
      const replacement = String(spec.replacement ?? '▁');
      const prepend = spec.prepend_scheme !== 'never' && spec.add_prefix_space !== false;
      return (text) => {
        const replaced = (prepend && !text.startsWith(' ') ? ` ${text}` : text).replace(/ /g, replacement);
        return replaced.split(new RegExp(`(?=${replacement.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')})`, 'u')).filter(Boolean);
      };
    }
    case 'Sequence': {
      const parts = ((spec.pretokenizers as ComponentSpec[]) ?? []).map((s, i) => buildPreTokenizer(s, `${where}.pretokenizers[${i}]`));
      return (text) => parts.reduce<string[]>((pieces, f) => pieces.flatMap(f), [text]);
    }
    default:
      throw unsupported(where, spec.type, supported);
  }
}
