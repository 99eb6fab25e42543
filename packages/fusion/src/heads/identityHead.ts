import type { tf, Head, RegistryEntry } from '@polyfuse/core';

/**
 * A head that passes its input through: for fusions whose output already is
 * the decision (`fusion/late`).
 */
export function createIdentityHead(options: { inputShape: number[] }): Head {
  return {
    outputShape: [...options.inputShape],
    config: {},
    apply: ((x: tf.Tensor | tf.SymbolicTensor) => x) as Head['apply'],
  };
}

export const identityHeadEntry: RegistryEntry<Record<string, unknown>, Head> = {
  kind: 'head',
  name: 'identity',
  description: 'Passes the fused output through unchanged (use with fusion/late).',
  schema: {},
  create: (config) => createIdentityHead(config as { inputShape: number[] }),
};
