import { ConfigError, InputError, validateConfig, type ConfigSchema, type Preprocessor } from '@polyfuse/core';
import { isMissing } from '../tabular/missing.js';
import { rowCells } from '../tabular/tableColumns.js';
import { buildVocabulary } from '../tabular/vocabulary.js';

export const categoricalSchema: ConfigSchema = {
  columns: { type: 'string[]', required: true, description: 'Column names, in output order.' },
  encoding: { type: 'string', default: 'onehot', enum: ['onehot', 'index'], description: 'onehot: float32 [columns * (maxCategories + 1)]; index: int32 [columns] ids for encoder/signal-embedding.' },
  maxCategories: { type: 'integer', default: 16, min: 1, description: 'Most frequent categories kept per column; the rest map to "unknown".' },
  minFrequency: { type: 'integer', default: 1, min: 1, description: 'Categories seen fewer times in training map to "unknown".' },
  categories: { type: 'object', description: 'Optional fixed categories per column ({ column: [values] }) instead of fitting.' },
};

/**
 * `preprocessor/categorical`: a row of categorical columns → one-hot
 * `[columns * (maxCategories + 1)]` or ids `[columns]`. Each column has
 * `maxCategories + 1` slots, so the shape is known before fitting: slot 0 is
 * unknown, rare or missing, slots 1.. the categories learned by `fit`, most
 * frequent first (ties in string order).
 * In `index` encoding, ids are offset per column (`column * (maxCategories + 1) + slot`)
 * so one embedding table serves every column. Values are compared as strings.
 */
export class CategoricalPreprocessor implements Preprocessor {
  readonly config: Record<string, unknown>;
  readonly outputShape: number[];
  /** Training and evaluation process alike: no augmentation. */
  readonly augments = false;
  readonly dtype: 'float32' | 'int32';
  private readonly columns: string[];
  private readonly slots: number;
  private vocabularies?: string[][];
  private lookup?: Map<string, number>[];

  constructor(config: Record<string, unknown>) {
    this.config = validateConfig(categoricalSchema, config, 'preprocessor/categorical');
    this.columns = this.config.columns as string[];
    if (this.columns.length === 0) throw new ConfigError('preprocessor/categorical.columns must name at least one column.');
    const maxCategories = this.config.maxCategories as number;
    this.slots = maxCategories + 1;
    const onehot = this.config.encoding === 'onehot';
    this.dtype = onehot ? 'float32' : 'int32';
    this.outputShape = [onehot ? this.columns.length * this.slots : this.columns.length];
    const fixed = this.config.categories as Record<string, unknown> | undefined;
    if (fixed) {
      this.setState(this.columns.map((c) => {
        const list = fixed[c];
        if (!Array.isArray(list)) throw new ConfigError(`preprocessor/categorical.categories.${c} must be a list of values.`);
        if (list.length > maxCategories) throw new ConfigError(`preprocessor/categorical.categories.${c} has ${list.length} values; maxCategories is ${maxCategories}.`);
        return list.map(String);
      }));
    }
  }

  /** Total ids across columns, the `inputDim` an embedding over `index` output needs. */
  get vocabularySize(): number {
    return this.columns.length * this.slots;
  }

  async fit(values: unknown[]): Promise<void> {
    if (this.config.categories) return;
    if (values.length === 0) throw new InputError('preprocessor/categorical.fit: no training values.');
    const perColumn: string[][] = this.columns.map(() => []);
    for (const value of values) {
      rowCells(value, this.columns, 'preprocessor/categorical').forEach((cell, c) => {
        if (!isMissing(cell)) perColumn[c]!.push(String(cell));
      });
    }
    this.setState(perColumn.map((v) => buildVocabulary(v, this.slots - 1, this.config.minFrequency as number)));
  }

  /** The learned categories per column. */
  getState(): string[][] | undefined {
    return this.vocabularies;
  }

  setState(state: unknown): void {
    if (!Array.isArray(state) || state.length !== this.columns.length || state.some((v) => !Array.isArray(v) || v.length >= this.slots)) {
      throw new InputError(`preprocessor/categorical.setState: expected ${this.columns.length} lists of at most ${this.slots - 1} categories.`);
    }
    this.vocabularies = (state as unknown[][]).map((v) => v.map(String));
    this.lookup = this.vocabularies.map((v) => new Map(v.map((category, i) => [category, i + 1])));
  }

  async process(value: unknown): Promise<Float32Array | Int32Array> {
    return this.transform(value);
  }

  transform(value: unknown): Float32Array | Int32Array {
    if (!this.lookup) throw new InputError('preprocessor/categorical: call fit(trainingValues) (or give categories) before processing.');
    const cells = rowCells(value, this.columns, 'preprocessor/categorical');
    const ids = cells.map((cell, c) => (isMissing(cell) ? 0 : this.lookup![c]!.get(String(cell)) ?? 0));
    if (this.dtype === 'int32') return Int32Array.from(ids, (id, c) => c * this.slots + id);
    const out = new Float32Array(this.outputShape[0]!);
    ids.forEach((id, c) => (out[c * this.slots + id] = 1));
    return out;
  }
}
