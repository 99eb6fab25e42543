import { describe, expect, it } from 'vitest';
import { trainingRegistry, type Schedule } from '../../index.js';

describe('schedules', () => {
  it('step multiplies by gamma every stepSize epochs (torch StepLR)', () => {
    const step = trainingRegistry.create<Schedule>('schedule', 'step', { stepSize: 2, gamma: 0.5 }, undefined, { epochs: 6 });
    expect([0, 1, 2, 3, 4, 5].map((e) => step(e, 0.1))).toEqual([0.1, 0.1, 0.05, 0.05, 0.025, 0.025]);
  });

  it('cosine follows torch CosineAnnealingLR after a linear warm-up', () => {
    const cosine = trainingRegistry.create<Schedule>('schedule', 'cosine', { warmupEpochs: 1, minLearningRate: 0.01 }, undefined, { epochs: 5 });
    const rates = [0, 1, 2, 3, 4].map((e) => cosine(e, 0.1));
    expect(rates[0]).toBeCloseTo(0.05, 12);
    // torch: eta_min + (base - eta_min) * (1 + cos(pi * t / T_max)) / 2, T_max = 4.
    [0, 1, 2, 3].forEach((t) => expect(rates[t + 1]).toBeCloseTo(0.01 + 0.09 * (1 + Math.cos((Math.PI * t) / 4)) / 2, 12));
    expect(rates[4]).toBeGreaterThan(0.01);
  });
});
