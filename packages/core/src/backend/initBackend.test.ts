import { describe, expect, it } from 'vitest';
import { initBackend, currentBackend, BackendError, tf } from '../index.js';

describe('initBackend', () => {
  it('picks the fastest available backend and says why', async () => {
    const lines: string[] = [];
    const choice = await initBackend({ log: (line) => lines.push(line) });
    // tfjs-node is not installable on our CI machines, so auto falls back to wasm there.
    expect(['node', 'wasm']).toContain(choice.name);
    expect(tf.getBackend()).toBe(choice.tfName);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`backend '${choice.name}'`));
    if (choice.name === 'wasm') expect(choice.reason).toMatch(/tfjs-node is not installed/);
  });

  it('switches when a backend is requested by name', async () => {
    const choice = await initBackend({ backend: 'cpu', log: null });
    expect(choice.name).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(currentBackend()?.name).toBe('cpu');
    await initBackend({ backend: 'wasm', log: null });
    expect(tf.getBackend()).toBe('wasm');
  });

  it('reads POLYFUSE_BACKEND', async () => {
    process.env.POLYFUSE_BACKEND = 'cpu';
    try {
      expect((await initBackend({ log: null })).name).toBe('cpu');
    } finally {
      delete process.env.POLYFUSE_BACKEND;
    }
  });

  it('rejects an unknown backend name with the allowed ones', async () => {
    await expect(initBackend({ backend: 'gpu', log: null })).rejects.toThrow(BackendError);
    await expect(initBackend({ backend: 'gpu', log: null })).rejects.toThrow(/Unknown backend 'gpu'.*auto, node, wasm, cpu, webgl, webgpu/);
    process.env.POLYFUSE_BACKEND = 'tpu';
    try {
      await expect(initBackend({ log: null })).rejects.toThrow(/from \$POLYFUSE_BACKEND/);
    } finally {
      delete process.env.POLYFUSE_BACKEND;
    }
  });

  it('explains that tfjs-node is missing when it is requested explicitly', async () => {
    let installed = true;
    try {
      await import('@tensorflow/tfjs-node' as string);
    } catch {
      installed = false;
    }
    if (installed) return;
    await expect(initBackend({ backend: 'node', log: null })).rejects.toThrow(/install @tensorflow\/tfjs-node/);
  });
});
