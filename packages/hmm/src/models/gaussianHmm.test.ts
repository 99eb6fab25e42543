import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { InputError } from '@polyfuse/core';
import { GaussianHmm, baumWelchStep, emissionFromJson, toFrameMatrix, type EmissionJson, type GaussianHmmJson } from '../index.js';

interface ReferenceCase {
  name: string;
  model: { startProbabilities: number[]; transitions: number[][]; states: EmissionJson[] };
  sequences: number[][][];
  logLikelihoods: number[];
  viterbiPaths: number[][];
  viterbiLogProbabilities: number[];
  baumWelch: { logLikelihood: number; updated: { startProbabilities: number[]; transitions: number[][]; states: EmissionJson[] } };
}

// Written by fixtures/generate-reference.py with pomegranate 0.14.8 (settings and their meaning are in that file).
const reference = JSON.parse(readFileSync(new URL('../../fixtures/reference.json', import.meta.url), 'utf8')) as { pomegranate: string; cases: ReferenceCase[] };

const build = (c: ReferenceCase['model']) => new GaussianHmm({ startProbabilities: c.startProbabilities, transitions: c.transitions, states: c.states.map((s) => emissionFromJson(s)) });

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number, what: string) {
  expect(actual.length, what).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const scale = Math.max(1, Math.abs(expected[i]!));
    expect(Math.abs(actual[i]! - expected[i]!) / scale, `${what}[${i}]: ${actual[i]} vs ${expected[i]}`).toBeLessThan(tolerance);
  }
}

function expectSameEmission(actual: EmissionJson, expected: EmissionJson, what: string) {
  expect(actual.type, what).toBe(expected.type);
  if (actual.type === 'diagonal-gaussian' && expected.type === 'diagonal-gaussian') {
    expectClose(actual.means, expected.means, 1e-6, `${what} means`);
    expectClose(actual.variances, expected.variances, 1e-6, `${what} variances`);
  } else if (actual.type === 'gaussian-mixture' && expected.type === 'gaussian-mixture') {
    expectClose(actual.weights, expected.weights, 1e-6, `${what} weights`);
    actual.components.forEach((c, k) => expectSameEmission(c, expected.components[k]!, `${what} component ${k}`));
  }
}

describe('GaussianHmm against pomegranate 0.14', () => {
  it('uses the committed reference', () => {
    expect(reference.pomegranate).toBe('0.14.8');
    expect(reference.cases.map((c) => c.name)).toEqual(['two-state-1d-ergodic', 'three-state-3d-left-right', 'four-state-2d-ergodic', 'two-state-2d-mixture']);
  });

  for (const c of reference.cases) {
    describe(c.name, () => {
      const model = build(c.model);

      it('gives the same forward log-likelihoods', () => {
        expectClose(c.sequences.map((s) => model.logLikelihood(s)), c.logLikelihoods, 1e-9, 'log p(o)');
      });

      it('finds the same Viterbi paths and path log-probabilities', () => {
        c.sequences.forEach((s, i) => {
          const { path, logProbability } = model.viterbi(s);
          expect(Array.from(path), `sequence ${i}`).toEqual(c.viterbiPaths[i]);
          expectClose([logProbability], [c.viterbiLogProbabilities[i]!], 1e-9, `viterbi log p, sequence ${i}`);
        });
      });

      it('makes the same Baum-Welch update (no floors, no pseudocounts)', () => {
        const observations = c.sequences.map((s) => toFrameMatrix(s));
        const step = baumWelchStep(model, observations, new Float64Array(model.dim));
        expectClose([step.logLikelihood], [c.baumWelch.logLikelihood], 1e-9, 'total log-likelihood');
        const updated = step.model.toJSON();
        const expected = c.baumWelch.updated;
        expectClose(updated.startProbabilities, expected.startProbabilities, 1e-6, 'starts');
        updated.transitions.forEach((row, i) => expectClose(row, expected.transitions[i]!, 1e-6, `transition row ${i}`));
        updated.states.forEach((s, j) => expectSameEmission(s, expected.states[j]!, `state ${j}`));
      });
    });
  }
});

describe('GaussianHmm', () => {
  const json: GaussianHmmJson = {
    format: 'polyfuse-hmm',
    version: 1,
    type: 'gaussian-hmm',
    startProbabilities: [1, 0],
    transitions: [[0.5, 0.5], [0, 1]],
    states: [
      { type: 'diagonal-gaussian', means: [0, 0], variances: [1, 1] },
      { type: 'diagonal-gaussian', means: [3, 3], variances: [1, 1] },
    ],
  };

  it('saves to JSON and loads back to identical scores', () => {
    const model = GaussianHmm.fromJSON(json);
    const restored = GaussianHmm.fromJSON(JSON.parse(JSON.stringify(model.toJSON())));
    const sequence = [[0.1, -0.2], [2.9, 3.3], [3.1, 2.8]];
    expect(restored.logLikelihood(sequence)).toBe(model.logLikelihood(sequence));
    expect(Array.from(restored.viterbi(sequence).path)).toEqual([0, 1, 1]);
  });

  it('names what is wrong with bad input', () => {
    const model = GaussianHmm.fromJSON(json);
    expect(() => model.logLikelihood([])).toThrow(/sequence is empty/);
    expect(() => model.logLikelihood([[1, 2, 3]])).toThrow(/sequence dim mismatch, frames have 3 values but the model expects 2/);
    expect(() => model.logLikelihood([[1, 2], [3]])).toThrow(/frame 1 has 1 dims but frame 0 has 2/);
    expect(() => model.logLikelihood([[1, NaN]])).toThrow(/frame 0, dim 1 is NaN/);
    expect(() => GaussianHmm.fromJSON({ ...json, transitions: [[0.5, 0.6], [0, 1]] })).toThrow(/transition row 0 must sum to 1, got 1.1/);
    expect(() => GaussianHmm.fromJSON({ ...json, states: [json.states[0]!] })).toThrow(/1 emission models for 2 states/);
    expect(() => GaussianHmm.fromJSON({ ...json, states: [json.states[0]!, { type: 'diagonal-gaussian', means: [0], variances: [0] }] })).toThrow(InputError);
    expect(() => GaussianHmm.fromJSON({ ...json, type: 'hmm' } as unknown as GaussianHmmJson)).toThrow(/expected \{ format: 'polyfuse-hmm', type: 'gaussian-hmm' \}/);
  });

  it('keeps zero transitions at zero through Baum-Welch (a left-right model stays left-right)', () => {
    const model = GaussianHmm.fromJSON(json);
    const sequences = [[[0, 0.2], [0.1, -0.1], [3, 2.9]], [[-0.3, 0.1], [2.8, 3.2], [3.1, 3]]].map((s) => toFrameMatrix(s));
    const { model: updated } = baumWelchStep(model, sequences, new Float64Array(2).fill(1e-3));
    expect(updated.transitions[2]).toBe(0); // state 1 -> state 0
    expect(updated.startProbabilities[1]).toBe(0);
    expect(updated.transitions[3]).toBe(1);
  });
});
