import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SeededRandom } from '@polyfuse/core';
import { SammeBoosting, sammeRound, sammeScores } from './boosting.js';

/** Written by fixtures/generate_samme.py: scikit-learn 1.2's AdaBoostClassifier(algorithm="SAMME") boosting scripted members. */
interface SammeCase {
  name: string;
  numClasses: number;
  labels: number[];
  testLabels: number[];
  /** script[m]: member m's classes on the training samples, then on the test samples. */
  script: number[][];
  maxMembers: number;
  learningRate: number;
  members: number;
  fitWeights: number[][];
  alphas: number[];
  errors: number[];
  predictTrain: number[];
  predictTest: number[];
  probaTest: number[][];
  error?: string;
}
const fixture = JSON.parse(readFileSync(new URL('../../fixtures/samme.json', import.meta.url), 'utf8')) as { cases: SammeCase[] };
const sklearnCase = (name: string) => fixture.cases.find((c) => c.name === name)!;

/** Runs SammeBoosting over a case's scripted members, as scikit-learn does. */
function boostScripted(c: SammeCase): { boosting: SammeBoosting; fitWeights: number[][] } {
  const boosting = new SammeBoosting({ numClasses: c.numClasses, labels: c.labels, maxMembers: c.maxMembers, learningRate: c.learningRate });
  const fitWeights: number[][] = [];
  for (const member of c.script) {
    if (boosting.stopped) break;
    fitWeights.push([...boosting.sampleWeights]);
    boosting.addMember(member.slice(0, c.labels.length));
  }
  return { boosting, fitWeights };
}

describe('sammeRound', () => {
  it('computes the error, α and next weights of a member by hand', () => {
    // K = 3, six samples of weight 1/6, one of them wrong: error 1/6,
    // α = log((5/6)/(1/6)) + log(2) = log 10, the wrong sample's weight ×10:
    // 10/6 against 1/6 each, normalised over 15/6: 2/3 and 1/15.
    const round = sammeRound([1, 1, 1, 1, 1, 1].map((w) => w / 6), [0, 1, 2, 0, 1, 0], [0, 1, 2, 0, 1, 2], 3);
    expect(round.error).toBeCloseTo(1 / 6, 15);
    expect(round.alpha).toBeCloseTo(Math.log(10), 14);
    round.nextWeights.slice(0, 5).forEach((w) => expect(w).toBeCloseTo(1 / 15, 15));
    expect(round.nextWeights[5]).toBeCloseTo(2 / 3, 15);
    // Two classes: log(K − 1) = 0, AdaBoost's α = log((1 − e)/e); learningRate scales α.
    expect(sammeRound([0.25, 0.25, 0.25, 0.25], [0, 1, 1, 1], [0, 1, 1, 0], 2, 0.5).alpha).toBeCloseTo(0.5 * Math.log(3), 15);
  });

  it('says what is wrong with bad input', () => {
    expect(() => sammeRound([0.5, 0.5], [1, 0], [0, 1], 2)).toThrow('sammeRound: the member\'s weighted error 1.000 is not below 1 − 1/K = 0.5000 (K = 2): it is no better than guessing, so SAMME gives it no weight.');
    expect(() => sammeRound([0.5, 0.5], [0], [0, 1], 2)).toThrow('sammeRound: 2 labels, 2 sample weights and 1 predictions; all three must be as long.');
    expect(() => sammeRound([0.5, 0.5], [0, 3], [0, 1], 3)).toThrow('sammeRound: predicted[1] must be a class id in 0..2, got 3.');
    expect(() => sammeRound([0, 0], [0, 1], [0, 1], 2)).toThrow('sammeRound: the sample weights sum to 0.');
    expect(() => sammeRound([1], [0], [0], 1)).toThrow('sammeRound: numClasses must be an integer >= 2, got 1.');
    expect(() => sammeRound([], [], [], 2)).toThrow('sammeRound: no training samples.');
  });
});

describe('SAMME against scikit-learn 1.2 AdaBoostClassifier(algorithm="SAMME")', () => {
  for (const name of ['three-classes', 'three-classes-learning-rate-0.5', 'two-classes', 'ten-classes', 'stops-worse-than-chance', 'stops-perfect-member']) {
    it(`${name}: sample weights, member weights, errors, predict and predict_proba`, () => {
      const c = sklearnCase(name);
      const { boosting, fitWeights } = boostScripted(c);
      expect(boosting.members).toBe(c.members);
      c.fitWeights.forEach((weights, m) => weights.forEach((w, i) => expect(fitWeights[m][i]).toBeCloseTo(w, 12)));
      c.alphas.forEach((a, m) => expect(boosting.alphas[m]).toBeCloseTo(a, 12));
      c.errors.forEach((e, m) => expect(boosting.errors[m]).toBeCloseTo(e, 12));
      const members = c.script.slice(0, c.members);
      expect(boosting.predict(members.map((p) => p.slice(0, c.labels.length)))).toEqual(c.predictTrain);
      const test = members.map((p) => p.slice(c.labels.length));
      expect(boosting.predict(test)).toEqual(c.predictTest);
      boosting.predictProba(test).forEach((row, i) => row.forEach((p, k) => expect(p).toBeCloseTo(c.probaTest[i][k], 12)));
    });
  }

  it('stops for the rules scikit-learn stops for', () => {
    expect(boostScripted(sklearnCase('three-classes')).boosting.stopReason).toBe('max-members');
    expect(boostScripted(sklearnCase('stops-worse-than-chance')).boosting.stopReason).toBe('worse-than-chance');
    expect(boostScripted(sklearnCase('stops-perfect-member')).boosting.stopReason).toBe('perfect-member');
    const refused = sklearnCase('first-member-worse-than-chance');
    expect(refused.error).toMatch(/worse than random/);
    expect(() => boostScripted(refused)).toThrow(
      'SammeBoosting: the first member\'s weighted training error 1.000 is not below 1 − 1/K = 0.6667 (K = 3): it is no better than guessing, so there is nothing to boost. Train a stronger first member.',
    );
  });

  it('beats its members on scripted weak members of 35% accuracy (ten classes)', () => {
    const c = sklearnCase('ten-classes');
    const { boosting } = boostScripted(c);
    const accuracy = (p: number[]) => p.filter((v, i) => v === c.testLabels[i]).length / p.length;
    const test = c.script.map((p) => p.slice(c.labels.length));
    expect(accuracy(boosting.predict(test))).toBeGreaterThan(Math.max(...test.map(accuracy)) + 0.2);
  });
});

/** A weak learner: the best single-feature threshold split, each side predicting its most frequent class. */
function fitStump(x: number[][], y: number[], classes: number): (point: number[]) => number {
  let best = { errors: Infinity, feature: 0, threshold: 0, left: 0, right: 0 };
  for (let f = 0; f < x[0].length; f++) {
    for (const threshold of [...new Set(x.map((p) => p[f]))]) {
      const left = new Array(classes).fill(0);
      const right = new Array(classes).fill(0);
      x.forEach((p, i) => (p[f] <= threshold ? left : right)[y[i]]++);
      const l = left.indexOf(Math.max(...left));
      const r = right.indexOf(Math.max(...right));
      const errors = y.length - left[l] - right[r];
      if (errors < best.errors) best = { errors, feature: f, threshold, left: l, right: r };
    }
  }
  return (p) => (p[best.feature] <= best.threshold ? best.left : best.right);
}

describe('SAMME with resampling', () => {
  it('boosts decision stumps well beyond a single stump on a three-class problem', () => {
    // Three classes in three corners of the unit square with noise; one stump splits off only one class.
    const random = new SeededRandom(3);
    const centres = [[0.2, 0.2], [0.8, 0.2], [0.5, 0.8]];
    const sample = (n: number) => Array.from({ length: n }, () => {
      const label = random.int(3);
      return { label, point: centres[label].map((c) => c + random.normal(0, 0.15)) };
    });
    const train = sample(300);
    const test = sample(300);
    const labels = train.map((s) => s.label);
    const boosting = new SammeBoosting({ numClasses: 3, labels, maxMembers: 15, seed: 1 });
    const stumps: ((point: number[]) => number)[] = [];
    while (!boosting.stopped) {
      const bag = boosting.resample();
      const stump = fitStump(bag.map((i) => train[i].point), bag.map((i) => labels[i]), 3);
      if (boosting.addMember(train.map((s) => stump(s.point)))) stumps.push(stump);
    }
    const accuracy = (predicted: number[]) => predicted.filter((p, i) => p === test[i].label).length / test.length;
    const single = accuracy(test.map((s) => stumps[0](s.point)));
    const boosted = accuracy(boosting.predict(stumps.map((stump) => test.map((s) => stump(s.point)))));
    expect(single).toBeLessThan(0.7);
    expect(boosted).toBeGreaterThan(single + 0.15);
    // Misclassified samples gain weight: the resampled bags lean towards them.
    expect(Math.max(...boosting.sampleWeights)).toBeGreaterThan(3 / labels.length);
  });

  it('draws resamples in proportion to the sample weights, seeded', () => {
    const boosting = new SammeBoosting({ numClasses: 2, labels: [0, 1, 1, 0], seed: 5 });
    boosting.addMember([0, 1, 1, 1]); // sample 3 wrong: error 1/4, α = log 3, its weight 3/6 = 1/2
    expect(boosting.sampleWeights).toEqual([1 / 6, 1 / 6, 1 / 6, 1 / 2].map((w) => expect.closeTo(w, 15)));
    const counts = [0, 0, 0, 0];
    for (let r = 0; r < 2000; r++) for (const i of boosting.resample()) counts[i]++;
    expect(counts[3] / 8000).toBeCloseTo(0.5, 1);
    expect(counts[0] / 8000).toBeCloseTo(1 / 6, 1);
    const again = new SammeBoosting({ numClasses: 2, labels: [0, 1, 1, 0], seed: 5 });
    again.addMember([0, 1, 1, 1]);
    const first = new SammeBoosting({ numClasses: 2, labels: [0, 1, 1, 0], seed: 5 });
    first.addMember([0, 1, 1, 1]);
    expect(again.resample()).toEqual(first.resample());
  });
});

describe('SammeBoosting errors and saving', () => {
  it('says what happened', () => {
    expect(() => new SammeBoosting({ numClasses: 3, labels: [] })).toThrow('SammeBoosting: labels must hold at least one training label.');
    expect(() => new SammeBoosting({ numClasses: 3, labels: [0, 4] })).toThrow('SammeBoosting: labels[1] must be a class id in 0..2, got 4.');
    expect(() => new SammeBoosting({ numClasses: 3, labels: [0], maxMembers: 0 })).toThrow('SammeBoosting: maxMembers must be an integer >= 1, got 0.');
    const boosting = new SammeBoosting({ numClasses: 3, labels: [0, 1, 2], maxMembers: 1 });
    expect(() => boosting.predict([[0, 1, 2]])).toThrow('SammeBoosting: no member has been added yet.');
    expect(() => boosting.addMember([0, 1])).toThrow('SammeBoosting.addMember: got 2 predictions for 3 training samples.');
    boosting.addMember([0, 1, 1]);
    expect(boosting.stopReason).toBe('max-members');
    expect(() => boosting.addMember([0, 1, 2])).toThrow('SammeBoosting.addMember: boosting has stopped (max-members) with 1 member(s); train no further member.');
    expect(() => boosting.predict([[0, 1, 2], [0, 1, 2]])).toThrow('SammeBoosting: got the predictions of 2 members; the ensemble has 1 (rejected members are not part of it).');
    expect(() => sammeScores([], [], 3)).toThrow('sammeScores: a boosted ensemble needs at least one member.');
    expect(() => sammeScores([[0, 1], [0]], [1, 1], 3)).toThrow('sammeScores: member 1 predicts 1 samples; member 0 predicts 2.');
    expect(() => SammeBoosting.fromJSON({ numClasses: 3, learningRate: 1, alphas: [], errors: [], stopReason: null })).toThrow(/not a saved ensemble/);
  });

  it('restores a saved ensemble that predicts the same', () => {
    const c = sklearnCase('three-classes');
    const { boosting } = boostScripted(c);
    const restored = SammeBoosting.fromJSON(JSON.parse(JSON.stringify(boosting)));
    const test = c.script.map((p) => p.slice(c.labels.length));
    expect(restored.predictProba(test)).toEqual(boosting.predictProba(test));
    expect(restored.stopReason).toBe('max-members');
  });
});
