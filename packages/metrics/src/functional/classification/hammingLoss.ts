import { checkTargets } from './targets.js';

/**
 * Fraction of wrong labels, as scikit-learn 1.2 `hamming_loss`: for
 * multilabel rows, wrong entries / (samples × labels); otherwise the fraction
 * of samples with a wrong label (1 − accuracy).
 */
export function hammingLoss(yTrue: readonly unknown[], yPred: readonly unknown[]): number {
  const checked = checkTargets(yTrue, yPred);
  let wrong = 0;
  if (checked.type === 'multilabel') {
    for (let i = 0; i < checked.yTrue.length; i++) {
      const a = checked.yTrue[i];
      const b = checked.yPred[i];
      for (let j = 0; j < a.length; j++) if (a[j] !== b[j]) wrong++;
    }
    return wrong / (checked.yTrue.length * checked.nLabels);
  }
  for (let i = 0; i < checked.yTrue.length; i++) if (checked.yTrue[i] !== checked.yPred[i]) wrong++;
  return wrong / checked.yTrue.length;
}
