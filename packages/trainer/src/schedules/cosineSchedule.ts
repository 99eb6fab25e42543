import type { LearningRateSchedule, SchedulePosition } from './learningRateSchedule.js';

/**
 * Cosine annealing, the closed form of torch's CosineAnnealingLR:
 * `lr = minLearningRate + (base - minLearningRate) * (1 + cos(pi * t / period)) / 2`,
 * with t clamped to the period. With `unit: 'step'` (default) it decays smoothly
 * within epochs; `unit: 'epoch'` changes once per epoch like torch's per-epoch use.
 */
export class CosineSchedule implements LearningRateSchedule {
  readonly name = 'cosine';
  constructor(readonly options: { period: number; minLearningRate?: number; unit?: 'epoch' | 'step' }) {}

  learningRate(base: number, position: SchedulePosition): number {
    const t = Math.min(this.options.unit === 'epoch' ? position.epoch : position.step, this.options.period);
    const min = this.options.minLearningRate ?? 0;
    return min + ((base - min) * (1 + Math.cos((Math.PI * t) / this.options.period))) / 2;
  }
}
