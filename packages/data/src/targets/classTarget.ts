import { ConfigError, type TargetInfo } from '@polyfuse/core';
import type { LabelSpec } from '../schema/datasetSpec.js';
import type { Target, TargetEncodeContext } from './target.js';
import { isMissing } from './isMissing.js';

/**
 * A class label → int32 index into `classes`. With `spec.classes` the order
 * is given; otherwise `fit` infers it: when every label is an integer, each
 * is its own index (so label `3` is class 3 even if class 2 never occurs),
 * anything else is sorted alphabetically.
 */
export class ClassTarget implements Target {
  readonly type = 'class' as const;
  readonly shape: number[] = [];
  readonly dtype = 'int32' as const;
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

  /** Class names in index order. */
  get classes(): string[] {
    return this.names;
  }

  async fit(values: unknown[]): Promise<void> {
    this.learn(values);
  }

  /** `fit`, synchronously. Does nothing when `spec.classes` is given. */
  learn(values: unknown[]): void {
    if (this.spec.classes) return;
    const seen = [...new Set(values.filter((v) => !isMissing(v)).map((v) => String(v).trim()))];
    if (seen.length > 0 && seen.every((v) => /^\d+$/.test(v))) {
      const max = Math.max(...seen.map(Number));
      this.useClasses(Array.from({ length: max + 1 }, (_, i) => String(i)));
    } else {
      this.useClasses(seen.sort());
    }
  }

  encode(value: unknown, _context?: TargetEncodeContext): number | string {
    if (isMissing(value)) return 'the label is missing.';
    const i = this.index.get(String(value).trim());
    return i ?? `unknown class ${JSON.stringify(value)}; classes are ${listClasses(this.names)}.`;
  }

  info(): TargetInfo {
    return { type: 'class', classes: [...this.names] };
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

/** The first 20 class names, for error messages. */
export function listClasses(classes: string[]): string {
  if (classes.length === 0) return 'none (nothing was fitted)';
  return `${classes.slice(0, 20).join(', ')}${classes.length > 20 ? ', ...' : ''}`;
}
