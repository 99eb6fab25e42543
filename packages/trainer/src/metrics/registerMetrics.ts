import { registry, ConfigError, type ComponentSpec } from '@polyfuse/core';
import { ClassificationMetric, type ClassificationScore } from './classificationMetric.js';
import { RocAucMetric } from './rocAucMetric.js';
import { MaeMetric } from './maeMetric.js';
import { RmseMetric } from './rmseMetric.js';
import { R2Metric } from './r2Metric.js';
import type { InvertRegression } from './regressionMetric.js';
import { MultilabelF1Metric } from './multilabelF1Metric.js';
import { MeanAveragePrecisionMetric } from './meanAveragePrecisionMetric.js';
import { BleuMetric } from './bleuMetric.js';
import { CiderMetric } from './ciderMetric.js';
import { RougeLMetric } from './rougeLMetric.js';
import { ExactMatchMetric } from './exactMatchMetric.js';
import { RecallAtKMetric } from './recallAtKMetric.js';
import { MedianRankMetric } from './medianRankMetric.js';
import type { MatchingDirection } from './matchingMetric.js';
import type { TrainingMetric } from './trainingMetric.js';

const common = {
  output: { type: 'string', default: 'logits', description: 'Model output to score (logits or logits_<modality>).' },
  target: { type: 'string', default: 'label', description: 'Target (label field) to compare with.' },
} as const;
const average = { type: 'string', enum: ['macro', 'micro', 'weighted', 'binary'], default: 'macro', description: 'scikit-learn averaging over all classes.' } as const;

type Average = 'macro' | 'micro' | 'weighted' | 'binary';

const scores: { name: ClassificationScore; description: string }[] = [
  { name: 'accuracy', description: 'Fraction of samples classified right (sklearn accuracy_score).' },
  { name: 'f1', description: 'F1 over all classes, macro-averaged by default (sklearn f1_score, zero_division=0).' },
  { name: 'precision', description: 'Precision over all classes, macro-averaged by default (sklearn precision_score, zero_division=0).' },
  { name: 'recall', description: 'Recall over all classes, macro-averaged by default (sklearn recall_score, zero_division=0).' },
];

for (const { name, description } of scores) {
  if (registry.has('metric', name)) continue;
  registry.register({
    kind: 'metric',
    name,
    description,
    schema: name === 'accuracy' ? { ...common } : { ...common, average },
    create: (c: { output: string; target: string; average?: Average }): TrainingMetric => {
      const logName = !c.average || c.average === 'macro' ? name : `${name}_${c.average}`;
      const suffix = c.output === 'logits' ? '' : `_${c.output}`;
      return new ClassificationMetric(`${logName}${suffix}`, name, c.average ?? 'macro', c.output, c.target);
    },
  });
}
if (!registry.has('metric', 'roc-auc')) {
  registry.register({
    kind: 'metric',
    name: 'roc-auc',
    description: 'ROC AUC of the class probabilities (sklearn roc_auc_score; one-vs-rest macro for more than two classes).',
    schema: { ...common },
    create: (c: { output: string; target: string }): TrainingMetric => new RocAucMetric(c.output, c.target),
  });
}

/** What the caller knows that a metric config does not say. */
export interface MetricCreateContext {
  /** Regression metrics: maps standardised values back to the target's units (from the fitted target). */
  invert?: InvertRegression;
}

/** `_<output>` unless the output is the default `logits`. */
const outputSuffix = (output: string) => (output === 'logits' ? '' : `_${output}`);

// Regression: `values_<head>` [B] or [B, K] against a float target of the same shape.
const regressionFields = {
  output: { type: 'string', required: true, description: 'Regression output to score (values_<head>).' },
  target: { type: 'string', required: true, description: 'Regression target to compare with.' },
} as const;
const regression = [
  { name: 'mae', build: MaeMetric, description: 'Mean absolute error in the target\'s units (sklearn mean_absolute_error, uniform_average).' },
  { name: 'rmse', build: RmseMetric, description: 'Root mean squared error in the target\'s units (sklearn 1.2 mean_squared_error(squared=False), uniform_average).' },
  { name: 'r2', build: R2Metric, description: 'Coefficient of determination over the split (sklearn 1.2 r2_score, uniform_average).' },
];
for (const { name, build, description } of regression) {
  if (registry.has('metric', name)) continue;
  registry.register({
    kind: 'metric',
    name,
    description,
    schema: { ...regressionFields },
    create: (c: { output: string; target: string; invert?: InvertRegression }): TrainingMetric => new build(`${name}_${c.output}`, c.output, c.target, c.invert),
  });
}

// Multi-label: `logits_<head>` [B, C] against a multi-hot target [B, C].
if (!registry.has('metric', 'multilabel-f1')) {
  registry.register({
    kind: 'metric',
    name: 'multilabel-f1',
    description: 'F1 of sigmoid(logit) > threshold against a multi-hot target (sklearn f1_score on indicator matrices, zero_division=0).',
    schema: {
      ...common,
      average: { type: 'string', enum: ['macro', 'micro'], default: 'macro', description: 'macro: mean of per-class F1; micro: F1 of the pooled counts.' },
      threshold: { type: 'number', min: 0, max: 1, default: 0.5, description: 'A class is predicted when its sigmoid probability is above this.' },
    },
    create: (c: { output: string; target: string; average: 'macro' | 'micro'; threshold: number }): TrainingMetric => {
      const name = `multilabel_f1${c.average === 'micro' ? '_micro' : ''}${c.threshold === 0.5 ? '' : `_threshold${c.threshold}`}${outputSuffix(c.output)}`;
      return new MultilabelF1Metric(name, c.output, c.target, c.average, c.threshold);
    },
  });
}
if (!registry.has('metric', 'map')) {
  registry.register({
    kind: 'metric',
    name: 'map',
    description: 'Mean average precision over the classes with positives (sklearn average_precision_score per class; classes without positives skipped as torchmetrics).',
    schema: { ...common },
    create: (c: { output: string; target: string }): TrainingMetric => new MeanAveragePrecisionMetric(`map${outputSuffix(c.output)}`, c.output, c.target),
  });
}

// Generated sequences: texts greedily decoded from `tokens_<head>` against every reference of a sequence target.
const sequenceFields = {
  output: { type: 'string', required: true, description: 'Decoder output whose generated texts to score (tokens_<head>).' },
  target: { type: 'string', required: true, description: 'Sequence target whose references to compare with.' },
} as const;
const sequences = [
  { name: 'cider', log: 'cider', build: CiderMetric, description: 'CIDEr-D of the generated captions (coco-caption CiderScorer).' },
  { name: 'rouge-l', log: 'rouge_l', build: RougeLMetric, description: 'ROUGE-L of the generated captions (coco-caption Rouge, beta 1.2).' },
  { name: 'exact-match', log: 'exact_match', build: ExactMatchMetric, description: 'Fraction of generated texts equal to a reference after lower-casing and whitespace normalisation.' },
];
for (const { name, log, build, description } of sequences) {
  if (registry.has('metric', name)) continue;
  registry.register({
    kind: 'metric',
    name,
    description,
    schema: { ...sequenceFields },
    create: (c: { output: string; target: string }): TrainingMetric => new build(`${log}_${c.output}`, c.output, c.target),
  });
}
if (!registry.has('metric', 'bleu')) {
  registry.register({
    kind: 'metric',
    name: 'bleu',
    description: 'Corpus BLEU-4 (0-100) of the generated texts against every reference (sacrebleu 2.x corpus_bleu).',
    schema: {
      ...sequenceFields,
      lowercase: { type: 'boolean', default: true, description: 'Compare lower-cased (sacrebleu -lc); word tokenizers lower-case what the decoder generates.' },
      tokenize: { type: 'string', enum: ['13a', 'none'], default: '13a', description: 'sacrebleu tokenisation.' },
    },
    create: (c: { output: string; target: string; lowercase: boolean; tokenize: '13a' | 'none' }): TrainingMetric => {
      const name = `bleu${c.lowercase ? '' : '_cased'}${c.tokenize === '13a' ? '' : `_tokenize_${c.tokenize}`}_${c.output}`;
      return new BleuMetric(name, c.output, c.target, { lowercase: c.lowercase, tokenize: c.tokenize });
    },
  });
}

// Matching: two embedding outputs [B, D] and a match target (group ids [B]).
const matchingFields = {
  outputs: { type: 'string[]', required: true, description: 'The two embedding outputs, side a then side b (embedding_image, embedding_text).' },
  target: { type: 'string', required: true, description: 'Match target: group ids saying which rows are positives of each other.' },
  direction: { type: 'string', enum: ['a-to-b', 'b-to-a', 'mean'], default: 'mean', description: 'Query with side a, side b, or the mean of both.' },
} as const;

/** `<metric>_<a>_to_<b>` for one direction, `<metric>_<a>_<b>` for the mean; `embedding_` is dropped from the output names. */
function matchingName(metric: string, outputs: string[], direction: MatchingDirection, path: string): { name: string; outputs: [string, string] } {
  if (outputs.length !== 2 || outputs[0] === outputs[1]) {
    throw new ConfigError(`${path}.outputs must name two different embedding outputs, got ${JSON.stringify(outputs)}.`);
  }
  const [a, b] = outputs.map((o) => o.replace(/^embedding_/, ''));
  const suffix = direction === 'a-to-b' ? `${a}_to_${b}` : direction === 'b-to-a' ? `${b}_to_${a}` : `${a}_${b}`;
  return { name: `${metric}_${suffix}`, outputs: [outputs[0], outputs[1]] };
}

const recallEntries: { name: string; k?: number }[] = [{ name: 'recall@k' }, { name: 'recall@1', k: 1 }, { name: 'recall@5', k: 5 }, { name: 'recall@10', k: 10 }];
for (const { name, k: fixedK } of recallEntries) {
  if (registry.has('metric', name)) continue;
  registry.register({
    kind: 'metric',
    name,
    description: `Recall@${fixedK ?? 'K'} of cross-modal matching: fraction of queries with a relevant item in the top ${fixedK ?? 'K'} (VSE++ / CLIP protocol).`,
    schema: fixedK === undefined ? { ...matchingFields, k: { type: 'integer', min: 1, default: 1, description: 'How many top-ranked items count (1, 5, 10).' } } : { ...matchingFields },
    create: (c: { outputs: string[]; target: string; direction: MatchingDirection; k?: number }): TrainingMetric => {
      const k = fixedK ?? c.k ?? 1;
      const { name: logName, outputs } = matchingName(`recall@${k}`, c.outputs, c.direction, `metric/${name}`);
      return new RecallAtKMetric(logName, outputs, c.target, k, c.direction);
    },
  });
}
if (!registry.has('metric', 'median-rank')) {
  registry.register({
    kind: 'metric',
    name: 'median-rank',
    description: 'Median rank of the first relevant item in cross-modal matching (lower is better).',
    schema: { ...matchingFields },
    create: (c: { outputs: string[]; target: string; direction: MatchingDirection }): TrainingMetric => {
      const { name, outputs } = matchingName('median_rank', c.outputs, c.direction, 'metric/median-rank');
      return new MedianRankMetric(name, outputs, c.target, c.direction);
    },
  });
}

/**
 * Builds a metric from its registry name and options (`{ name: 'f1', config: { average: 'macro' } }`).
 * It logs as its name (`f1`, `roc_auc`, `rouge_l`), then its variant when not
 * the default (`f1_weighted`, `multilabel_f1_micro`), then the output when not
 * `logits` (`accuracy_logits_image`, `mae_values_speed`, `bleu_tokens_caption`).
 * Matching metrics name their direction by the embedding outputs' modalities:
 * `recall@5_image_to_text`, `recall@5_text_to_image`, and `recall@5_image_text`
 * for the mean of both. `context` carries what the config does not say
 * (`invert` for regression targets trained standardised).
 */
export function createMetric(spec: ComponentSpec, path = 'metric', context: MetricCreateContext = {}): TrainingMetric {
  return registry.create<TrainingMetric>('metric', spec.name, spec.config ?? {}, path, { ...context });
}
