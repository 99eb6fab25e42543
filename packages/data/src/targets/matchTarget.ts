import type { TargetInfo } from '@polyfuse/core';
import type { LabelSpec } from '../schema/datasetSpec.js';
import type { Target, TargetEncodeContext } from './target.js';
import { isMissing } from './isMissing.js';

/**
 * Which rows of a batch are positives of each other (contrastive matching):
 * int32 `[]` group index. Samples with the same value of the `group` field
 * share an index; without `group` (or with the field empty) a sample is a
 * group of its own. Indices are given in reading order, so without `group`
 * a sample's index is its position in the manifest's usable samples. Nothing
 * is fitted: groups belong to one dataset, not to the model.
 */
export class MatchTarget implements Target {
  readonly type = 'match' as const;
  readonly shape: number[] = [];
  readonly dtype = 'int32' as const;
  readonly padValue = 0;
  readonly perEpoch = false;
  readonly classes: string[] = [];
  /** Manifest field naming each sample's group, if any. */
  readonly group: string | undefined;
  private readonly groups = new Map<string, number>();
  private next = 0;

  constructor(
    readonly name: string,
    spec: LabelSpec = {},
  ) {
    this.group = spec.group;
  }

  async fit(): Promise<void> {}

  /** The group index of a sample whose group field holds `value` (`undefined` without a group field). */
  encode(value: unknown, _context?: TargetEncodeContext): number {
    if (isMissing(value)) return this.next++;
    const key = JSON.stringify(typeof value === 'string' ? value.trim() : value);
    let index = this.groups.get(key);
    if (index === undefined) {
      index = this.next++;
      this.groups.set(key, index);
    }
    return index;
  }

  info(): TargetInfo {
    return { type: 'match' };
  }

  getState(): null {
    return null;
  }

  setState(): void {}
}
