import { ConfigError, type TargetInfo } from '@polyfuse/core';
import type { LabelSpec } from '../schema/datasetSpec.js';
import type { Target, TargetEncodeContext } from './target.js';
import { isMissing } from './isMissing.js';
import { parseNumbers } from '../schema/parseNumbers.js';

/** What a regression target learns: its width and, when standardising, per-column mean and std. */
export interface RegressionState {
  size: number;
  mean?: number[];
  std?: number[];
}

/**
 * A number, or a list of `size` numbers → float32 `[]` (size 1) or `[size]`.
 * CSV cells hold a number, or numbers separated by spaces, `;` or `,`.
 * `size` defaults to the length of the first training value. With
 * `standardize: true`, `fit` learns each column's mean and population std on
 * the training split (std 0 counts as 1) and `encode` yields
 * `(y - mean) / std`; `invert` maps predictions back to the original units.
 */
export class RegressionTarget implements Target {
  readonly type = 'regression' as const;
  readonly dtype = 'float32' as const;
  readonly padValue = 0;
  readonly perEpoch = false;
  readonly classes: string[] = [];
  private size: number | undefined;
  private mean: number[] | undefined;
  private std: number[] | undefined;

  constructor(
    readonly name: string,
    private readonly spec: LabelSpec = {},
  ) {
    if (spec.size !== undefined && (!Number.isInteger(spec.size) || spec.size < 1)) {
      throw new ConfigError(`labels.${name}.size must be an integer >= 1, got ${JSON.stringify(spec.size)}.`);
    }
    this.size = spec.size;
  }

  /** `[]` for a scalar target, `[size]` otherwise. */
  get shape(): number[] {
    return (this.size ?? 1) === 1 ? [] : [this.size!];
  }

  async fit(values: unknown[]): Promise<void> {
    this.learn(values);
  }

  /** `fit`, synchronously. */
  learn(values: unknown[]): void {
    const rows = values.filter((v) => !isMissing(v)).map(parseNumbers);
    if (this.spec.size === undefined) this.size = rows.find((r) => r !== undefined)?.length ?? 1;
    const size = this.size!;
    if (!this.spec.standardize) return;
    const usable = rows.filter((r): r is number[] => r !== undefined && r.length === size);
    if (usable.length === 0) throw new ConfigError(`labels.${this.name}.standardize: no usable training value to fit mean and std on.`);
    const mean = Array.from({ length: size }, (_, j) => usable.reduce((a, r) => a + r[j], 0) / usable.length);
    const std = mean.map((m, j) => Math.sqrt(usable.reduce((a, r) => a + (r[j] - m) ** 2, 0) / usable.length) || 1);
    this.mean = mean;
    this.std = std;
  }

  encode(value: unknown, _context?: TargetEncodeContext): number | Float32Array | string {
    if (isMissing(value)) return 'the label is missing.';
    const size = this.size ?? 1;
    const numbers = parseNumbers(value);
    if (size === 1) {
      if (!numbers || numbers.length !== 1) return `expected a number, got ${JSON.stringify(value)}.`;
      return this.mean ? (numbers[0] - this.mean[0]) / this.std![0] : numbers[0];
    }
    if (!numbers || numbers.length !== size) return `expected a list of ${size} numbers, got ${JSON.stringify(value).slice(0, 80)}.`;
    const out = Float32Array.from(numbers);
    if (this.mean) for (let j = 0; j < size; j++) out[j] = (out[j] - this.mean[j]) / this.std![j];
    return out;
  }

  /** Undoes standardisation of values laid out `[N, size]` (flat): `y * std + mean` per column. A copy without `standardize`. */
  invert(values: ArrayLike<number>): Float32Array {
    const out = Float32Array.from(values);
    if (!this.mean) return out;
    const size = this.size ?? 1;
    for (let i = 0; i < out.length; i++) out[i] = out[i] * this.std![i % size] + this.mean[i % size];
    return out;
  }

  info(): TargetInfo {
    return { type: 'regression', size: this.size ?? 1 };
  }

  getState(): RegressionState {
    return { size: this.size ?? 1, ...(this.mean ? { mean: [...this.mean], std: [...this.std!] } : {}) };
  }

  setState(state: unknown): void {
    const s = (state ?? {}) as Partial<RegressionState>;
    this.size = Number.isInteger(s.size) ? s.size : 1;
    const fitted = Array.isArray(s.mean) && Array.isArray(s.std);
    this.mean = fitted ? s.mean : undefined;
    this.std = fitted ? s.std : undefined;
  }
}
