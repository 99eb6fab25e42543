import { beforeAll, describe, expect, it } from 'vitest';
import { tf, initBackend, registry } from '@polyfuse/core';
import { mseLoss, type WeightingStrategy } from './index.js';

describe('weighting strategies in the registry', () => {
  beforeAll(async () => {
    await initBackend({ log: null });
  });

  it('registers every strategy on import', () => {
    expect(registry.list('weighting')).toEqual(
      expect.arrayContaining(['static', 'uncertainty', 'dwa', 'gradnorm', 'pcgrad', 'mgda', 'ogm-ge']),
    );
    expect(() => registry.create('weighting', 'dwa', { temperatur: 2 })).toThrow(/weighting\/dwa\.temperatur is not a known option/);
  });

  it.each(['static', 'uncertainty', 'dwa', 'gradnorm', 'pcgrad', 'mgda', 'ogm-ge'])(
    '%s: same live-tensor count across repeated computeGradients calls, and JSON state round trip',
    (name) => {
      const shared = tf.variable(tf.tensor1d([0.3, -0.2, 0.1]), true, `leak_${name}_shared`);
      const headA = tf.variable(tf.scalar(0.5), true, `leak_${name}_a`);
      const headB = tf.variable(tf.scalar(-0.5), true, `leak_${name}_b`);
      const x = tf.tensor2d([[1, 2, 3], [0, 1, -1]]);
      const terms = {
        a: () => mseLoss(x.matMul(shared.expandDims(1)).squeeze().mul(headA), tf.tensor1d([1, 0])),
        b: () => mseLoss(x.matMul(shared.expandDims(1)).squeeze().mul(headB), tf.tensor1d([0, 1])),
      };
      const context = {
        variables: [shared, headA, headB],
        sharedVariables: [shared],
        modalityVariables: { image: [headA], text: [headB] },
        modalityScores: { image: 2, text: 1 },
        step: 0,
        epoch: 0,
      };
      const strategy = registry.create<WeightingStrategy>('weighting', name, {});
      // The first call may create the strategy's own variables.
      tf.dispose(Object.values(strategy.computeGradients(terms, context).grads));
      const before = tf.memory().numTensors;
      for (let step = 1; step <= 4; step++) {
        const result = strategy.computeGradients(terms, { ...context, step });
        for (const v of [...context.variables, ...strategy.variables]) {
          expect(result.grads[v.name], `${name}: gradient for ${v.name}`).toBeDefined();
          expect(Array.from(result.grads[v.name].dataSync()).every(Number.isFinite)).toBe(true);
        }
        expect(Object.keys(result.weights).sort()).toEqual(['a', 'b']);
        expect(Number.isFinite(result.total)).toBe(true);
        tf.dispose(Object.values(result.grads));
        strategy.endEpoch?.({ a: 1 / step, b: 1 });
      }
      expect(tf.memory().numTensors).toBe(before);
      const state = JSON.parse(JSON.stringify(strategy.getState()));
      const copy = registry.create<WeightingStrategy>('weighting', name, {});
      copy.setState(state);
      expect(copy.getState()).toEqual(state);
      tf.dispose([shared, headA, headB, x, ...strategy.variables, ...copy.variables]);
    },
  );
});
