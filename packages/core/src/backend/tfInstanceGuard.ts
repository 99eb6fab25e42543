/**
 * Two copies of TensorFlow.js in one program never work together: a tensor made
 * by one is not a Tensor to the other, and the failure surfaces much later as
 * "Argument 'x' passed to 'reshape' must be a Tensor… got 'SymbolicTensor'".
 * It happens when a plugin installs its own @polyfuse/core (or its own
 * @tensorflow/tfjs) next to the application's. Each copy of core claims a
 * global slot at import; the second copy with a different TF.js says so at once.
 */

/** The part of a TF.js module the guard compares. */
export interface TfModuleIdentity {
  Tensor: unknown;
  version: Record<string, string>;
}

interface Claim {
  tf: TfModuleIdentity;
  from: string;
}

const slot = Symbol.for('polyfuse.tfjs-instance');

/** Explains how to get back to one copy, naming both. */
export function duplicateTfMessage(first: Claim, second: Claim): string {
  const describe = (claim: Claim) => `TensorFlow.js ${claim.tf.version['tfjs-core'] ?? '?'} loaded by ${claim.from}`;
  return [
    'polyfuse: two copies of TensorFlow.js are loaded in this program:',
    `  1. ${describe(first)}`,
    `  2. ${describe(second)}`,
    'Tensors made by one are not tensors to the other, so models fail with "must be a Tensor" errors.',
    'Fix: install one copy. A plugin should list @polyfuse/* and @tensorflow/tfjs as peerDependencies (not dependencies);',
    'then run `npm dedupe` (or remove the plugin folder\'s own node_modules) and check with `npm ls @tensorflow/tfjs-core`.',
  ].join('\n');
}

/**
 * Records this copy of TF.js as the program's one instance. Returns the warning
 * text when another copy of @polyfuse/core already claimed a different TF.js
 * (also written to `warn`, once per copy), or undefined when all is well.
 */
export function claimTfInstance(
  tf: TfModuleIdentity,
  from: string,
  warn: (message: string) => void = (message) => console.warn(message),
  global: Record<symbol, unknown> = globalThis as Record<symbol, unknown>,
): string | undefined {
  const existing = global[slot] as Claim | undefined;
  if (existing === undefined) {
    global[slot] = { tf, from };
    return undefined;
  }
  if (existing.tf.Tensor === tf.Tensor) return undefined;
  const message = duplicateTfMessage(existing, { tf, from });
  warn(message);
  return message;
}
