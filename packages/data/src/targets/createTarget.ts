import { ConfigError } from '@polyfuse/core';
import type { LabelSpec } from '../schema/datasetSpec.js';
import type { Target } from './target.js';
import { ClassTarget } from './classTarget.js';
import { MultilabelTarget } from './multilabelTarget.js';
import { RegressionTarget } from './regressionTarget.js';
import { SequenceTarget } from './sequenceTarget.js';
import { MatchTarget } from './matchTarget.js';

/** Every `labels.<name>.type`; `number` is the older name of `regression`. */
export const targetTypes = ['class', 'multilabel', 'regression', 'number', 'sequence', 'match'] as const;

/** The (unfitted) target of `data.labels.<name>`; a ConfigError for an unknown type. */
export function createTarget(name: string, spec: LabelSpec = {}): Target {
  const type = spec.type ?? 'class';
  switch (type) {
    case 'class':
      return new ClassTarget(name, spec);
    case 'multilabel':
      return new MultilabelTarget(name, spec);
    case 'regression':
    case 'number':
      return new RegressionTarget(name, spec);
    case 'sequence':
      return new SequenceTarget(name, spec);
    case 'match':
      return new MatchTarget(name, spec);
    default:
      throw new ConfigError(`labels.${name}.type must be one of ${targetTypes.map((t) => `"${t}"`).join(', ')}, got ${JSON.stringify(type)}.`);
  }
}
