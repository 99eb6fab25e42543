import { unsupported, type ComponentSpec } from './spec.js';

export type Normalizer = (text: string) => string;

const supported = ['BertNormalizer', 'Lowercase', 'NFC', 'NFD', 'NFKC', 'NFKD', 'StripAccents', 'Strip', 'Replace', 'Sequence'];

/** Builds a normalizer with the semantics of HuggingFace tokenizers' normalizers module. */
export function buildNormalizer(spec: ComponentSpec, where = 'normalizer'): Normalizer {
  if (!spec) return (text) => text;
  switch (spec.type) {
    case 'BertNormalizer':
      return bertNormalizer(spec);
    case 'Lowercase':
      return (text) => text.toLowerCase();
    case 'NFC':
    case 'NFD':
    case 'NFKC':
    case 'NFKD': {
      const form = spec.type;
      return (text) => text.normalize(form);
    }
    case 'StripAccents':
      return stripAccents;
    case 'Strip': {
      const left = spec.strip_left !== false;
      const right = spec.strip_right !== false;
      return (text) => (left && right ? text.trim() : left ? text.trimStart() : right ? text.trimEnd() : text);
    }
    case 'Replace': {
      const pattern = spec.pattern as { String?: string; Regex?: string };
      const content = String(spec.content ?? '');
      const regex = pattern.Regex !== undefined ? new RegExp(pattern.Regex, 'gu') : undefined;
      return (text) => (regex ? text.replace(regex, content) : text.split(pattern.String ?? '').join(content));
    }
    case 'Sequence': {
      const parts = ((spec.normalizers as ComponentSpec[]) ?? []).map((s, i) => buildNormalizer(s, `${where}.normalizers[${i}]`));
      return (text) => parts.reduce((t, f) => f(t), text);
    }
    default:
      throw unsupported(where, spec.type, supported);
  }
}

/** NFD, then drop combining marks (category Mn), as HF's StripAccents. */
function stripAccents(text: string): string {
  return text.normalize('NFD').replace(/\p{Mn}/gu, '');
}

/** CJK ideograph ranges of BERT's `_is_chinese_char`. */
const chineseChars = /[\u{4E00}-\u{9FFF}\u{3400}-\u{4DBF}\u{20000}-\u{2A6DF}\u{2A700}-\u{2B73F}\u{2B740}-\u{2B81F}\u{2B820}-\u{2CEAF}\u{F900}-\u{FAFF}\u{2F800}-\u{2FA1F}]/gu;

/**
 * BERT's normaliser: `clean_text` drops NUL, U+FFFD and control characters and
 * turns whitespace into spaces; `handle_chinese_chars` puts spaces around CJK
 * ideographs; `strip_accents` (defaults to `lowercase`) and `lowercase`.
 */
function bertNormalizer(spec: Record<string, unknown>): Normalizer {
  const clean = spec.clean_text !== false;
  const chinese = spec.handle_chinese_chars !== false;
  const lowercase = spec.lowercase !== false;
  const strip = spec.strip_accents === null || spec.strip_accents === undefined ? lowercase : spec.strip_accents === true;
  return (input) => {
    let text = input;
    if (clean) text = text.replace(/[\t\n\r\p{Zs}]/gu, ' ').replace(/[\0\uFFFD\p{Cc}\p{Cf}]/gu, '');
    if (chinese) text = text.replace(chineseChars, ' $& ');
    if (strip) text = stripAccents(text);
    if (lowercase) text = text.toLowerCase();
    return text;
  };
}
