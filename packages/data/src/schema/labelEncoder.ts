import type { TargetInfo } from '@polyfuse/core';
import type { LabelSpec } from './datasetSpec.js';
import type { Target, TargetEncodeContext } from '../targets/target.js';
import { ClassTarget } from '../targets/classTarget.js';
import { RegressionTarget } from '../targets/regressionTarget.js';

export { isMissing } from '../targets/isMissing.js';

/**
 * The older, synchronous way to build a class (or `number`, i.e. scalar
 * regression) target: fitted on `observed` when constructed. New code uses
 * `createTarget` and `fit`; this stays so existing imports keep working.
 */
export class LabelEncoder implements Target {
  private readonly target: ClassTarget | RegressionTarget;

  constructor(name: string, spec: LabelSpec, observed: unknown[]) {
    const regression = spec.type === 'number' || spec.type === 'regression';
    this.target = regression ? new RegressionTarget(name, { ...spec, size: spec.size ?? 1 }) : new ClassTarget(name, spec);
    this.target.learn(observed);
  }

  get name(): string {
    return this.target.name;
  }
  get type(): 'class' | 'regression' {
    return this.target.type;
  }
  get shape(): number[] {
    return this.target.shape;
  }
  get dtype(): 'int32' | 'float32' {
    return this.target.dtype;
  }
  /** Class names in index order (empty for number labels). */
  get classes(): string[] {
    return this.target.classes;
  }
  readonly padValue = 0;
  readonly perEpoch = false;

  async fit(values: unknown[]): Promise<void> {
    await this.target.fit(values);
  }

  /** The target for `value`, or an error message. */
  encode(value: unknown, context: TargetEncodeContext = { training: false }): number | Float32Array | string {
    return this.target.encode(value, context);
  }

  info(): TargetInfo {
    return this.target.info();
  }

  getState(): unknown {
    return this.target.getState();
  }

  setState(state: unknown): void {
    this.target.setState(state);
  }

  toJSON(): { name: string; type: 'class' | 'regression'; classes: string[] } {
    return { name: this.name, type: this.type, classes: this.classes };
  }
}
