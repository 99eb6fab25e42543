import { ConfigError, type TargetInfo } from '@polyfuse/core';
import type { LabelSpec } from '../schema/datasetSpec.js';
import type { Target, TargetEncodeContext } from './target.js';
import { isMissing } from './isMissing.js';
import { listClasses } from './classTarget.js';

/**
 * A set of class names → float32 multi-hot `[C]` (1 where the sample has the
 * class). A value is a list of names, or a string of names separated by `;`
 * or `|` (CSV). An explicit empty list `[]` is a sample with no class (all
 * zeros); a missing field is a missing label. Classes come from
 * `spec.classes`, else the sorted union of the training values.
 */
export class MultilabelTarget implements Target {
  readonly type = 'multilabel' as const;
  readonly dtype = 'float32' as const;
  readonly padValue = 0;
  readonly perEpoch = false;
  private names: string[] = [];
  private index = new Map<string, number>();

  constructor(
    readonly name: string,
    private readonly spec: LabelSpec = {},
  ) {
    if (spec.classes) this.useClasses(spec.classes.map(String));
  }

  get classes(): string[] {
    return this.names;
  }

  get shape(): number[] {
    return [this.names.length];
  }

  async fit(values: unknown[]): Promise<void> {
    if (this.spec.classes) return;
    const seen = new Set<string>();
    for (const value of values) {
      const names = splitNames(value);
      if (names) for (const n of names) seen.add(n);
    }
    this.useClasses([...seen].sort());
  }

  encode(value: unknown, _context?: TargetEncodeContext): Float32Array | string {
    if (Array.isArray(value) && value.length === 0) return new Float32Array(this.names.length);
    if (isMissing(value)) return 'the label is missing.';
    const names = splitNames(value);
    if (!names) return `expected a list of class names (or, in CSV, names separated by ';' or '|'), got ${JSON.stringify(value).slice(0, 80)}.`;
    const hot = new Float32Array(this.names.length);
    for (const n of names) {
      const i = this.index.get(n);
      if (i === undefined) return `unknown class ${JSON.stringify(n)}; classes are ${listClasses(this.names)}.`;
      hot[i] = 1;
    }
    return hot;
  }

  info(): TargetInfo {
    return { type: 'multilabel', classes: [...this.names] };
  }

  getState(): { classes: string[] } {
    return { classes: [...this.names] };
  }

  setState(state: unknown): void {
    const classes = (state as { classes?: unknown } | null)?.classes;
    if (!Array.isArray(classes)) throw new ConfigError(`The saved state of label '${this.name}' has no class list.`);
    this.useClasses(classes.map(String));
  }

  private useClasses(classes: string[]): void {
    const index = new Map(classes.map((c, i) => [c, i]));
    if (index.size !== classes.length) throw new ConfigError(`labels.${this.name}.classes lists a class twice.`);
    this.names = classes;
    this.index = index;
  }
}

/** Class names of a raw multi-label value (trimmed, empty parts dropped), or undefined when it is not one. */
function splitNames(value: unknown): string[] | undefined {
  const parts = Array.isArray(value) ? value : typeof value === 'string' ? value.split(/[;|]/) : typeof value === 'number' ? [value] : undefined;
  if (!parts || parts.some((p) => typeof p !== 'string' && typeof p !== 'number')) return undefined;
  return parts.map((p) => String(p).trim()).filter((p) => p !== '');
}
