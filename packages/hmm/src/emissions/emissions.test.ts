import { describe, expect, it } from 'vitest';
import { DiagonalGaussian, GaussianMixture, emissionFromJson } from '../index.js';

describe('emissions', () => {
  it('DiagonalGaussian is a product of univariate normals', () => {
    const g = new DiagonalGaussian([1, -2], [4, 0.25]);
    const x = Float64Array.from([2, -1.5]);
    const expected = -0.5 * (Math.log(2 * Math.PI * 4) + 1 / 4) - 0.5 * (Math.log(2 * Math.PI * 0.25) + 0.25 / 0.25);
    expect(g.logDensity(x, 0)).toBeCloseTo(expected, 14);
  });

  it('GaussianMixture adds weighted component densities', () => {
    const a = new DiagonalGaussian([0], [1]);
    const b = new DiagonalGaussian([3], [2]);
    const mixture = new GaussianMixture([0.3, 0.7], [a, b]);
    const x = Float64Array.from([1]);
    expect(mixture.logDensity(x, 0)).toBeCloseTo(Math.log(0.3 * Math.exp(a.logDensity(x, 0)) + 0.7 * Math.exp(b.logDensity(x, 0))), 14);
    const r = mixture.responsibilities(x, 0);
    expect(r[0]! + r[1]!).toBeCloseTo(1, 14);
    expect(emissionFromJson(JSON.parse(JSON.stringify(mixture.toJSON()))).logDensity(x, 0)).toBe(mixture.logDensity(x, 0));
  });

  it('re-estimates from weighted frames, keeping parameters when there is no weight', () => {
    const g = new DiagonalGaussian([0], [1]);
    const acc = g.createAccumulator();
    const frames = Float64Array.from([1, 3, 5]);
    acc.add(frames, 0, 1);
    acc.add(frames, 1, 1);
    acc.add(frames, 2, 2);
    const updated = acc.estimate(Float64Array.from([0]));
    expect((updated as DiagonalGaussian).means[0]).toBeCloseTo(3.5, 14); // (1 + 3 + 10) / 4
    expect((updated as DiagonalGaussian).variances[0]).toBeCloseTo((1 + 9 + 50) / 4 - 3.5 ** 2, 12);
    expect(g.createAccumulator().estimate(Float64Array.from([0]))).toBe(g);
  });

  it('names bad parameters', () => {
    expect(() => new DiagonalGaussian([0, 0], [1])).toThrow(/2 means but 1 variances/);
    expect(() => new DiagonalGaussian([0], [-1])).toThrow(/variance of dim 0 must be a positive finite number, got -1/);
    expect(() => new GaussianMixture([0.5, 0.6], [new DiagonalGaussian([0], [1]), new DiagonalGaussian([1], [1])])).toThrow(/weights must sum to 1, got 1.1/);
    expect(() => new GaussianMixture([1], [new DiagonalGaussian([0, 1], [1, 1]), new DiagonalGaussian([1], [1])])).toThrow(/1 weights for 2 components/);
    expect(() => emissionFromJson({ type: 'full-gaussian' } as never)).toThrow(/unknown emission type "full-gaussian"/);
  });
});
