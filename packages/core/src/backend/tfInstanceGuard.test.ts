import { describe, expect, it } from 'vitest';
import { claimTfInstance } from './tfInstanceGuard.js';

class TensorA {}
class TensorB {}
const copyA = { Tensor: TensorA, version: { 'tfjs-core': '4.22.0' } };
const copyB = { Tensor: TensorB, version: { 'tfjs-core': '4.21.0' } };

describe('claimTfInstance', () => {
  it('accepts the same TF.js claimed again (one copy of core imported twice, or two cores sharing one TF.js)', () => {
    const global: Record<symbol, unknown> = {};
    const warnings: string[] = [];
    expect(claimTfInstance(copyA, 'file:///app/node_modules/@polyfuse/core/dist/tf.js', (m) => warnings.push(m), global)).toBeUndefined();
    expect(claimTfInstance({ ...copyA }, 'file:///plugin/node_modules/@polyfuse/core/dist/tf.js', (m) => warnings.push(m), global)).toBeUndefined();
    expect(warnings).toEqual([]);
  });

  it('names both copies and the fix when a second TF.js arrives', () => {
    const global: Record<symbol, unknown> = {};
    const warnings: string[] = [];
    claimTfInstance(copyA, 'file:///app/node_modules/@polyfuse/core/dist/tf.js', (m) => warnings.push(m), global);
    const message = claimTfInstance(copyB, 'file:///app/plugin/node_modules/@polyfuse/core/dist/tf.js', (m) => warnings.push(m), global);
    expect(warnings).toEqual([message]);
    expect(message).toContain('two copies of TensorFlow.js');
    expect(message).toContain('4.22.0 loaded by file:///app/node_modules/@polyfuse/core/dist/tf.js');
    expect(message).toContain('4.21.0 loaded by file:///app/plugin/node_modules/@polyfuse/core/dist/tf.js');
    expect(message).toContain('peerDependencies');
    expect(message).toContain('npm ls @tensorflow/tfjs-core');
  });
});
