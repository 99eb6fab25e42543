import { unicodeStringToText } from './bytesToUnicode.js';
import { unsupported, type ComponentSpec } from './spec.js';

/** Tokens → text. */
export type TokenDecoder = (tokens: string[]) => string;

/**
 * HF decoders: WordPiece joins with spaces and glues `##` pieces (with
 * `cleanup`, removes spaces before punctuation as BERT's
 * `clean_up_tokenization`); ByteLevel maps GPT-2 byte characters back to
 * UTF-8; BPEDecoder turns the end-of-word suffix into spaces; Metaspace
 * turns ▁ into spaces. None: tokens joined by spaces.
 */
export function buildDecoder(spec: ComponentSpec, where = 'decoder'): TokenDecoder {
  if (!spec) return (tokens) => tokens.join(' ');
  switch (spec.type) {
    case 'WordPiece': {
      const prefix = String(spec.prefix ?? '##');
      const cleanup = spec.cleanup !== false;
      return (tokens) => {
        const text = tokens.map((t, i) => (t.startsWith(prefix) ? t.slice(prefix.length) : i > 0 ? ` ${t}` : t)).join('');
        return cleanup ? cleanUpTokenization(text) : text;
      };
    }
    case 'ByteLevel':
      return (tokens) => unicodeStringToText(tokens.join(''));
    case 'BPEDecoder': {
      const suffix = String(spec.suffix ?? '</w>');
      return (tokens) => tokens.map((t, i) => (t.endsWith(suffix) ? t.slice(0, -suffix.length) + (i < tokens.length - 1 ? ' ' : '') : t)).join('');
    }
    case 'Metaspace': {
      const replacement = String(spec.replacement ?? '▁');
      return (tokens) => tokens.join('').split(replacement).join(' ').replace(/^ /, '');
    }
    default:
      throw unsupported(where, spec.type, ['WordPiece', 'ByteLevel', 'BPEDecoder', 'Metaspace']);
  }
}

function cleanUpTokenization(text: string): string {
  return text
    .replace(/ \./g, '.')
    .replace(/ \?/g, '?')
    .replace(/ !/g, '!')
    .replace(/ ,/g, ',')
    .replace(/ ' /g, "'")
    .replace(/ n't/g, "n't")
    .replace(/ 'm/g, "'m")
    .replace(/ 's/g, "'s")
    .replace(/ 've/g, "'ve")
    .replace(/ 're/g, "'re");
}
