import { beforeAll, describe, expect, it } from 'vitest';
import { tf, initBackend, registerWasmGradientKernels } from '../../index.js';

describe('registerWasmGradientKernels', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm', log: null });
  });

  it('leaves wasm with every training kernel the cpu backend has (Einsum aside)', () => {
    const wasm = new Set(tf.getKernelsForBackend('wasm').map((k) => k.kernelName));
    const missing = tf
      .getKernelsForBackend('cpu')
      .map((k) => k.kernelName)
      .filter((name) => !wasm.has(name));
    // What remains is not used by training: drawing to a canvas, ragged and string ops, Einsum.
    expect(missing.sort()).toEqual(
      ['Draw', 'Einsum', 'RaggedGather', 'RaggedRange', 'RaggedTensorToTensor', 'StaticRegexReplace'].sort(),
    );
  });

  it('is idempotent: calling it again changes nothing and does not throw', () => {
    const before = tf.getKernelsForBackend('wasm').length;
    expect(() => {
      registerWasmGradientKernels();
      registerWasmGradientKernels();
    }).not.toThrow();
    expect(tf.getKernelsForBackend('wasm').length).toBe(before);
  });
});
