import type { LearningRateSchedule, SchedulePosition } from './learningRateSchedule.js';

/** torch.optim.lr_scheduler.StepLR: `lr = base * gamma^floor(t / stepSize)`, t in epochs (default) or steps. */
export class StepSchedule implements LearningRateSchedule {
  readonly name = 'step';
  constructor(readonly options: { stepSize: number; gamma?: number; unit?: 'epoch' | 'step' }) {}

  learningRate(base: number, position: SchedulePosition): number {
    const t = this.options.unit === 'step' ? position.step : position.epoch;
    return base * (this.options.gamma ?? 0.1) ** Math.floor(t / this.options.stepSize);
  }
}
