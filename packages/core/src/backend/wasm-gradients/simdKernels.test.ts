import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { tf, initBackend } from '../../index.js';
import { computeCompiledAndPrevious, computeOn, maxRelativeDifference, randomValues } from '../../testing/backendParity.js';
import { jsKernelsEnvVar, simdKernelsFor } from './simdKernels.js';
import { simdKernelsBase64 } from './simdKernelsBinary.js';

const wasmFolder = new URL('../../../wasm/', import.meta.url);
const committed = readFileSync(new URL('polyfuse-kernels.wasm', wasmFolder));

/** The ids of a wasm binary's sections, and its imports as `module.name:kind`. */
function sections(bytes: Uint8Array): { ids: number[]; imports: string[] } {
  let at = 8;
  const leb = (): number => {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = bytes[at++]!;
      value |= (byte & 0x7f) << shift;
      if (byte < 0x80) return value >>> 0;
    }
  };
  const name = (): string => {
    const length = leb();
    const text = new TextDecoder().decode(bytes.subarray(at, at + length));
    at += length;
    return text;
  };
  const ids: number[] = [];
  const imports: string[] = [];
  while (at < bytes.length) {
    const id = bytes[at++]!;
    const size = leb();
    const end = at + size;
    ids.push(id);
    if (id === 2) {
      for (let count = leb(); count > 0; count--) {
        const field = `${name()}.${name()}`;
        const kind = bytes[at++]!;
        imports.push(`${field}:${kind}`);
        if (kind !== 2) break; // a function, table or global import: the test fails on the list anyway
        const flags = bytes[at++]!;
        leb(); // minimum pages
        if (flags & 1) leb(); // maximum pages
      }
    }
    at = end;
  }
  return { ids, imports };
}

function clangAvailable(): string | undefined {
  for (const tool of ['clang', 'llvm-objdump']) {
    try {
      execFileSync(tool, ['--version'], { stdio: 'ignore', timeout: 10_000 });
    } catch {
      return `${tool} is not on PATH`;
    }
  }
  return undefined;
}

describe('the compiled SIMD kernels module (packages/core/wasm)', () => {
  it('is embedded byte for byte in simdKernelsBinary.ts', () => {
    expect(Buffer.from(simdKernelsBase64, 'base64').equals(committed)).toBe(true);
  });

  it('imports only the memory and has no data or start section, so it cannot overwrite the heap it is given', () => {
    const { ids, imports } = sections(committed);
    expect(imports).toEqual(['env.memory:2']);
    expect(ids).not.toContain(11); // data
    expect(ids).not.toContain(12); // data count
    expect(ids).not.toContain(8); // start
  });

  const missing = clangAvailable();
  if (missing) console.log(`skipping the rebuild check of polyfuse-kernels.wasm: ${missing} (Debian: apt-get install clang lld)`);
  it.skipIf(missing !== undefined)('matches a rebuild from wasm/src with clang', () => {
    const out = mkdtempSync(join(tmpdir(), 'polyfuse-wasm-'));
    try {
      execFileSync(process.execPath, [new URL('build.mjs', wasmFolder).pathname, '--out', out], { stdio: 'pipe', timeout: 60_000 });
      const rebuilt = readFileSync(join(out, 'polyfuse-kernels.wasm'));
      expect(rebuilt.equals(committed), 'the committed polyfuse-kernels.wasm is stale: run node packages/core/wasm/build.mjs').toBe(true);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});

describe('MaxPoolGrad with the compiled SIMD kernel', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm', log: null });
  });
  afterEach(() => {
    delete process.env[jsKernelsEnvVar];
  });

  it('is bound to the wasm backend, and switched off by POLYFUSE_WASM_JS_KERNELS', async () => {
    await tf.setBackend('wasm');
    expect(simdKernelsFor(tf.backend(), 'MaxPoolGrad')).toBeDefined();
    process.env[jsKernelsEnvVar] = 'FusedGru,MaxPoolGrad';
    expect(simdKernelsFor(tf.backend(), 'MaxPoolGrad')).toBeUndefined();
    expect(simdKernelsFor(tf.backend(), 'BatchNormalization')).toBeDefined();
  });

  it('keeps working after the heap grows (the module imports the memory, not its buffer)', async () => {
    await tf.setBackend('wasm');
    const memory = Object.values((tf.backend() as unknown as { wasm: { asm: Record<string, unknown> } }).wasm.asm).find((v) => v instanceof WebAssembly.Memory) as WebAssembly.Memory;
    const x = Float32Array.from(randomValues(2 * 4 * 4 * 4, 32), (v) => Math.round(v * 2));
    const compute = () =>
      tf.tidy(() => {
        const input = tf.tensor4d(x, [2, 4, 4, 4]);
        return tf.grad((v: tf.Tensor) => tf.maxPool(v as tf.Tensor4D, 2, 2, 'valid').sum())(input);
      });
    const before = await computeOn('wasm', compute);
    const bytes = memory.buffer.byteLength;
    const big = tf.zeros([bytes / 4 + 1024]); // more than the heap holds now: it must grow
    expect(memory.buffer.byteLength).toBeGreaterThan(bytes);
    big.dispose();
    expect(await computeOn('wasm', compute)).toEqual(before);
    expect((await computeOn('cpu', compute)).values).toEqual(before.values);
  });

  it.each([
    [[2, 8, 6, 4]],
    [[3, 4, 10, 16]],
    [[1, 2, 2, 12]],
  ])('gives the JavaScript kernel’s and cpu’s gradient exactly for x=%j', async (shape) => {
    const count = shape.reduce((a, b) => a * b, 1);
    // Rounded values make ties (first strictly largest wins); a few NaN and -Infinity too.
    const x = Float32Array.from(randomValues(count, 31), (v, i) => (i % 37 === 5 ? NaN : i % 41 === 7 ? -Infinity : Math.round(v * 2)));
    const compute = () =>
      tf.tidy(() => {
        const input = tf.tensor4d(x, shape as [number, number, number, number]);
        const output = tf.maxPool(input, 2, 2, 'valid');
        const dy = tf.range(1, 1 + output.size).reshape(output.shape);
        return tf.engine().runKernel('MaxPoolGrad', { dy, input, output }, { filterSize: 2, strides: 2, pad: 'valid' }) as tf.Tensor;
      });
    const [simd, js] = await computeCompiledAndPrevious(compute);
    expect(simd.values).toEqual(js.values);
    expect(simd.values).toEqual((await computeOn('cpu', compute)).values);
  });
});

describe('Conv2DBackpropFilter with the compiled SIMD kernel (NHWC, output channels in fours)', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm', log: null });
  });
  afterEach(() => {
    delete process.env[jsKernelsEnvVar];
  });

  type Pad = 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];
  it.each<{ x: [number, number, number, number]; filter: [number, number, number, number]; strides: number | [number, number]; pad: Pad }>([
    { x: [2, 8, 7, 3], filter: [3, 3, 3, 4], strides: 1, pad: 'same' },
    { x: [3, 9, 9, 2], filter: [3, 3, 2, 20], strides: 2, pad: 'same' },
    { x: [2, 10, 11, 2], filter: [3, 2, 2, 8], strides: [2, 3], pad: 'valid' },
    { x: [2, 7, 8, 3], filter: [5, 5, 3, 48], strides: 3, pad: 'same' },
    { x: [2, 6, 7, 2], filter: [3, 3, 2, 12], strides: 2, pad: [[0, 0], [1, 2], [0, 1], [0, 0]] },
    { x: [4, 6, 6, 5], filter: [1, 1, 5, 4], strides: 1, pad: 'valid' },
    { x: [2, 20, 16, 16], filter: [3, 3, 16, 32], strides: 1, pad: 'same' },
  ])('matches cpu (within 1e-4) and the composed kernel for x=$x filter=$filter strides=$strides pad=$pad', async (c) => {
    const info = tf.backend_util.computeConv2DInfo(c.x, c.filter, c.strides, 1, c.pad as 'same');
    const dyShape = [c.x[0], info.outHeight, info.outWidth, info.outChannels];
    const xValues = randomValues(c.x.reduce((a, b) => a * b, 1), 33);
    const dyValues = randomValues(dyShape.reduce((a, b) => a * b, 1), 34);
    const compute = () =>
      tf.engine().runKernel('Conv2DBackpropFilter', { x: tf.tensor(xValues, c.x), dy: tf.tensor(dyValues, dyShape) }, {
        strides: c.strides,
        pad: c.pad,
        dataFormat: 'NHWC',
        filterShape: c.filter,
      } as unknown as tf.NamedAttrMap) as tf.Tensor;
    await tf.setBackend('wasm');
    expect(simdKernelsFor(tf.backend(), 'Conv2DBackpropFilter')).toBeDefined();
    const [simd, composed] = await computeCompiledAndPrevious(compute);
    const cpu = await computeOn('cpu', compute);
    expect(simd.shape).toEqual(c.filter);
    expect(maxRelativeDifference(simd.values, cpu.values)).toBeLessThan(1e-4);
    expect(maxRelativeDifference(simd.values, composed.values)).toBeLessThan(1e-4);
  });

  it('leaves no data on the heap but its result', async () => {
    await tf.setBackend('wasm');
    const backend = tf.backend() as unknown as { numDataIds(): number };
    const x = tf.ones([2, 5, 5, 3]);
    const dy = tf.ones([2, 5, 5, 8]);
    const before = backend.numDataIds();
    const dw = tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, 3, 8] } as unknown as tf.NamedAttrMap) as tf.Tensor;
    expect(backend.numDataIds()).toBe(before + 1);
    // Each tap sums ones over the positions it reaches: the centre tap all 2·5·5, a corner tap 2·4·4.
    const taps = dw.arraySync() as number[][][][];
    expect(taps[1]![1]).toEqual(Array(3).fill(Array(8).fill(50)));
    expect(taps[0]![0]).toEqual(Array(3).fill(Array(8).fill(32)));
    tf.dispose([x, dy, dw]);
  });
});

describe('Sum over the leading axes with the compiled column sum', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm', log: null });
  });

  it.each([
    { shape: [16, 10, 8, 16], axis: [0, 1, 2], keepDims: false },
    { shape: [16, 10, 8, 16], axis: [-2, -4, -3], keepDims: true },
    { shape: [5, 8], axis: 0, keepDims: false },
    // not leading axes, or channels not in fours: the backend's own kernel
    { shape: [5, 8], axis: 1, keepDims: false },
    { shape: [4, 6, 3], axis: [0, 1], keepDims: false },
    { shape: [7], axis: 0, keepDims: false },
  ])('matches cpu for shape=$shape axis=$axis keepDims=$keepDims', async ({ shape, axis, keepDims }) => {
    const values = randomValues(shape.reduce((a, b) => a * b, 1), 35);
    const compute = () => tf.sum(tf.tensor(values, shape), axis, keepDims);
    const [simd, js] = await computeCompiledAndPrevious(compute);
    const cpu = await computeOn('cpu', compute);
    expect(simd.shape).toEqual(cpu.shape);
    expect(maxRelativeDifference(simd.values, cpu.values)).toBeLessThan(1e-5);
    expect(maxRelativeDifference(js.values, cpu.values)).toBeLessThan(1e-5);
  });
});

describe('Add of a per-channel bias with the compiled kernel', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm', log: null });
  });

  it.each([
    { a: [6, 5, 4, 16], b: [16] },
    { a: [8], b: [3, 8] }, // the bias first
    { a: [7, 12], b: [12] },
    // not a bias in fours, or not a bias at all: the backend's own kernel
    { a: [4, 3], b: [3] },
    { a: [4, 8], b: [4, 8] },
    { a: [8], b: [8] },
  ])('gives cpu’s sums exactly for a=$a b=$b', async ({ a, b }) => {
    const aValues = randomValues(a.reduce((p, d) => p * d, 1), 36);
    const bValues = randomValues(b.reduce((p, d) => p * d, 1), 37);
    const compute = () => tf.add(tf.tensor(aValues, a), tf.tensor(bValues, b));
    const [simd, js] = await computeCompiledAndPrevious(compute);
    const cpu = await computeOn('cpu', compute);
    expect(simd).toEqual(cpu);
    expect(js).toEqual(cpu);
  });
});
