import { registry, type ComponentSpec } from '@polyfuse/core';
import { EarlyStopping, type EarlyStoppingOptions } from './earlyStopping.js';
import type { Callback } from './callback.js';

if (!registry.has('callback', 'early-stopping')) {
  registry.register({
    kind: 'callback',
    name: 'early-stopping',
    description: 'Stop when a logged epoch value stops improving (Keras EarlyStopping).',
    schema: {
      monitor: { type: 'string', default: 'val.loss.total' },
      mode: { type: 'string', enum: ['min', 'max'], default: 'min' },
      patience: { type: 'integer', min: 0, default: 5 },
      minDelta: { type: 'number', min: 0, default: 0 },
    },
    create: (c: EarlyStoppingOptions) => new EarlyStopping(c),
  });
}

/**
 * Builds a callback from its registry name and options. `callback/early-stopping`
 * is always registered; `callback/checkpoint`, `callback/jsonl-logger` and
 * `callback/progress` come with `@polyfuse/trainer/node`.
 */
export function createCallback(spec: ComponentSpec, path = 'callback'): Callback {
  return registry.create<Callback>('callback', spec.name, spec.config ?? {}, path);
}
