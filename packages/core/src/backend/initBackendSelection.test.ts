import { afterEach, describe, expect, it } from 'vitest';
import { tf } from '../tf.js';
import { initBackend, nodeBackendPackages, setBackendEnvironment } from './initBackend.js';

/**
 * tfjs-node-gpu cannot be installed here (its install downloads libtensorflow
 * with CUDA), and this is not a browser, so these cases replace how backend
 * packages are imported and whether we are in Node. A "loaded" package
 * registers a backend under the name the real one uses ('tensorflow',
 * 'webgpu'), built by the cpu backend's factory, so `tf.setBackend` really
 * switches to it.
 */
function fakeRegister(tfName: string): void {
  if (!tf.findBackendFactory(tfName)) tf.registerBackend(tfName, tf.findBackendFactory('cpu')!);
}

/** An importer that finds only the packages given; the others fail as Node fails for a missing package. */
function importer(installed: Record<string, () => void>, imported: string[] = []) {
  return async (name: string) => {
    imported.push(name);
    const load = installed[name];
    if (!load) throw Object.assign(new Error(`Cannot find package '${name}' imported from /app/index.js`), { code: 'ERR_MODULE_NOT_FOUND' });
    load();
    return {};
  };
}

let restore: (() => void) | undefined;
afterEach(async () => {
  restore?.();
  for (const name of ['tensorflow', 'webgpu']) if (tf.findBackend(name) || tf.findBackendFactory(name)) tf.removeBackend(name);
  await tf.setBackend('cpu');
});

describe('initBackend in Node: tfjs-node-gpu, then tfjs-node, then wasm', () => {
  it('tries tfjs-node-gpu before tfjs-node', () => {
    expect(nodeBackendPackages).toEqual(['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']);
  });

  it('picks tfjs-node-gpu when it is installed, and says so in its one log line', async () => {
    const imported: string[] = [];
    restore = setBackendEnvironment({ isNode: true, importPackage: importer({ '@tensorflow/tfjs-node-gpu': () => fakeRegister('tensorflow'), '@tensorflow/tfjs-node': () => fakeRegister('tensorflow') }, imported) });
    const lines: string[] = [];
    const choice = await initBackend({ log: (line) => lines.push(line) });
    expect(choice).toEqual({ name: 'node', tfName: 'tensorflow', package: '@tensorflow/tfjs-node-gpu', reason: 'fastest available' });
    expect(imported).toEqual(['@tensorflow/tfjs-node-gpu']);
    expect(tf.getBackend()).toBe('tensorflow');
    await initBackend({ log: (line) => lines.push(line) });
    expect(lines).toEqual(["polyfuse: TensorFlow.js backend 'node' from @tensorflow/tfjs-node-gpu (fastest available)"]);
  });

  it('uses tfjs-node when only it is installed', async () => {
    restore = setBackendEnvironment({ isNode: true, importPackage: importer({ '@tensorflow/tfjs-node': () => fakeRegister('tensorflow') }) });
    const lines: string[] = [];
    const choice = await initBackend({ log: (line) => lines.push(line) });
    expect(choice.package).toBe('@tensorflow/tfjs-node');
    expect(lines).toEqual(["polyfuse: TensorFlow.js backend 'node' from @tensorflow/tfjs-node (fastest available)"]);
  });

  it('falls back to tfjs-node when tfjs-node-gpu is installed but cannot load, and says why', async () => {
    const cudaMissing = () => {
      throw new Error('libcudart.so.11.0: cannot open shared object file: No such file or directory\n    at Module._extensions..node');
    };
    restore = setBackendEnvironment({ isNode: true, importPackage: importer({ '@tensorflow/tfjs-node-gpu': cudaMissing, '@tensorflow/tfjs-node': () => fakeRegister('tensorflow') }) });
    const lines: string[] = [];
    await initBackend({ log: (line) => lines.push(line) });
    expect(lines).toEqual([
      "polyfuse: TensorFlow.js backend 'node' from @tensorflow/tfjs-node (@tensorflow/tfjs-node-gpu failed to load (libcudart.so.11.0: cannot open shared object file: No such file or directory))",
    ]);
  });

  it('falls back to wasm when neither is installed, naming both packages', async () => {
    restore = setBackendEnvironment({ isNode: true, importPackage: importer({}) });
    const choice = await initBackend({ log: null });
    expect(choice.name).toBe('wasm');
    expect('package' in choice).toBe(false);
    expect(choice.reason).toBe(
      'node: tfjs-node is not installed (nor tfjs-node-gpu); install @tensorflow/tfjs-node for the fastest CPU training, or @tensorflow/tfjs-node-gpu on a machine with CUDA',
    );
  });

  it("backend: 'node' fails with both packages named when neither is there", async () => {
    restore = setBackendEnvironment({ isNode: true, importPackage: importer({}) });
    await expect(initBackend({ backend: 'node', log: null })).rejects.toThrow("Backend 'node' could not start: tfjs-node is not installed (nor tfjs-node-gpu); install @tensorflow/tfjs-node");
  });

  it('names each package and why when neither starts, one of them installed but broken', async () => {
    const broken = () => {
      throw new Error('The specified module could not be found.\n\\?\\C:\\app\\tfjs_binding.node');
    };
    restore = setBackendEnvironment({ isNode: true, importPackage: importer({ '@tensorflow/tfjs-node': broken }) });
    await expect(initBackend({ backend: 'node', log: null })).rejects.toThrow(
      "Backend 'node' could not start: @tensorflow/tfjs-node-gpu is not installed; @tensorflow/tfjs-node failed to load (The specified module could not be found.); install @tensorflow/tfjs-node",
    );
  });
});

describe('initBackend in a page: webgpu (when imported), webgl, wasm, cpu', () => {
  it('skips webgpu when the page has not imported its package, and webgl where this TensorFlow.js build has none (as in Node); logs once with console.info', async () => {
    restore = setBackendEnvironment({ isNode: false, importPackage: importer({}) });
    const info: string[] = [];
    const error: string[] = [];
    const [savedInfo, savedError] = [console.info, console.error];
    console.info = (line: string) => info.push(line);
    console.error = (line: string) => error.push(line);
    try {
      const choice = await initBackend();
      expect(choice.name).toBe('wasm');
      await initBackend();
    } finally {
      [console.info, console.error] = [savedInfo, savedError];
    }
    expect(info).toEqual([
      "polyfuse: TensorFlow.js backend 'wasm' (webgpu: @tensorflow/tfjs-backend-webgpu is not imported (import it before initBackend to use WebGPU); webgl: not in this build of TensorFlow.js)",
    ]);
    expect(error).toEqual([]);
  });

  it('picks webgpu first when the page has registered it', async () => {
    fakeRegister('webgpu');
    restore = setBackendEnvironment({ isNode: false });
    const lines: string[] = [];
    const choice = await initBackend({ log: (line) => lines.push(line) });
    expect(choice).toStrictEqual({ name: 'webgpu', tfName: 'webgpu', reason: 'fastest available' });
    expect(lines).toEqual(["polyfuse: TensorFlow.js backend 'webgpu' (fastest available)"]);
  });

  it('does not read process.env or offer tfjs-node in a page', async () => {
    process.env.POLYFUSE_BACKEND = 'node';
    try {
      restore = setBackendEnvironment({ isNode: false });
      await expect(initBackend({ backend: 'node', log: null })).rejects.toThrow("Backend 'node' could not start: only available in Node.js");
      expect((await initBackend({ backend: 'cpu', log: null })).name).toBe('cpu');
    } finally {
      delete process.env.POLYFUSE_BACKEND;
    }
  });
});
