import { InputError } from '@polyfuse/core';

/** Noise levels MultiBench evaluates: 0, 0.1, ..., 1. */
export const defaultNoiseLevels: number[] = Array.from({ length: 11 }, (_, i) => Math.round(i * 10) / 100);

/**
 * Relative robustness (MultiBench, Liang et al. 2021, `eval_scripts/robustness.py`,
 * `relative_robustness_helper`): the area under the metric-vs-noise-level
 * curve by the trapezoid rule. MultiBench uses a fixed step of 0.1 between
 * consecutive levels; we use the actual level spacing, which is the same for
 * the default levels 0, 0.1, ..., 1. Higher is better; a model at accuracy 1
 * on every level scores 1.
 */
export function relativeRobustness(values: number[], levels: number[] = defaultNoiseLevels): number {
  if (values.length !== levels.length) throw new InputError(`relativeRobustness: ${values.length} values for ${levels.length} levels.`);
  let area = 0;
  for (let i = 0; i + 1 < values.length; i++) area += ((values[i] + values[i + 1]) / 2) * (levels[i + 1] - levels[i]);
  return area;
}

/**
 * Effective robustness (MultiBench, `effective_robustness_helper`): the
 * curve's total gain over a baseline curve shifted to start at the same
 * clean value, `Σ_l [f(l) - (b(l) + f(0) - b(0))]`. MultiBench's baseline is
 * late fusion (LF). Positive: the model degrades more slowly than the
 * baseline, independently of its clean accuracy. (MultiBench then min-max
 * normalises both figures across the methods compared; we report the raw
 * values.)
 */
export function effectiveRobustness(values: number[], baseline: number[]): number {
  if (values.length !== baseline.length || values.length === 0) {
    throw new InputError(`effectiveRobustness: the curve has ${values.length} values and the baseline ${baseline.length}; they must match and be non-empty.`);
  }
  return values.reduce((sum, f, i) => sum + (f - (baseline[i] + values[0] - baseline[0])), 0);
}
