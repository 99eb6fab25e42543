import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { initBackend, tf, ConfigError } from '@polyfuse/core';
import { createOptimizer, Sgd, Adam, AdamW, Rmsprop, type Optimizer } from '../index.js';

/** torch 1.13 trajectories written by fixtures/generate.py. */
const fixture = JSON.parse(readFileSync(new URL('../../fixtures/optimizers.json', import.meta.url), 'utf8')) as {
  start: number[];
  target: number[];
  weight: number[];
  cases: Record<string, { kwargs: Record<string, unknown>; trajectory: number[][] }>;
};

function fromTorch(name: string, kwargs: Record<string, any>): Optimizer {
  const lr = kwargs.lr as number;
  const wd = kwargs.weight_decay ?? 0;
  if (name.startsWith('sgd')) return new Sgd({ learningRate: lr, momentum: kwargs.momentum ?? 0, dampening: kwargs.dampening ?? 0, nesterov: kwargs.nesterov ?? false, weightDecay: wd });
  if (name === 'adam') return new Adam({ learningRate: lr, beta1: kwargs.betas[0], beta2: kwargs.betas[1], epsilon: kwargs.eps, weightDecay: wd });
  if (name === 'adamw') return new AdamW({ learningRate: lr, beta1: kwargs.betas[0], beta2: kwargs.betas[1], epsilon: kwargs.eps, weightDecay: wd });
  return new Rmsprop({ learningRate: lr, alpha: kwargs.alpha, epsilon: kwargs.eps, momentum: kwargs.momentum ?? 0, centered: kwargs.centered ?? false, weightDecay: wd });
}

function startVariable(): tf.Variable {
  return tf.tidy(() => tf.variable(tf.tensor1d(fixture.start)));
}

function run(optimizer: Optimizer, steps: number, p: tf.Variable): number[][] {
  const t = tf.tensor1d(fixture.target);
  const w = tf.tensor1d(fixture.weight);
  const out: number[][] = [];
  for (let i = 0; i < steps; i++) {
    const { value, grads } = tf.variableGrads(() => w.mul(p.sub(t).square()).sum().add(p.pow(3).sum().mul(0.1)) as tf.Scalar, [p]);
    optimizer.apply([{ key: 'p', variable: p, gradient: grads[p.name] }]);
    tf.dispose([value, ...Object.values(grads)]);
    out.push(Array.from(p.dataSync()));
  }
  tf.dispose([t, w]);
  return out;
}

describe('optimizers match torch.optim 1.13', () => {
  beforeAll(async () => {
    await initBackend({ log: null });
  });

  for (const [name, { kwargs, trajectory }] of Object.entries(fixture.cases)) {
    it(name, () => {
      const before = tf.memory().numTensors;
      const optimizer = fromTorch(name, kwargs);
      const p = startVariable();
      const got = run(optimizer, trajectory.length, p);
      got.forEach((step, i) => step.forEach((v, j) => expect(v).toBeCloseTo(trajectory[i][j], 4)));
      optimizer.dispose();
      p.dispose();
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  it('continues identically after its state is saved and restored', () => {
    const { kwargs, trajectory } = fixture.cases.adam;
    const first = fromTorch('adam', kwargs);
    const p = startVariable();
    run(first, 3, p);
    const state = first.getState();
    const second = fromTorch('adam', kwargs);
    second.setState(state);
    first.dispose();
    const rest = run(second, 3, p);
    rest.forEach((step, i) => step.forEach((v, j) => expect(v).toBeCloseTo(trajectory[i + 3][j], 4)));
    second.dispose();
    p.dispose();
  });

  it('scales the learning rate per variable and is built from the registry', () => {
    const optimizer = createOptimizer({ name: 'sgd', config: { learningRate: 0.5 } });
    const a = tf.variable(tf.scalar(1));
    const b = tf.variable(tf.scalar(1));
    const g = tf.scalar(1);
    optimizer.apply([
      { key: 'a', variable: a, gradient: g },
      { key: 'b', variable: b, gradient: g, learningRateScale: 0.1 },
    ]);
    expect(a.dataSync()[0]).toBeCloseTo(0.5);
    expect(b.dataSync()[0]).toBeCloseTo(0.95);
    expect(createOptimizer({ name: 'adamw' })).toBeInstanceOf(AdamW);
    expect((createOptimizer({ name: 'adamw' }) as AdamW).options.weightDecay).toBe(0.01);
    expect(() => createOptimizer({ name: 'adam', config: { learningRate: -1 } })).toThrow(/optimizer\.learningRate must be a number >= 0/);
    expect(() => createOptimizer({ name: 'lamb' })).toThrow(/Unknown optimizer 'lamb'. Registered optimizer names: adam, adamw, rmsprop, sgd/);
    expect(() => new Sgd({ learningRate: 0.1, nesterov: true })).toThrow(ConfigError);
    tf.dispose([a, b, g]);
  });
});

describe('Adam and AdamW on the compiled wasm kernel', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm', log: null });
  });

  /** Five steps on 1,003 weights (the last three past the SIMD lanes) with random gradients; the weights and moments after each. */
  function trajectory(make: () => Optimizer, jsKernels: boolean): number[][] {
    const previous = process.env.POLYFUSE_WASM_JS_KERNELS;
    if (jsKernels) process.env.POLYFUSE_WASM_JS_KERNELS = 'Adam';
    try {
      const optimizer = make();
      const p = tf.tidy(() => tf.variable(tf.randomUniform([1003], -1, 1, 'float32', 3)));
      const out: number[][] = [];
      for (let step = 0; step < 5; step++) {
        const gradient = tf.randomNormal([1003], 0, 1, 'float32', 10 + step);
        optimizer.apply([{ key: 'p', variable: p, gradient }]);
        gradient.dispose();
        const state = optimizer.getState();
        out.push([...p.dataSync(), ...state.slots['p/m']!.dataSync(), ...state.slots['p/v']!.dataSync()]);
      }
      optimizer.dispose();
      p.dispose();
      return out;
    } finally {
      if (previous === undefined) delete process.env.POLYFUSE_WASM_JS_KERNELS;
      else process.env.POLYFUSE_WASM_JS_KERNELS = previous;
    }
  }

  it.each([
    { name: 'adam', make: () => new Adam({ learningRate: 0.01 }) },
    { name: 'adam with an L2 term', make: () => new Adam({ learningRate: 0.01, weightDecay: 0.1 }) },
    { name: 'adamw', make: () => new AdamW({ learningRate: 0.01, weightDecay: 0.05, beta1: 0.8 }) },
  ])('$name gives the tensor ops’ values to the bit', ({ make }) => {
    const before = tf.memory().numTensors;
    const compiled = trajectory(make, false);
    const ops = trajectory(make, true);
    expect(compiled).toEqual(ops);
    expect(tf.memory().numTensors).toBe(before);
  });
});
