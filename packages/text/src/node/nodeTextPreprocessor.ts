import path from 'node:path';
import { readFileSync, promises as fs } from 'node:fs';
import { ConfigError, InputError, registry } from '@polyfuse/core';
import { TextPreprocessor } from '../preprocess/textPreprocessor.js';
import { textPreprocessorSchema, type TextPreprocessorConfig } from '../preprocess/textPreprocessorConfig.js';
import { createTokenizer } from '../tokenizers/createTokenizer.js';
import type { Tokenizer } from '../tokenizers/tokenizer.js';

/**
 * `preprocessor/text` for Node: a value that is a single line ending in
 * `.txt` is read as a UTF-8 file relative to the manifest folder; anything
 * else is inline text. `tokenizerFile` loads a HuggingFace tokenizer.json.
 */
export class NodeTextPreprocessor extends TextPreprocessor {
  protected override buildTokenizer(): Tokenizer {
    const file = this.config.tokenizerFile;
    if (this.config.tokenizer === 'huggingface' && file && !this.config.tokenizerJson) {
      let json: unknown;
      try {
        json = JSON.parse(readFileSync(file, 'utf8'));
      } catch (error) {
        throw new ConfigError(`preprocessor/text.tokenizerFile ${file}: cannot read a tokenizer.json (${(error as Error).message}).`, { cause: error });
      }
      return createTokenizer({ type: 'huggingface', json });
    }
    return super.buildTokenizer();
  }

  protected override async readText(value: unknown, baseDir: string): Promise<{ text: string; source: string }> {
    if (typeof value === 'string' && /\.txt$/i.test(value) && !value.includes('\n')) {
      const file = path.resolve(baseDir, value);
      let bytes: Uint8Array;
      try {
        bytes = await fs.readFile(file);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        throw new InputError(`${file}: cannot read text (${code === 'ENOENT' ? 'file not found' : (error as Error).message}).`, { cause: error });
      }
      return { text: decodeText(bytes, this.config.encoding ?? 'utf-8', file), source: file };
    }
    return super.readText(value, baseDir);
  }
}

/**
 * Decodes a text file's bytes with `encoding`. UTF-8 is strict: invalid
 * bytes are an InputError naming the file, the offset and the fix, so the
 * sample is reported as bad rather than trained on with U+FFFD in it.
 */
export function decodeText(bytes: Uint8Array, encoding: string, source: string): string {
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(encoding, { fatal: true });
  } catch {
    throw new ConfigError(`preprocessor/text.encoding: unknown text encoding '${encoding}'. Use a WHATWG encoding label such as 'utf-8', 'latin1', 'windows-1252' or 'utf-16le'.`);
  }
  try {
    return decoder.decode(bytes);
  } catch {
    const at = firstInvalidUtf8(bytes);
    const where = decoder.encoding === 'utf-8' && at !== undefined ? ` (byte 0x${bytes[at]!.toString(16).padStart(2, '0')} at offset ${at})` : '';
    throw new InputError(`${source}: the text is not valid ${decoder.encoding.toUpperCase()}${where}. Save it as ${decoder.encoding.toUpperCase()}, or set the text preprocessor's encoding (e.g. 'latin1').`);
  }
}

/** Offset of the first byte that breaks UTF-8 (a lead byte without its continuation bytes, or a stray one). */
function firstInvalidUtf8(bytes: Uint8Array): number | undefined {
  const strict = new TextDecoder('utf-8', { fatal: true });
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const length = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (length === 0) return i;
    if (length > 1) {
      try {
        strict.decode(bytes.subarray(i, i + length));
      } catch {
        return i;
      }
    }
    i += length;
  }
  return undefined;
}

registry.register(
  {
    kind: 'preprocessor',
    name: 'text',
    description: 'Inline text or a .txt file → int32 token ids [maxLength] (word, char or HuggingFace tokenizer).',
    schema: textPreprocessorSchema,
    create: (config: TextPreprocessorConfig) => new NodeTextPreprocessor(config),
  },
  { override: true },
);
