/** Where training is when a schedule is asked for a learning rate. */
export interface SchedulePosition {
  /** Optimizer steps taken so far (0 before the first). */
  step: number;
  /** 0-based epoch in progress. */
  epoch: number;
  /** Batches per epoch (for schedules that think in epochs but update per step). */
  stepsPerEpoch: number;
}

/**
 * Sets the learning rate from the optimizer's base rate before every step.
 * Schedules are pure functions of the position, except reduce-on-plateau,
 * which learns from epoch-end metrics and saves that in `getState`.
 */
export interface LearningRateSchedule {
  readonly name: string;
  learningRate(baseLearningRate: number, position: SchedulePosition): number;
  /** Called after validation at the end of each epoch with that epoch's logged values. */
  onEpochEnd?(values: Record<string, number>, epoch: number): void;
  getState?(): unknown;
  setState?(state: unknown): void;
}
