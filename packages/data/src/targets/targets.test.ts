import { describe, expect, it } from 'vitest';
import { ConfigError, InputError, SeededRandom, registry, type Preprocessor } from '@polyfuse/core';
import { ClassTarget } from './classTarget.js';
import { MultilabelTarget } from './multilabelTarget.js';
import { RegressionTarget } from './regressionTarget.js';
import { SequenceTarget } from './sequenceTarget.js';
import { MatchTarget } from './matchTarget.js';
import { createTarget } from './createTarget.js';
import { LabelEncoder } from '../schema/labelEncoder.js';

/**
 * A word-level tokenizer preprocessor, registered the way @polyfuse/text
 * registers `text`: ids 0-3 are pad, unk, bos, eos; `fit` adds the training
 * words in sorted order; `process` returns bos … eos, unpadded.
 */
registry.register(
  {
    kind: 'preprocessor',
    name: 'test-words',
    create: (config: { maxLength: number; addBosEos?: boolean }): Preprocessor & { tokenizer: unknown } => {
      let vocab = ['<pad>', '<unk>', '<bos>', '<eos>'];
      const tokenizer = {
        padId: 0,
        bosId: 2,
        eosId: 3,
        get vocabSize() {
          return vocab.length;
        },
        encode: (text: string) => [2, ...text.toLowerCase().split(/\s+/).filter(Boolean).map((w) => (vocab.includes(w) ? vocab.indexOf(w) : 1)), 3],
        decode: (ids: readonly number[]) => ids.map((i) => vocab[i] ?? '<unk>').join(' '),
      };
      return {
        outputShape: [config.maxLength],
        dtype: 'int32',
        config,
        augments: false,
        tokenizer,
        async fit(values) {
          const words = new Set((values as string[]).flatMap((t) => t.toLowerCase().split(/\s+/).filter(Boolean)));
          vocab = [...vocab.slice(0, 4), ...[...words].sort()];
        },
        async process(value) {
          if (typeof value !== 'string' || value.trim() === '') throw new InputError('test-words: the text is empty.');
          return Int32Array.from(tokenizer.encode(value).slice(0, config.maxLength));
        },
        getState: () => ({ vocab }),
        setState: (state) => {
          vocab = (state as { vocab: string[] }).vocab;
        },
      };
    },
  },
  { override: true },
);
registry.register({ kind: 'preprocessor', name: 'test-no-tokenizer', create: (config: Record<string, unknown>): Preprocessor => ({ outputShape: [4], dtype: 'int32', config, async process() { return new Int32Array(4); } }) }, { override: true });

const evaluation = { training: false };

describe('ClassTarget', () => {
  it('makes integer labels their own index and sorts names', async () => {
    const digits = new ClassTarget('digit');
    await digits.fit([3, '1', ' 3 ']);
    expect(digits.classes).toEqual(['0', '1', '2', '3']);
    expect(digits.encode(3, evaluation)).toBe(3);
    const animals = new ClassTarget('animal');
    await animals.fit(['dog', 'cat', 'dog']);
    expect(animals.classes).toEqual(['cat', 'dog']);
    expect(animals.info()).toEqual({ type: 'class', classes: ['cat', 'dog'] });
    expect(animals.shape).toEqual([]);
    expect(animals.dtype).toBe('int32');
  });

  it('keeps explicit classes, reports bad values and restores its state', async () => {
    const target = new ClassTarget('diagnosis', { classes: ['healthy', 'flu'] });
    await target.fit(['covid']);
    expect(target.classes).toEqual(['healthy', 'flu']);
    expect(target.encode(' flu ', evaluation)).toBe(1);
    expect(target.encode('cold', evaluation)).toBe('unknown class "cold"; classes are healthy, flu.');
    expect(target.encode(null, evaluation)).toBe('the label is missing.');
    const restored = new ClassTarget('diagnosis');
    restored.setState(JSON.parse(JSON.stringify(target.getState())));
    expect(restored.encode('flu', evaluation)).toBe(1);
    expect(() => new ClassTarget('d', { classes: ['a', 'a'] })).toThrow(/labels\.d\.classes lists a class twice/);
  });
});

describe('MultilabelTarget', () => {
  it('fits the sorted union of training lists and CSV strings, and encodes multi-hot', async () => {
    const target = new MultilabelTarget('tags');
    await target.fit([['red', 'big'], 'small;red', ' round | big ']);
    expect(target.classes).toEqual(['big', 'red', 'round', 'small']);
    expect(target.shape).toEqual([4]);
    expect(target.dtype).toBe('float32');
    expect(target.encode(['red', 'big'], evaluation)).toEqual(Float32Array.from([1, 1, 0, 0]));
    expect(target.encode('small|round', evaluation)).toEqual(Float32Array.from([0, 0, 1, 1]));
    expect(target.encode([], evaluation)).toEqual(new Float32Array(4)); // no class at all
    expect(target.encode('', evaluation)).toBe('the label is missing.');
    expect(target.encode(['red', 'green'], evaluation)).toBe('unknown class "green"; classes are big, red, round, small.');
    expect(target.encode({ red: true }, evaluation)).toMatch(/expected a list of class names/);
    expect(target.info()).toEqual({ type: 'multilabel', classes: ['big', 'red', 'round', 'small'] });
  });

  it('keeps explicit classes and restores its state', async () => {
    const target = new MultilabelTarget('tags', { classes: ['b', 'a'] });
    await target.fit([['c']]);
    expect(target.encode('a', evaluation)).toEqual(Float32Array.from([0, 1]));
    const restored = new MultilabelTarget('tags');
    restored.setState(JSON.parse(JSON.stringify(target.getState())));
    expect(restored.encode(['b'], evaluation)).toEqual(Float32Array.from([1, 0]));
  });
});

describe('RegressionTarget', () => {
  it('infers scalar and vector sizes from the first training value', async () => {
    const scalar = new RegressionTarget('speed');
    await scalar.fit(['2.5', 4]);
    expect(scalar.shape).toEqual([]);
    expect(scalar.encode(' 2.5 ', evaluation)).toBe(2.5);
    expect(scalar.encode('fast', evaluation)).toBe('expected a number, got "fast".');
    expect(scalar.info()).toEqual({ type: 'regression', size: 1 });
    const vector = new RegressionTarget('position');
    await vector.fit([[1, 2, 3]]);
    expect(vector.shape).toEqual([3]);
    expect(vector.encode('4; 5 6', evaluation)).toEqual(Float32Array.from([4, 5, 6]));
    expect(vector.encode([1, 2], evaluation)).toBe('expected a list of 3 numbers, got [1,2].');
    expect(vector.encode(undefined, evaluation)).toBe('the label is missing.');
    const sized = new RegressionTarget('p', { size: 2 });
    await sized.fit([]);
    expect(sized.shape).toEqual([2]);
    expect(() => new RegressionTarget('p', { size: 0 })).toThrow(/labels\.p\.size must be an integer >= 1/);
  });

  it('standardises with the training mean and population std, inverts, and restores its state', async () => {
    const target = new RegressionTarget('y', { standardize: true });
    await target.fit([[1, 10], [3, 10], [5, 10], [7, 10]]);
    const std = Math.sqrt(5);
    expect(target.getState()).toEqual({ size: 2, mean: [4, 10], std: [std, 1] }); // a constant column gets std 1
    const encoded = target.encode([6, 12], evaluation) as Float32Array;
    expect(encoded[0]).toBeCloseTo(2 / std);
    expect(encoded[1]).toBeCloseTo(2);
    expect(Array.from(target.invert([...encoded, 0, 0]))).toEqual([expect.closeTo(6), expect.closeTo(12), 4, 10]);
    const restored = new RegressionTarget('y', { standardize: true });
    restored.setState(JSON.parse(JSON.stringify(target.getState())));
    expect(restored.encode([6, 12], evaluation)).toEqual(encoded);
    const plain = new RegressionTarget('y');
    await plain.fit([1]);
    expect(Array.from(plain.invert([2, 3]))).toEqual([2, 3]);
  });
});

describe('SequenceTarget', () => {
  const spec = { type: 'sequence' as const, tokenizer: { name: 'test-words', config: { maxLength: 6 } } };

  it('fits the tokenizer on every reference and encodes bos … eos', async () => {
    const target = new SequenceTarget('caption', spec);
    expect(target.preprocessor.config).toEqual({ maxLength: 6, addBosEos: true });
    await target.fit([['a red cat', 'the cat'], 'a dog']);
    // vocabulary: <pad> <unk> <bos> <eos> a cat dog red the
    expect(target.info()).toEqual({ type: 'sequence', vocabSize: 9, maxLength: 6, padId: 0, bosId: 2, eosId: 3 });
    expect(target.shape).toEqual([6]);
    expect(target.padValue).toBe(0);
    expect(await target.encode(['a red cat', 'the cat'], evaluation)).toEqual(Int32Array.from([2, 4, 7, 5, 3]));
    expect(target.decode([2, 4, 7, 5, 3, 0, 0])).toBe('a red cat');
    expect(target.decode([2, 6, 3, 8, 8])).toBe('dog'); // stops at eos
    expect(target.references(['a dog', 'a cat'])).toEqual(['a dog', 'a cat']);
    expect(target.references('a dog')).toEqual(['a dog']);
    expect(target.references(['a dog', ''])).toMatch(/expected a text or a list of non-empty texts/);
    expect(await target.encode(null, evaluation)).toBe('the label is missing.');
  });

  it('draws one reference with the seeded rng in training, the first otherwise', async () => {
    const target = new SequenceTarget('caption', spec);
    const refs = ['a', 'b', 'c', 'd'];
    await target.fit([refs]);
    const draw = async (seed: number) => Array.from((await target.encode(refs, { training: true, rng: new SeededRandom(seed) })) as Int32Array)[1];
    expect(await draw(7)).toBe(await draw(7));
    const picked = new Set(await Promise.all(Array.from({ length: 20 }, (_, seed) => draw(seed))));
    expect(picked.size).toBeGreaterThan(1);
    expect(Array.from((await target.encode(refs, { training: false, rng: new SeededRandom(7) })) as Int32Array)).toEqual([2, 4, 3]);
  });

  it('restores the vocabulary from its state', async () => {
    const trained = new SequenceTarget('caption', spec);
    await trained.fit(['the red dog']);
    const restored = new SequenceTarget('caption', spec);
    restored.setState(JSON.parse(JSON.stringify(trained.getState())));
    expect(await restored.encode('red dog', evaluation)).toEqual(await trained.encode('red dog', evaluation));
    expect(restored.info().vocabSize).toBe(7);
  });

  it('needs a tokenizer spec, and a preprocessor that has a tokenizer', () => {
    expect(() => new SequenceTarget('caption', { type: 'sequence' })).toThrow(/labels\.caption\.tokenizer is required for a sequence target/);
    const target = new SequenceTarget('caption', { type: 'sequence', tokenizer: { name: 'test-no-tokenizer' } });
    expect(() => target.info()).toThrow(ConfigError);
    expect(() => target.decode([1])).toThrow(/labels\.caption\.tokenizer: the preprocessor has no tokenizer/);
  });
});

describe('MatchTarget', () => {
  it('gives samples of the same group one index and others their own', async () => {
    const target = new MatchTarget('pair', { type: 'match', group: 'album' });
    await target.fit();
    expect(['A', 'B', ' A ', undefined, 'C', 'B'].map((g) => target.encode(g, evaluation))).toEqual([0, 1, 0, 2, 3, 1]);
    expect(target.info()).toEqual({ type: 'match' });
    const ungrouped = new MatchTarget('pair');
    expect([undefined, undefined, undefined].map((g) => ungrouped.encode(g, evaluation))).toEqual([0, 1, 2]);
  });
});

describe('createTarget', () => {
  it('builds the target of each type and names the bad type', () => {
    expect(createTarget('a')).toBeInstanceOf(ClassTarget);
    expect(createTarget('a', { type: 'multilabel' })).toBeInstanceOf(MultilabelTarget);
    expect(createTarget('a', { type: 'number' })).toBeInstanceOf(RegressionTarget);
    expect(createTarget('a', { type: 'match' })).toBeInstanceOf(MatchTarget);
    expect(() => createTarget('answer', { type: 'ranking' as never })).toThrow(ConfigError);
    expect(() => createTarget('answer', { type: 'ranking' as never })).toThrow(
      'labels.answer.type must be one of "class", "multilabel", "regression", "number", "sequence", "match", got "ranking".',
    );
  });

  it('keeps LabelEncoder working for class and number labels', () => {
    const severity = new LabelEncoder('severity', { type: 'number' }, []);
    expect(severity.type).toBe('regression');
    expect(severity.shape).toEqual([]);
    expect(severity.encode('2.5')).toBe(2.5);
    expect(new LabelEncoder('d', { classes: ['x', 'y'] }, []).encode('y')).toBe(1);
  });
});
