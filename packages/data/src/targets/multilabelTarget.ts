import type { TargetInfo } from '@polyfuse/core';
import type { LabelSpec } from '../schema/datasetSpec.js';
import type { Target, TargetEncodeContext } from './target.js';
import { isMissing } from './isMissing.js';
import { ClassList } from './classList.js';

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
  private readonly list: ClassList;

  constructor(
    readonly name: string,
    private readonly spec: LabelSpec = {},
  ) {
    this.list = new ClassList(name);
    if (spec.classes) this.list.use(spec.classes.map(String));
  }

  get classes(): string[] {
    return this.list.classes;
  }

  get shape(): number[] {
    return [this.list.classes.length];
  }

  async fit(values: unknown[]): Promise<void> {
    if (this.spec.classes) return;
    const seen = new Set<string>();
    for (const value of values) {
      const names = splitNames(value);
      if (names) for (const n of names) seen.add(n);
    }
    this.list.use([...seen].sort());
  }

  encode(value: unknown, _context?: TargetEncodeContext): Float32Array | string {
    if (Array.isArray(value) && value.length === 0) return new Float32Array(this.list.classes.length);
    if (isMissing(value)) return 'the label is missing.';
    const names = splitNames(value);
    if (!names) return `expected a list of class names (or, in CSV, names separated by ';' or '|'), got ${JSON.stringify(value).slice(0, 80)}.`;
    const hot = new Float32Array(this.list.classes.length);
    for (const n of names) {
      const i = this.list.indexOf(n);
      if (i === undefined) return this.list.unknown(n);
      hot[i] = 1;
    }
    return hot;
  }

  info(): TargetInfo {
    return { type: 'multilabel', classes: [...this.list.classes] };
  }

  getState(): { classes: string[] } {
    return this.list.getState();
  }

  setState(state: unknown): void {
    this.list.setState(state);
  }
}

/** Class names of a raw multi-label value (trimmed, empty parts dropped), or undefined when it is not one. */
function splitNames(value: unknown): string[] | undefined {
  const parts = Array.isArray(value) ? value : typeof value === 'string' ? value.split(/[;|]/) : typeof value === 'number' ? [value] : undefined;
  if (!parts || parts.some((p) => typeof p !== 'string' && typeof p !== 'number')) return undefined;
  return parts.map((p) => String(p).trim()).filter((p) => p !== '');
}
