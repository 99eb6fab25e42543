import { tf } from '@polyfuse/core';
import { trainingRegistry } from '../trainingRegistry.js';

const learningRate = { type: 'number', default: 0.001, min: 0, description: 'Base learning rate.' } as const;

/** `optimizer/sgd`: tf.train.sgd, or tf.train.momentum when momentum > 0 (Nesterov optional). */
trainingRegistry.register({
  kind: 'optimizer',
  name: 'sgd',
  description: 'Stochastic gradient descent with optional (Nesterov) momentum.',
  schema: {
    learningRate: { ...learningRate, default: 0.01 },
    momentum: { type: 'number', default: 0, min: 0, max: 1 },
    nesterov: { type: 'boolean', default: false },
  },
  create: (c: { learningRate: number; momentum: number; nesterov: boolean }): tf.Optimizer =>
    c.momentum > 0 ? tf.train.momentum(c.learningRate, c.momentum, c.nesterov) : tf.train.sgd(c.learningRate),
});

/** `optimizer/adam`: tf.train.adam (Kingma & Ba 2015). */
trainingRegistry.register({
  kind: 'optimizer',
  name: 'adam',
  description: 'Adam (tf.train.adam).',
  schema: {
    learningRate,
    beta1: { type: 'number', default: 0.9, min: 0, max: 1 },
    beta2: { type: 'number', default: 0.999, min: 0, max: 1 },
    epsilon: { type: 'number', default: 1e-7, min: 0 },
  },
  create: (c: { learningRate: number; beta1: number; beta2: number; epsilon: number }): tf.Optimizer =>
    tf.train.adam(c.learningRate, c.beta1, c.beta2, c.epsilon),
});

/** `optimizer/rmsprop`: tf.train.rmsprop. */
trainingRegistry.register({
  kind: 'optimizer',
  name: 'rmsprop',
  description: 'RMSprop (tf.train.rmsprop).',
  schema: {
    learningRate,
    decay: { type: 'number', default: 0.9, min: 0, max: 1 },
    momentum: { type: 'number', default: 0, min: 0, max: 1 },
  },
  create: (c: { learningRate: number; decay: number; momentum: number }): tf.Optimizer => tf.train.rmsprop(c.learningRate, c.decay, c.momentum),
});
