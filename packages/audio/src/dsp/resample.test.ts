import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resample } from './resample.js';

const reference = JSON.parse(readFileSync(new URL('../../fixtures/reference.json', import.meta.url), 'utf8')) as {
  resample: { orig: number; new: number; input: number[]; output: number[] }[];
};

describe('resample', () => {
  it.each(reference.resample.map((r) => [r.orig, r.new, r] as const))('%i Hz -> %i Hz matches torchaudio.functional.resample', (_o, _n, ref) => {
    const out = resample(Float32Array.from(ref.input), ref.orig, ref.new);
    expect(out).toHaveLength(ref.output.length);
    const worst = Math.max(...Array.from(out, (x, i) => Math.abs(x - ref.output[i]!)));
    expect(worst).toBeLessThan(2e-5);
  });

  it('keeps a low tone and removes one above the new Nyquist rate', () => {
    const tone = (hz: number) => Float32Array.from({ length: 16000 }, (_, i) => Math.sin((2 * Math.PI * hz * i) / 16000));
    const rms = (x: Float32Array) => Math.sqrt(x.slice(200, -200).reduce((s, v) => s + v * v, 0) / (x.length - 400));
    expect(rms(resample(tone(500), 16000, 8000))).toBeCloseTo(Math.SQRT1_2, 2);
    expect(rms(resample(tone(6000), 16000, 8000))).toBeLessThan(0.01);
  });

  it('rejects non-integer rates', () => {
    expect(() => resample(new Float32Array(10), 8000.5, 16000)).toThrow(/origRate must be a positive integer/);
  });
});
