import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createSchedule, ReduceOnPlateauSchedule } from '../index.js';

const { schedules } = JSON.parse(readFileSync(new URL('../../fixtures/optimizers.json', import.meta.url), 'utf8'));
const at = (epoch: number, step = 0) => ({ epoch, step, stepsPerEpoch: 10 });

describe('learning-rate schedules match torch.optim.lr_scheduler', () => {
  it('step (StepLR)', () => {
    const s = createSchedule({ name: 'step', config: { stepSize: 3, gamma: 0.5 } });
    schedules.step.forEach((lr: number, e: number) => expect(s.learningRate(0.1, at(e))).toBeCloseTo(lr, 10));
  });

  it('cosine (CosineAnnealingLR), per epoch', () => {
    const s = createSchedule({ name: 'cosine', config: { period: 8, minLearningRate: 0.01, unit: 'epoch' } });
    schedules.cosine.forEach((lr: number, e: number) => expect(s.learningRate(0.1, at(e))).toBeCloseTo(lr, 10));
  });

  it('reduce-on-plateau (ReduceLROnPlateau) and its saved state', () => {
    const make = () => createSchedule({ name: 'reduce-on-plateau', config: { monitor: 'val.loss.total', factor: 0.5, patience: 2, cooldown: 1 } });
    const s = make();
    const got: number[] = [];
    schedules.plateauMetric.forEach((m: number, e: number) => {
      got.push(s.learningRate(0.1, at(e)));
      if (e === 5) {
        // a restored copy continues the same way
        const copy = make();
        copy.setState!(JSON.parse(JSON.stringify(s.getState!())));
        expect(copy.learningRate(0.1, at(e))).toBe(got[e]);
      }
      s.onEpochEnd!({ 'val.loss.total': m }, e);
    });
    got.forEach((lr, e) => expect(lr).toBeCloseTo(schedules.plateau[e], 10));
    expect(() => new ReduceOnPlateauSchedule({ monitor: 'val.f1' }).onEpochEnd({ 'val.loss.total': 1 })).toThrow(/monitor 'val.f1' is not logged/);
  });

  it('linear warm-up, then cosine over the remaining steps', () => {
    const s = createSchedule({ name: 'linear-warmup', config: { warmupSteps: 4, then: { name: 'cosine', config: { period: 10 } } } });
    expect([0, 1, 2, 3].map((step) => s.learningRate(1, at(0, step)))).toEqual([0, 0.25, 0.5, 0.75]);
    expect(s.learningRate(1, at(0, 4))).toBe(1);
    expect(s.learningRate(1, at(0, 9))).toBeCloseTo(0.5, 10);
    expect(s.learningRate(1, at(0, 14))).toBeCloseTo(0, 10);
    expect(() => createSchedule({ name: 'step', config: {} })).toThrow(/schedule\.stepSize is required/);
  });
});
