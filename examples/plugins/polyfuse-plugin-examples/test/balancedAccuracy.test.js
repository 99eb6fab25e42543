import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { BalancedAccuracyMetric, balancedAccuracyScore } from '../src/balancedAccuracy.js';

test("matches scikit-learn's documented example", () => {
  // sklearn.metrics.balanced_accuracy_score([0, 1, 0, 0, 1, 0], [0, 1, 0, 0, 0, 1]) == 0.625
  assert.equal(balancedAccuracyScore([0, 1, 0, 0, 1, 0], [0, 1, 0, 0, 0, 1]), 0.625);
  // adjusted=True: (0.625 - 1/2) / (1 - 1/2)
  assert.equal(balancedAccuracyScore([0, 1, 0, 0, 1, 0], [0, 1, 0, 0, 0, 1], { adjusted: true }), 0.25);
});

test('leaves out a class that is only predicted, as scikit-learn does', () => {
  // Class 2 never occurs in yTrue: the mean is over the recalls of classes 0 and 1 (1 and 0.5).
  assert.equal(balancedAccuracyScore([0, 0, 1, 1], [0, 0, 1, 2]), 0.75);
});

test('streams over batches to the same number', () => {
  const metric = new BalancedAccuracyMetric({ output: 'logits', target: 'label', adjusted: false });
  const oneHot = (classes) => tf.oneHot(tf.tensor1d(classes, 'int32'), 2);
  metric.update(oneHot([0, 1, 0]), tf.tensor1d([0, 1, 0], 'int32'));
  metric.update(oneHot([0, 0, 1]), tf.tensor1d([0, 1, 0], 'int32'));
  assert.equal(metric.name, 'balanced_accuracy');
  assert.equal(metric.compute(), 0.625);
  metric.reset();
  assert.throws(() => metric.compute(), /no samples were seen/);
});

test('names its variant and output in the logged name', () => {
  assert.equal(new BalancedAccuracyMetric({ output: 'logits_image', target: 'label', adjusted: true }).name, 'balanced_accuracy_adjusted_logits_image');
});
