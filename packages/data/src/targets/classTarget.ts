import type { TargetInfo } from '@polyfuse/core';
import type { LabelSpec } from '../schema/datasetSpec.js';
import type { Target, TargetEncodeContext } from './target.js';
import { isMissing } from './isMissing.js';
import { ClassList } from './classList.js';

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
  private readonly list: ClassList;

  constructor(
    readonly name: string,
    private readonly spec: LabelSpec = {},
  ) {
    this.list = new ClassList(name);
    if (spec.classes) this.list.use(spec.classes.map(String));
  }

  /** Class names in index order. */
  get classes(): string[] {
    return this.list.classes;
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
      this.list.use(Array.from({ length: max + 1 }, (_, i) => String(i)));
    } else {
      this.list.use(seen.sort());
    }
  }

  encode(value: unknown, _context?: TargetEncodeContext): number | string {
    if (isMissing(value)) return 'the label is missing.';
    const i = this.list.indexOf(String(value).trim());
    return i ?? this.list.unknown(value);
  }

  info(): TargetInfo {
    return { type: 'class', classes: [...this.list.classes] };
  }

  getState(): { classes: string[] } {
    return this.list.getState();
  }

  setState(state: unknown): void {
    this.list.setState(state);
  }
}

