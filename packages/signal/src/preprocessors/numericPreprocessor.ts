import { ConfigError, InputError, validateConfig, type ConfigSchema, type Preprocessor } from '@polyfuse/core';
import { isMissing } from '../tabular/missing.js';
import { rowCells } from '../tabular/tableColumns.js';
import { fitStandardScaler, type ScalerState } from '../tabular/standardScaler.js';

export const numericSchema: ConfigSchema = {
  columns: { type: 'string[]', required: true, description: 'Column names, in output order (object rows are read by name, arrays by position).' },
  standardise: { type: 'boolean', default: true, description: 'Subtract the training mean and divide by the training std (fit on the training split).' },
  missingIndicator: { type: 'boolean', default: true, description: 'Append one 0/1 column per input column: 1 where the value was missing.' },
};

/**
 * `preprocessor/numeric`: a row of numeric columns → `[n]` (or `[2n]` with
 * missingness indicators). Matches scikit-learn 1.2's
 * `StandardScaler` (fit ignoring NaN) → impute 0 (the training mean) →
 * `MissingIndicator(features="all")`, concatenated. Missing cells are null,
 * NaN, absent keys, or "", "NA", "NaN", "?". Numeric strings ("3.5") are parsed.
 */
export class NumericPreprocessor implements Preprocessor {
  readonly config: Record<string, unknown>;
  readonly outputShape: number[];
  /** Training and evaluation process alike: no augmentation. */
  readonly augments = false;
  readonly dtype = 'float32' as const;
  private readonly columns: string[];
  private readonly standardise: boolean;
  private readonly missingIndicator: boolean;
  private state?: ScalerState;

  constructor(config: Record<string, unknown>) {
    this.config = validateConfig(numericSchema, config, 'preprocessor/numeric');
    this.columns = this.config.columns as string[];
    if (this.columns.length === 0) throw new ConfigError('preprocessor/numeric.columns must name at least one column.');
    this.standardise = this.config.standardise as boolean;
    this.missingIndicator = this.config.missingIndicator as boolean;
    this.outputShape = [this.columns.length * (this.missingIndicator ? 2 : 1)];
  }

  /** Learns the per-column mean and std from the training split. */
  async fit(values: unknown[]): Promise<void> {
    this.state = fitStandardScaler(values.map((v) => this.parse(v)), this.columns.length);
  }

  getState(): ScalerState | undefined {
    return this.state;
  }

  setState(state: unknown): void {
    const s = state as ScalerState;
    if (!s || !Array.isArray(s.mean) || !Array.isArray(s.scale) || s.mean.length !== this.columns.length || s.scale.length !== this.columns.length) {
      throw new InputError(`preprocessor/numeric.setState: expected { mean, scale } with ${this.columns.length} values each.`);
    }
    this.state = { mean: s.mean.slice(), scale: s.scale.slice() };
  }

  async process(value: unknown): Promise<Float32Array> {
    return this.transform(value);
  }

  /** Synchronous `process`, for callers outside a data pipeline. */
  transform(value: unknown): Float32Array {
    if (this.standardise && !this.state) {
      throw new InputError('preprocessor/numeric: call fit(trainingValues) (or setState) before processing: standardisation needs training statistics.');
    }
    const cells = this.parse(value);
    const n = this.columns.length;
    const out = new Float32Array(this.outputShape[0]!);
    for (let c = 0; c < n; c++) {
      const x = cells[c]!;
      const missing = Number.isNaN(x);
      const scaled = this.standardise ? (x - this.state!.mean[c]!) / this.state!.scale[c]! : x;
      out[c] = missing ? (this.standardise ? 0 : this.state?.mean[c] ?? 0) : scaled;
      if (this.missingIndicator) out[n + c] = missing ? 1 : 0;
    }
    return out;
  }

  private parse(value: unknown): Float64Array {
    const cells = rowCells(value, this.columns, 'preprocessor/numeric');
    return Float64Array.from(cells, (cell, c) => {
      if (isMissing(cell)) return Number.NaN;
      const x = typeof cell === 'number' ? cell : typeof cell === 'string' ? Number(cell) : Number.NaN;
      if (!Number.isFinite(x)) {
        throw new InputError(`preprocessor/numeric: column '${this.columns[c]}' must be a number (or missing), got ${JSON.stringify(cell)}.`);
      }
      return x;
    });
  }
}
