import type { LearningRateSchedule, SchedulePosition } from './learningRateSchedule.js';

/**
 * Linear warm-up over the first `warmupSteps` optimizer steps, like torch's
 * LinearLR: the factor goes from `startFactor` at step 0 to 1 at `warmupSteps`,
 * then stays 1. With `then`, the rate of that schedule is warmed up, with its
 * step count starting after the warm-up (torch's SequentialLR).
 */
export class LinearWarmupSchedule implements LearningRateSchedule {
  readonly name = 'linear-warmup';
  constructor(readonly options: { warmupSteps: number; startFactor?: number; then?: LearningRateSchedule }) {}

  learningRate(base: number, position: SchedulePosition): number {
    const { warmupSteps, startFactor = 0, then } = this.options;
    if (position.step < warmupSteps) {
      return base * (startFactor + ((1 - startFactor) * position.step) / warmupSteps);
    }
    return then ? then.learningRate(base, { ...position, step: position.step - warmupSteps }) : base;
  }

  onEpochEnd(values: Record<string, number>, epoch: number): void {
    this.options.then?.onEpochEnd?.(values, epoch);
  }

  getState(): unknown {
    return this.options.then?.getState?.();
  }

  setState(state: unknown): void {
    this.options.then?.setState?.(state);
  }
}
