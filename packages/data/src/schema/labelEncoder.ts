import { ConfigError } from '@polyfuse/core';
import type { LabelSpec } from './datasetSpec.js';

/**
 * Maps a label value to its training target. Class labels become an index
 * into `classes`; integer labels without a class list are their own index
 * (so label `3` is class 3 even if class 2 never occurs), anything else is
 * sorted alphabetically. Number labels are parsed as floats.
 */
export class LabelEncoder {
  readonly name: string;
  readonly type: 'class' | 'number';
  /** Class names in index order (empty for number labels). */
  readonly classes: string[];
  private readonly index: Map<string, number>;

  constructor(name: string, spec: LabelSpec, observed: unknown[]) {
    this.name = name;
    this.type = spec.type ?? 'class';
    if (this.type === 'number') {
      this.classes = [];
    } else if (spec.classes) {
      this.classes = spec.classes.map(String);
    } else {
      const values = [...new Set(observed.filter((v) => !isMissing(v)).map((v) => String(v).trim()))];
      if (values.length > 0 && values.every((v) => /^\d+$/.test(v))) {
        const max = Math.max(...values.map(Number));
        this.classes = Array.from({ length: max + 1 }, (_, i) => String(i));
      } else {
        this.classes = values.sort();
      }
    }
    this.index = new Map(this.classes.map((c, i) => [c, i]));
    if (this.index.size !== this.classes.length) throw new ConfigError(`labels.${name}.classes lists a class twice.`);
  }

  /** The target for `value`, or an error message. */
  encode(value: unknown): number | string {
    if (isMissing(value)) return 'the label is missing.';
    if (this.type === 'number') {
      const n = typeof value === 'number' ? value : Number(String(value).trim());
      return Number.isFinite(n) ? n : `expected a number, got ${JSON.stringify(value)}.`;
    }
    const i = this.index.get(String(value).trim());
    return i ?? `unknown class ${JSON.stringify(value)}; classes are ${this.classes.slice(0, 20).join(', ')}${this.classes.length > 20 ? ', ...' : ''}.`;
  }

  toJSON(): { name: string; type: 'class' | 'number'; classes: string[] } {
    return { name: this.name, type: this.type, classes: this.classes };
  }
}

/** `undefined`, `null`, `''` and empty arrays count as a missing value. */
export function isMissing(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '') || (Array.isArray(value) && value.length === 0);
}
