import { InputError } from '@polyfuse/core';
import { StackingMetaLearner, averagePredictions, majorityVote } from '@polyfuse/fusion';
import { accuracyScore, f1Score } from '@polyfuse/metrics';
import type { MemberPredictions, SplitPredictions } from './memberPredictions.js';

export type EnsembleMethod = 'average' | 'vote' | 'stacking';

/** Accuracy and macro F1 (scikit-learn's `accuracy_score`, `f1_score(average='macro')`) on the shared test samples. */
export interface EnsembleScores {
  accuracy: number;
  f1: number;
}

export interface EnsembleResult {
  method: EnsembleMethod;
  /** Test samples every member scored (the ensemble is scored on these only). */
  testSamples: number;
  /** Validation samples the stacking meta-learner was fitted on. */
  validationSamples?: number;
  ensemble: EnsembleScores;
  members: ({ id: string } & EnsembleScores)[];
}

/**
 * Combines the members' test predictions with @polyfuse/fusion's ensembles:
 * `average` (mean probabilities, then arg-max), `vote` (majority of the
 * members' arg-max classes, ties to the lowest class) or `stacking` (a
 * multinomial logistic regression fitted on the members' predictions for the
 * validation samples they all held out, then applied to the test samples).
 * Members must share their classes, and the ensemble is scored only on test
 * samples every member has in its test split: members whose splits differ
 * (k-fold runs without a split field, runs whose data.split.seed follows
 * training.seed) share few or none, and that is an error naming the fix.
 */
export function combineMembers(members: MemberPredictions[], method: EnsembleMethod): EnsembleResult {
  if (members.length < 2) throw new InputError(`An ensemble needs at least 2 finished runs, got ${members.length}.`);
  const classes = members[0]!.classes;
  for (const m of members) {
    if (JSON.stringify(m.classes) !== JSON.stringify(classes)) throw new InputError(`Run ${m.id} predicts classes ${JSON.stringify(m.classes)}, run ${members[0]!.id} ${JSON.stringify(classes)}: ensemble members must share their classes.`);
  }
  const testIds = sharedIds(members.map((m) => m.test));
  if (testIds.length === 0) {
    throw new InputError(
      'The members share no test sample, so there is nothing to score the ensemble on. Give them one test split: ' +
        'set data.split.seed in the base config (by default the split follows training.seed), or a data.split.field; k-fold members without a split field each test on their own fold.',
    );
  }
  const truth = testIds.map((id) => members[0]!.test.truth.get(id)!);
  const testRows = members.map((m) => testIds.map((id) => m.test.probabilities.get(id)!));
  const score = (predicted: number[]): EnsembleScores => ({ accuracy: accuracyScore(truth, predicted), f1: f1Score(truth, predicted, { average: 'macro', zeroDivision: 0 }) as number });
  const argmax = (rows: number[][]): number[] => rows.map((row) => row.indexOf(Math.max(...row)));
  let predicted: number[];
  let validationSamples: number | undefined;
  if (method === 'average') predicted = argmax(averagePredictions(testRows));
  else if (method === 'vote') predicted = majorityVote(testRows);
  else {
    const validationIds = sharedIds(members.map((m) => m.validation));
    if (validationIds.length === 0) throw new InputError('stacking fits on validation samples every member held out, and the members share none: give them one validation split (data.split.seed, or a split field).');
    const heldOut = Object.fromEntries(members.map((m) => [m.id, validationIds.map((id) => m.validation.probabilities.get(id)!)]));
    const learner = StackingMetaLearner.fit(heldOut, validationIds.map((id) => members[0]!.validation.truth.get(id)!));
    predicted = learner.predict(Object.fromEntries(members.map((m, k) => [m.id, testRows[k]!])));
    validationSamples = validationIds.length;
  }
  return {
    method,
    testSamples: testIds.length,
    ...(validationSamples !== undefined ? { validationSamples } : {}),
    ensemble: score(predicted),
    members: members.map((m, k) => ({ id: m.id, ...score(argmax(testRows[k]!)) })),
  };
}

/** Ids every member predicted (and knows the truth of), in the first member's order. */
function sharedIds(splits: SplitPredictions[]): string[] {
  return [...splits[0]!.probabilities.keys()].filter((id) => splits.every((s) => s.probabilities.has(id) && s.truth.has(id)));
}
