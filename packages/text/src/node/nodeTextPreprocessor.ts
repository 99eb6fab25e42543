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
      try {
        return { text: await fs.readFile(file, 'utf8'), source: file };
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        throw new InputError(`${file}: cannot read text (${code === 'ENOENT' ? 'file not found' : (error as Error).message}).`, { cause: error });
      }
    }
    return super.readText(value, baseDir);
  }
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
