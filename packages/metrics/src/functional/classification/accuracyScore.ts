import { checkTargets } from './targets.js';

/**
 * Fraction of samples predicted exactly right, as scikit-learn 1.2
 * `accuracy_score(y_true, y_pred)`. For multilabel 0/1 rows this is subset
 * accuracy: a sample counts only if every label matches.
 */
export function accuracyScore(yTrue: readonly unknown[], yPred: readonly unknown[]): number {
  const checked = checkTargets(yTrue, yPred);
  let correct = 0;
  if (checked.type === 'multilabel') {
    for (let i = 0; i < checked.yTrue.length; i++) {
      const a = checked.yTrue[i];
      const b = checked.yPred[i];
      let same = true;
      for (let j = 0; j < a.length && same; j++) same = a[j] === b[j];
      if (same) correct++;
    }
  } else {
    for (let i = 0; i < checked.yTrue.length; i++) if (checked.yTrue[i] === checked.yPred[i]) correct++;
  }
  return correct / checked.yTrue.length;
}
