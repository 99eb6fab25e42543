import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf, type Batch } from '@polyfuse/core';
import { ciderD, corpusBleu } from '@polyfuse/metrics';
import { createMetric, captionTokens, type MetricContext, type TrainingMetric } from '../index.js';

const hypotheses = ['a cat sat on the mat', 'a dog', 'two people riding horses on a beach', 'a red bus'];
const references = [
  ['The cat sat on the mat.'],
  ['A dog runs', 'dog'],
  ['Two people ride horses along the beach.', 'People on horseback at the sea.'],
  ['A red double decker bus.', 'A bus on a street.', 'red bus'],
];

/** A validation batch of the rows [start, end): decoder logits [B, L-1, V], the token target and every reference. */
function batchOf(start: number, end: number, refs: string[][] | null = references): { prediction: tf.Tensor; target: tf.Tensor; context: MetricContext } {
  const rows = end - start;
  const target = tf.zeros([rows, 4], 'int32');
  const batch: Batch = { inputs: {}, mask: {}, targets: { caption: target }, ids: Array.from({ length: rows }, (_, i) => `sample-${start + i}`), ...(refs ? { references: { caption: refs.slice(start, end) } } : {}) };
  const prediction = tf.zeros([rows, 3, 7]);
  const context: MetricContext = {
    batch,
    outputs: { tokens_caption: prediction },
    generated: (output) => {
      if (output !== 'tokens_caption') throw new Error(`${output} is not a decoder output`);
      return hypotheses.slice(start, end);
    },
  };
  return { prediction, target, context };
}

function stream(metric: TrainingMetric, batchSize: number): number {
  for (let start = 0; start < hypotheses.length; start += batchSize) {
    const { prediction, target, context } = batchOf(start, Math.min(start + batchSize, hypotheses.length));
    metric.update(prediction, target, context);
    tf.dispose([prediction, target]);
  }
  return metric.compute();
}

const create = (name: string, config: Record<string, unknown> = {}) => createMetric({ name, config: { output: 'tokens_caption', target: 'caption', ...config } });

describe('metrics on generated sequences', () => {
  beforeAll(async () => {
    await initBackend({ log: null });
  });

  it('bleu: sacrebleu corpus BLEU-4, lower-cased by default', () => {
    // Hand-checked: 13a splits off the reference's final ".", so 6 hypothesis tokens against 7:
    // precisions 5/6, 4/5, 3/4, 2/3 and brevity penalty exp(1 - 7/6) give 100·(1/3)^(1/4)·exp(-1/6).
    const one = create('bleu');
    const { prediction, target, context } = batchOf(0, 1);
    one.update(prediction, target, context);
    expect(one.compute()).toBeCloseTo(100 * Math.pow(1 / 3, 1 / 4) * Math.exp(-1 / 6), 10);
    expect(one.compute()).toBeCloseTo(64.31870218238025, 10);
    tf.dispose([prediction, target]);
    // Statistics are summed over the split: batches of 1, 3 or 4 give the corpus score, not a mean of batch scores.
    const corpus = corpusBleu(hypotheses, references, { lowercase: true }).score;
    expect(stream(create('bleu'), 1)).toBeCloseTo(corpus, 12);
    expect(stream(create('bleu'), 3)).toBeCloseTo(corpus, 12);
    expect(stream(create('bleu'), 4)).toBeCloseTo(corpus, 12);
    // Cased, "The" and "A" of the references no longer match the generated "the" and "a".
    expect(stream(create('bleu', { lowercase: false }), 4)).toBeCloseTo(corpusBleu(hypotheses, references).score, 12);
    expect(stream(create('bleu', { lowercase: false }), 4)).toBeLessThan(corpus);
  });

  it('rouge-l: coco-caption LCS F-measure, best precision and best recall over references', () => {
    // Sample 0: LCS 5 of 6 tokens each way, F = 5/6. Sample 1: "a dog" has precision 1 against
    // "a dog runs" and recall 1 against "dog", so F = 1 (coco-caption takes the maxima separately).
    const metric = create('rouge-l');
    const { prediction, target, context } = batchOf(0, 2);
    metric.update(prediction, target, context);
    expect(metric.compute()).toBeCloseTo((5 / 6 + 1) / 2, 12);
    const all = stream(create('rouge-l'), 4);
    expect(stream(create('rouge-l'), 3)).toBeCloseTo(all, 12);
  });

  it('cider: CIDEr-D on the whole split (document frequencies over every reference)', () => {
    const tokenised = ciderD(hypotheses.map(captionTokens), references.map((refs) => refs.map(captionTokens))).score;
    expect(stream(create('cider'), 4)).toBeCloseTo(tokenised, 12);
    expect(stream(create('cider'), 1)).toBeCloseTo(tokenised, 12);
    expect(tokenised).toBeGreaterThan(0);
    expect(captionTokens('A red double-decker bus, "parked".')).toEqual(['a', 'red', 'double', 'decker', 'bus', 'parked']);
  });

  it('exact-match: lower-cased, whitespace-normalised equality with any reference', () => {
    const metric = create('exact-match');
    const answers = ['Yes', ' two  dogs', 'red', 'a cat.'];
    const refs = [['yes'], ['Two dogs', '2'], ['blue'], ['a cat']];
    const target = tf.zeros([4, 3], 'int32');
    const prediction = tf.zeros([4, 2, 5]);
    const batch: Batch = { inputs: {}, mask: {}, targets: { answer: target }, ids: ['q0', 'q1', 'q2', 'q3'], references: { answer: refs } };
    const answerMetric = createMetric({ name: 'exact-match', config: { output: 'tokens_answer', target: 'answer' } });
    answerMetric.update(prediction, target, { batch, outputs: {}, generated: () => answers });
    expect(answerMetric.compute()).toBe(0.5);
    expect(answerMetric.name).toBe('exact_match_tokens_answer');
    // The four captions: only an exact copy would count.
    expect(stream(metric, 2)).toBe(0);
    tf.dispose([target, prediction]);
  });

  it('names, reset and errors', () => {
    expect(['bleu', 'cider', 'rouge-l', 'exact-match'].map((n) => create(n).name)).toEqual(['bleu_tokens_caption', 'cider_tokens_caption', 'rouge_l_tokens_caption', 'exact_match_tokens_caption']);
    expect(create('bleu', { lowercase: false, tokenize: 'none' }).name).toBe('bleu_cased_tokenize_none_tokens_caption');
    expect(create('cider').higherIsBetter).toBe(true);

    const metric = create('bleu');
    const all = stream(metric, 4);
    metric.reset();
    expect(() => metric.compute()).toThrow(/bleu_tokens_caption: no samples were seen/);
    expect(stream(metric, 2)).toBeCloseTo(all, 12);

    const { prediction, target, context } = batchOf(0, 2);
    expect(() => metric.update(prediction, target)).toThrow(/bleu_tokens_caption: needs the metric context \(texts generated from tokens_caption and the references of caption\)/);
    const noReferences = batchOf(0, 2, null);
    expect(() => metric.update(noReferences.prediction, noReferences.target, noReferences.context)).toThrow(/the batch has no references for 'caption' \(is it a sequence target\?\); references: none/);
    const emptyReference = batchOf(0, 2, [['a cat'], []]);
    expect(() => metric.update(emptyReference.prediction, emptyReference.target, emptyReference.context)).toThrow(/sample sample-1 needs at least one reference text for 'caption', got \[\]/);
    expect(() => metric.update(tf.zeros([3, 3, 7]), target, context)).toThrow(/tokens_caption has 3 rows, caption 2 and its references 2; expected one per sample/);
    expect(() => createMetric({ name: 'cider', config: { target: 'caption' } })).toThrow(/metric\.output is required/);
    tf.dispose([prediction, target, noReferences.prediction, noReferences.target, emptyReference.prediction, emptyReference.target]);
  });
});
