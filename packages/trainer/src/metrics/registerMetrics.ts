import { registry, type ComponentSpec } from '@polyfuse/core';
import { ClassificationMetric, type ClassificationScore } from './classificationMetric.js';
import { RocAucMetric } from './rocAucMetric.js';
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

/**
 * Builds a metric from its registry name and options (`{ name: 'f1', config: { average: 'macro' } }`).
 * It logs as its name (`f1`), with the averaging when not macro (`f1_weighted`)
 * and the output when not `logits` (`accuracy_logits_image`).
 */
export function createMetric(spec: ComponentSpec, path = 'metric'): TrainingMetric {
  return registry.create<TrainingMetric>('metric', spec.name, spec.config ?? {}, path);
}
