import { initBackend, tf } from '@polyfuse/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { StreamingClassificationMetrics, StreamingRetrieval, StreamingRocAuc, rocAucScore } from '../index.js';

// The streaming metrics read TensorFlow.js tensors through arraySync() without importing tfjs.
describe('streaming metrics accept TensorFlow.js tensors', () => {
  beforeAll(async () => {
    await initBackend({ log: null });
  });

  it('reads labels, logits and scores from tensors without leaking or disposing them', () => {
    const before = tf.memory().numTensors;
    const labels = tf.tensor1d([0, 2, 1, 1], 'int32');
    const logits = tf.tensor2d([[3, 1, 0], [0, 1, 4], [0, 2, 1], [1, 0, 0]]);
    const metric = new StreamingClassificationMetrics({ labels: [0, 1, 2], average: 'micro' });
    metric.update(labels, logits);
    expect(metric.compute().accuracy).toBe(0.75);

    const yTrue = tf.tensor1d([0, 1, 1, 0, 1], 'int32');
    const yScore = tf.tensor1d([0.1, 0.9, 0.4, 0.35, 0.8]);
    const auc = new StreamingRocAuc();
    auc.update(yTrue, yScore);
    expect(auc.compute()).toBeCloseTo(rocAucScore([0, 1, 1, 0, 1], Array.from(yScore.dataSync())), 15);

    const retrieval = new StreamingRetrieval();
    const eye = tf.eye(3);
    retrieval.update(eye, eye);
    expect(retrieval.compute().rowToColumn.recallAtK[1]).toBe(1);
    tf.dispose([labels, logits, yTrue, yScore, eye]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
