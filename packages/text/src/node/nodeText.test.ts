import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import os from 'node:os';
import path from 'node:path';
import { promises as fs } from 'node:fs';
import { ConfigError, InputError, initBackend, registry, SeededRandom, tf, withSeed, type Preprocessor } from '@polyfuse/core';
import { TextBagEncoder, TextPreprocessor, embeddingMatrix, loadWordVectors } from '../node.js';

describe('preprocessor/text (node)', () => {
  let dir: string;
  const context = () => ({ baseDir: dir, training: false, rng: new SeededRandom(0) });

  beforeAll(async () => {
    await initBackend({ backend: 'cpu', log: null });
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'polyfuse-text-'));
    await fs.writeFile(path.join(dir, 'one.txt'), 'The cat sat on the mat.');
    await fs.writeFile(path.join(dir, 'blank.txt'), '  \n');
    await fs.copyFile(new URL('../../fixtures/wordpiece-tokenizer.json', import.meta.url), path.join(dir, 'tokenizer.json'));
    await fs.writeFile(path.join(dir, 'glove.txt'), 'the 0.1 0.2 0.3\ncat 1 0 -1\nmat 0.5 0.5 0.5\n');
    await fs.writeFile(path.join(dir, 'w2v.txt'), '2 3\ncat 1 0 -1\ndog 0 1 0\n');
    await fs.writeFile(path.join(dir, 'bad.txt'), 'the 0.1 0.2 0.3\ncat 1 0\n');
  });
  afterAll(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('fits a word vocabulary on training text, then pads and truncates to maxLength', async () => {
    const pre = registry.create<Preprocessor>('preprocessor', 'text', { maxLength: 5 });
    await pre.fit!(['The cat sat on the mat.', 'one.txt', 'The dog.'], { baseDir: dir });
    expect(pre.outputShape).toEqual([5]);
    expect(pre.dtype).toBe('int32');
    const ids = await pre.process('the cat', context());
    expect(ids).toBeInstanceOf(Int32Array);
    // counts: the 5, '.' 3, then cat/mat/on/sat 2 each (code-point order), dog 1 → the=4, '.'=5, cat=6
    expect(Array.from(ids)).toEqual([4, 6, 0, 0, 0]);
    expect(Array.from(await pre.process('the cat sat on the mat . again', context()))).toEqual([4, 6, 9, 8, 4]);
    expect(Array.from(await pre.process('one.txt', context()))).toHaveLength(5);
  });

  it('saves and restores the vocabulary through getState/setState', async () => {
    const pre = registry.create<Preprocessor>('preprocessor', 'text', { maxLength: 4, tokenizer: 'char' });
    await pre.fit!(['abc', 'abd'], { baseDir: dir });
    const fresh = registry.create<Preprocessor>('preprocessor', 'text', { maxLength: 4, tokenizer: 'char' });
    fresh.setState!(JSON.parse(JSON.stringify(pre.getState!())));
    expect(Array.from(await fresh.process('dab', context()))).toEqual(Array.from(await pre.process('dab', context())));
  });

  it('loads a HuggingFace tokenizer.json from tokenizerFile', async () => {
    const pre = registry.create<Preprocessor>('preprocessor', 'text', { maxLength: 6, tokenizer: 'huggingface', tokenizerFile: path.join(dir, 'tokenizer.json') });
    expect(Array.from(await pre.process('The cat sat on the mat.', context()))).toEqual([2, 5, 6, 7, 8, 5]);
    expect(Array.from(await pre.process('cats', context()))).toEqual([2, 6, 15, 3, 0, 0]);
  });

  it('throws typed errors naming empty text, missing files and bad options', async () => {
    const pre = new TextPreprocessor({ maxLength: 4 });
    await pre.fit(['a b'], { baseDir: dir });
    const node = registry.create<Preprocessor>('preprocessor', 'text', { maxLength: 4 });
    await node.fit!(['a b'], { baseDir: dir });
    await expect(pre.process('   ', context())).rejects.toThrow(/preprocessor\/text: the text is empty/);
    await expect(node.process('blank.txt', context())).rejects.toThrow(/blank.txt: the text is empty/);
    await expect(node.process('missing.txt', context())).rejects.toThrow(InputError);
    await expect(node.process(42, context())).rejects.toThrow(/expects a string, got number/);
    expect(() => registry.create('preprocessor', 'text', { maxLength: 4, tokenizer: 'sentencepiece' })).toThrow(ConfigError);
    expect(() => registry.create('preprocessor', 'text', { maxLength: 4, tokenizer: 'huggingface' })).toThrow(/needs tokenizerJson/);
    await expect(registry.create<Preprocessor>('preprocessor', 'text', { maxLength: 4 }).process('hi', context())).rejects.toThrow(/call fit/);
  });

  it('reads GloVe and word2vec files and seeds an encoder embedding with them', async () => {
    const glove = await loadWordVectors(path.join(dir, 'glove.txt'));
    expect(glove.dim).toBe(3);
    expect(glove.words).toEqual(['the', 'cat', 'mat']);
    const w2v = await loadWordVectors(path.join(dir, 'w2v.txt'));
    expect(w2v.words).toEqual(['cat', 'dog']);
    await expect(loadWordVectors(path.join(dir, 'bad.txt'))).rejects.toThrow(/bad.txt:2: expected a word and 3 numbers/);

    const tokens = ['<pad>', '<unk>', 'The', 'cat', 'zebra'];
    const { matrix, found, missing } = embeddingMatrix(glove, tokens, { seed: 1 });
    expect(found).toBe(2); // 'The' found lower-cased
    expect(missing).toEqual(['<unk>', 'zebra']);
    expect(Array.from(matrix.slice(0, 3))).toEqual([0, 0, 0]);
    expect(Array.from(matrix.slice(9, 12))).toEqual([1, 0, -1]);
    expect(Array.from(embeddingMatrix(glove, tokens, { seed: 1 }).matrix)).toEqual(Array.from(matrix));

    const encoder = withSeed(0, () => new TextBagEncoder({ vocabSize: 5, maxLength: 2, embeddingDim: 3, trainableEmbedding: false }));
    encoder.setEmbeddingMatrix(matrix);
    const pooled = encoder.apply(tf.tensor2d([[3, 0]], undefined, 'int32'));
    expect(Array.from(pooled.dataSync())).toEqual([1, 0, -1]);
    expect(encoder.embedding.trainableWeights).toHaveLength(0);
    expect(() => encoder.setEmbeddingMatrix(new Float32Array(4))).toThrow(/expected vocabSize × embeddingDim = 5 × 3/);
  });
});
