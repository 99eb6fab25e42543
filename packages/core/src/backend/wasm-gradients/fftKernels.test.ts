import { beforeAll, describe, expect, it } from 'vitest';
import { tf, initBackend } from '../../index.js';
import { computeOn, maxRelativeDifference, randomValues } from '../../testing/backendParity.js';

/** Real and imaginary parts side by side, so a complex result can be compared as floats. */
const parts = (z: tf.Tensor) => tf.concat([tf.real(z), tf.imag(z)], -1);

describe('FFT family on wasm', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm', log: null });
  });

  it.each([
    [1, 8],
    [3, 16],
    [2, 12],
    [4, 25],
    [2, 400],
    [1, 1],
  ])('fft and ifft of a [%i, %i] complex tensor match cpu', async (rows, n) => {
    const re = randomValues(rows * n, 20 + n);
    const im = randomValues(rows * n, 40 + n);
    for (const transform of [tf.spectral.fft, tf.spectral.ifft]) {
      const compute = () => parts(transform(tf.complex(tf.tensor2d(re, [rows, n]), tf.tensor2d(im, [rows, n]))));
      const cpu = await computeOn('cpu', compute);
      const wasm = await computeOn('wasm', compute);
      expect(wasm.shape).toEqual([rows, 2 * n]);
      expect(maxRelativeDifference(wasm.values, cpu.values)).toBeLessThan(1e-4);
    }
  });

  it.each([16, 15, 64, 100])('rfft then irfft of length %i matches cpu and recovers the signal', async (n) => {
    const signal = randomValues(3 * n, 60 + n);
    const spectrum = () => parts(tf.spectral.rfft(tf.tensor2d(signal, [3, n])));
    const cpu = await computeOn('cpu', spectrum);
    const wasm = await computeOn('wasm', spectrum);
    expect(maxRelativeDifference(wasm.values, cpu.values)).toBeLessThan(1e-4);
    if (n % 2 === 0) {
      const roundTrip = await computeOn('wasm', () => tf.spectral.irfft(tf.spectral.rfft(tf.tensor2d(signal, [3, n]))));
      expect(maxRelativeDifference(roundTrip.values, Array.from(signal))).toBeLessThan(1e-5);
    }
  });

  it('tf.signal.stft magnitudes match cpu (the log-mel front end of audio models)', async () => {
    const audio = randomValues(4000, 80);
    const compute = () => tf.abs(tf.signal.stft(tf.tensor1d(audio), 400, 160, 512));
    const cpu = await computeOn('cpu', compute);
    const wasm = await computeOn('wasm', compute);
    expect(wasm.shape).toEqual(cpu.shape);
    expect(maxRelativeDifference(wasm.values, cpu.values)).toBeLessThan(1e-4);
  });

  it('reads complex tensors back as interleaved (re, im) pairs, like the cpu backend', async () => {
    await tf.setBackend('wasm');
    const z = tf.complex([1, 2, 3], [-1, 0.5, 4]);
    expect(Array.from(z.dataSync())).toEqual([1, -1, 2, 0.5, 3, 4]);
    const copy = z.clone();
    expect(Array.from(await copy.data())).toEqual([1, -1, 2, 0.5, 3, 4]);
    tf.dispose([z, copy]);
  });

  it('frees everything it allocates', async () => {
    await tf.setBackend('wasm');
    const before = tf.memory().numTensors;
    const bytesBefore = tf.memory().numBytes;
    tf.tidy(() => tf.abs(tf.signal.stft(tf.linspace(-1, 1, 1000) as tf.Tensor1D, 256, 128))).dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(tf.memory().numBytes).toBe(bytesBefore);
  });
});
