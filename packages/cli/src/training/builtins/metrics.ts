import { trainingRegistry } from '../trainingRegistry.js';
import type { ClassificationMetric } from '../contracts.js';
import { confusionMatrix } from '../confusionMatrix.js';

/** `metric/accuracy`: fraction of exact matches (sklearn.metrics.accuracy_score). */
trainingRegistry.register({
  kind: 'metric',
  name: 'accuracy',
  description: 'Fraction of correct predictions (sklearn accuracy_score).',
  schema: {},
  create: (): ClassificationMetric => ({
    higherIsBetter: true,
    compute: ({ yTrue, yPred }) => {
      if (yTrue.length === 0) return Number.NaN;
      let correct = 0;
      for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) correct++;
      return correct / yTrue.length;
    },
  }),
});

/**
 * `metric/macro-f1`: unweighted mean of per-class F1 over the classes present
 * in y_true or y_pred, a class with no true and no predicted samples skipped and
 * 0/0 counted as 0 (sklearn.metrics.f1_score(average='macro', zero_division=0)).
 */
trainingRegistry.register({
  kind: 'metric',
  name: 'macro-f1',
  description: 'Macro-averaged F1 (sklearn f1_score average="macro", zero_division=0).',
  schema: {},
  create: (): ClassificationMetric => ({
    higherIsBetter: true,
    compute: ({ yTrue, yPred, numClasses }) => {
      if (yTrue.length === 0) return Number.NaN;
      const matrix = confusionMatrix(yTrue, yPred, numClasses);
      let sum = 0;
      let counted = 0;
      for (let c = 0; c < numClasses; c++) {
        const truePositive = matrix[c][c];
        const actual = matrix[c].reduce((a, b) => a + b, 0);
        const predicted = matrix.reduce((a, row) => a + row[c], 0);
        if (actual === 0 && predicted === 0) continue;
        sum += (2 * truePositive) / (actual + predicted);
        counted++;
      }
      return counted === 0 ? 0 : sum / counted;
    },
  }),
});
