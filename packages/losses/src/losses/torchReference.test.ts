import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tf, initBackend } from '@polyfuse/core';
import {
  bceWithLogitsLoss,
  clipContrastiveLoss,
  cosineEmbeddingLoss,
  crossEntropyLoss,
  huberLoss,
  klDivLoss,
  l1Loss,
  mseLoss,
  nllLoss,
  sequenceCrossEntropy,
  sigmoidFocalLoss,
  smoothL1Loss,
  tripletMarginLoss,
} from '../index.js';

/** Fixtures written by fixtures/generate.py from torch 1.13 / torchvision 0.14. */
interface TensorJson {
  shape: number[];
  dtype: 'float32' | 'int32';
  data: number[];
}
interface Case {
  name: string;
  fn: string;
  args: TensorJson[];
  options: Record<string, unknown>;
  output: TensorJson;
  cotangent: TensorJson;
  gradArgs: number[];
  grads: TensorJson[];
}
const fixtures = JSON.parse(readFileSync(new URL('../../fixtures/losses.json', import.meta.url), 'utf8')) as {
  torch: string;
  cases: Case[];
};

type AnyLoss = (...args: any[]) => tf.Tensor;
const functions: Record<string, AnyLoss> = {
  mseLoss,
  l1Loss,
  huberLoss,
  smoothL1Loss,
  bceWithLogitsLoss,
  crossEntropyLoss,
  nllLoss,
  klDivLoss,
  cosineEmbeddingLoss,
  tripletMarginLoss,
  sigmoidFocalLoss,
  clipContrastiveLoss,
  sequenceCrossEntropy,
};

const toTensor = (t: TensorJson) => tf.tensor(t.data, t.shape, t.dtype);

/** Options as the TypeScript API takes them: tensor-valued options arrive as TensorJson. */
function toOptions(options: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(options).map(([k, v]) => [k, v && typeof v === 'object' && 'data' in v ? toTensor(v as TensorJson) : v]),
  );
}

/** float32 against float64 references: relative 1e-4 plus an absolute floor scaled to the magnitude. */
function expectClose(actual: ArrayLike<number>, expected: number[], what: string): void {
  expect(actual.length, what).toBe(expected.length);
  const scale = Math.max(1, ...expected.map(Math.abs));
  for (let i = 0; i < expected.length; i++) {
    const tolerance = 1e-5 * scale + 1e-4 * Math.abs(expected[i]);
    if (!(Math.abs(actual[i] - expected[i]) <= tolerance)) {
      throw new Error(`${what}[${i}]: got ${actual[i]}, torch ${expected[i]} (tolerance ${tolerance})`);
    }
  }
}

function checkCase(c: Case): void {
  const fn = functions[c.fn];
  expect(fn, `function ${c.fn}`).toBeDefined();
  const args = c.args.map(toTensor);
  const options = toOptions(c.options);
  const call = (...xs: tf.Tensor[]) => (c.fn === 'clipContrastiveLoss' ? fn(...xs) : fn(...xs, options));
  const output = call(...args);
  expect(output.shape, `${c.name} output shape`).toEqual(c.output.shape);
  expectClose(output.dataSync(), c.output.data, `${c.name} value`);

  const cotangent = toTensor(c.cotangent);
  const f = (...differentiated: tf.Tensor[]) => {
    const full = [...args];
    c.gradArgs.forEach((argIndex, k) => (full[argIndex] = differentiated[k]));
    return call(...full).mul(cotangent).sum();
  };
  const grads = tf.grads(f)(c.gradArgs.map((i) => args[i]));
  grads.forEach((g, k) => {
    const data = g.dataSync();
    expect(data.every(Number.isFinite), `${c.name} grad ${k} finite`).toBe(true);
    expectClose(data, c.grads[k].data, `${c.name} grad of arg ${c.gradArgs[k]}`);
  });
  tf.dispose([...args, output, cotangent, ...grads, ...Object.values(options).filter((v) => v instanceof tf.Tensor)] as tf.Tensor[]);
}

for (const backend of ['wasm', 'cpu'] as const) {
  describe(`losses match torch ${fixtures.torch} on the ${backend} backend`, () => {
    beforeAll(async () => {
      await initBackend({ backend, log: null });
    });
    afterAll(async () => {
      await initBackend({ log: null });
    });

    const byFunction = new Map<string, Case[]>();
    for (const c of fixtures.cases) byFunction.set(c.fn, [...(byFunction.get(c.fn) ?? []), c]);
    for (const [fn, cases] of byFunction) {
      it(`${fn}: values and gradients of ${cases.length} cases`, () => {
        const before = tf.memory().numTensors;
        for (const c of cases) checkCase(c);
        expect(tf.memory().numTensors).toBe(before);
      });
    }
  });
}
