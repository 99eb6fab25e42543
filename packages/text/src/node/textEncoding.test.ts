import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import os from 'node:os';
import path from 'node:path';
import { promises as fs } from 'node:fs';
import { ConfigError, InputError, registry, SeededRandom, type Preprocessor } from '@polyfuse/core';
import { decodeText } from './nodeTextPreprocessor.js';
import '../node.js';

describe('preprocessor/text (node): text files that are not valid UTF-8', () => {
  let dir: string;
  const context = () => ({ baseDir: dir, training: false, rng: new SeededRandom(0) });

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'polyfuse-text-encoding-'));
    await fs.writeFile(path.join(dir, 'utf8.txt'), 'un café noir');
    await fs.writeFile(path.join(dir, 'latin1.txt'), Buffer.from('un caf\xe9 noir', 'latin1'));
  });
  afterAll(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('refuses them with an InputError naming the file and the byte (a bad sample), instead of replacing the bytes', async () => {
    const pre = registry.create<Preprocessor>('preprocessor', 'text', { maxLength: 4, tokenizer: 'char' });
    // Fitting skips the unreadable file: it is reported when the sample is processed.
    await pre.fit!(['utf8.txt', 'latin1.txt'], { baseDir: dir });
    await expect(pre.process('latin1.txt', context())).rejects.toThrow(InputError);
    await expect(pre.process('latin1.txt', context())).rejects.toThrow(
      `${path.join(dir, 'latin1.txt')}: the text is not valid UTF-8 (byte 0xe9 at offset 6). Save it as UTF-8, or set the text preprocessor's encoding (e.g. 'latin1').`,
    );
    expect(Array.from(await pre.process('utf8.txt', context()))).toHaveLength(4);
  });

  it('decodes them with an explicit encoding', async () => {
    const pre = registry.create<Preprocessor>('preprocessor', 'text', { maxLength: 12, tokenizer: 'char', encoding: 'latin1' });
    await pre.fit!(['latin1.txt'], { baseDir: dir });
    const utf8 = registry.create<Preprocessor>('preprocessor', 'text', { maxLength: 12, tokenizer: 'char' });
    await utf8.fit!(['utf8.txt'], { baseDir: dir });
    expect(Array.from(await pre.process('latin1.txt', context()))).toEqual(Array.from(await utf8.process('utf8.txt', context())));
    expect(() => decodeText(Buffer.from('x'), 'klingon', 'x.txt')).toThrow(ConfigError);
  });

  it('decodeText is strict for UTF-8 and names the first bad byte', () => {
    expect(decodeText(Buffer.from('é'), 'utf-8', 'a.txt')).toBe('é');
    expect(() => decodeText(Uint8Array.from([0x61, 0xe2, 0x82, 0x61]), 'utf-8', 'a.txt')).toThrow(/^a\.txt: the text is not valid UTF-8 \(byte 0xe2 at offset 1\)/);
  });
});
