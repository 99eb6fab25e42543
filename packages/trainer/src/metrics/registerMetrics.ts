import { registry, type ComponentSpec } from '@polyfuse/core';
import { accuracyScore, f1Score, precisionScore, recallScore } from '@polyfuse/metrics';
import { ClassificationMetric } from './classificationMetric.js';
import type { TrainingMetric } from './trainingMetric.js';

const common = {
  output: { type: 'string', default: 'logits', description: 'Model output to score (logits or logits_<modality>).' },
  target: { type: 'string', default: 'label', description: 'Target (label field) to compare with.' },
} as const;
const average = { type: 'string', enum: ['macro', 'micro', 'weighted', 'binary'], default: 'macro', description: 'sklearn averaging.' } as const;

type Averaged = (yTrue: number[], yPred: number[], options: { average: 'macro' | 'micro' | 'weighted' | 'binary'; zeroDivision: 0 }) => number;

function registerAveraged(name: string, fn: Averaged, description: string): void {
  if (registry.has('metric', name)) return;
  registry.register({
    kind: 'metric',
    name,
    description,
    schema: { ...common, average },
    create: (c: { output: string; target: string; average: 'macro' | 'micro' | 'weighted' | 'binary' }): TrainingMetric =>
      new ClassificationMetric(c.average === 'macro' ? name : `${name}_${c.average}`, (t, p) => fn(t, p, { average: c.average, zeroDivision: 0 }), c.output, c.target),
  });
}

if (!registry.has('metric', 'accuracy')) {
  registry.register({
    kind: 'metric',
    name: 'accuracy',
    description: 'Fraction of samples classified right (sklearn accuracy_score).',
    schema: { ...common },
    create: (c: { output: string; target: string }): TrainingMetric => new ClassificationMetric('accuracy', (t, p) => accuracyScore(t, p), c.output, c.target),
  });
}
registerAveraged('f1', f1Score as Averaged, 'F1 score, macro-averaged by default (sklearn f1_score; 0/0 counts as 0).');
registerAveraged('precision', precisionScore as Averaged, 'Precision, macro-averaged by default (sklearn precision_score; 0/0 counts as 0).');
registerAveraged('recall', recallScore as Averaged, 'Recall, macro-averaged by default (sklearn recall_score; 0/0 counts as 0).');

/** Builds a metric from its registry name and options (`{ name: 'f1', config: { average: 'macro' } }`). */
export function createMetric(spec: ComponentSpec, path = 'metric'): TrainingMetric {
  return registry.create<TrainingMetric>('metric', spec.name, spec.config ?? {}, path);
}
