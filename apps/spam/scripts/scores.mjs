/**
 * The four numbers of every README row, from the probability of spam of each
 * email: accuracy and F1 of the spam class at threshold 0.5, ROC-AUC and
 * average precision of the ranking (@polyfuse/metrics, scikit-learn 1.2
 * semantics: `f1_score(pos_label=1)`, `roc_auc_score`, `average_precision_score`).
 */
import { accuracyScore, averagePrecisionScore, f1Score, rocAucScore } from '@polyfuse/metrics';

/** `labels`: 'spam' / 'ham' per email; `pSpam`: the model's probability of spam per email. */
export function scoreSpam(labels, pSpam) {
  if (labels.length !== pSpam.length) throw new Error(`scoreSpam: ${labels.length} labels but ${pSpam.length} scores.`);
  const yTrue = labels.map((l) => (l === 'spam' ? 1 : 0));
  const yPred = pSpam.map((p) => (p >= 0.5 ? 1 : 0));
  return {
    emails: labels.length,
    spam: yTrue.reduce((s, y) => s + y, 0),
    accuracy: accuracyScore(yTrue, yPred),
    f1: f1Score(yTrue, yPred, { average: 'binary', posLabel: 1 }),
    rocAuc: rocAucScore(yTrue, pSpam),
    averagePrecision: averagePrecisionScore(yTrue, pSpam, { posLabel: 1 }),
  };
}

/** Reads a JSONL file into its rows. */
export async function readJsonl(file) {
  const { promises: fs } = await import('node:fs');
  return (await fs.readFile(file, 'utf8')).split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
}
