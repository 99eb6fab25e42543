import type { Trainer } from '../loop/trainer.js';

/** What a step logs: `loss.total`, `loss.<term>`, `weight.<term>`, `lr`, and `gradNorm` when clipping by norm. */
export interface StepLog {
  type: 'step';
  epoch: number;
  /** Global optimizer step, 1 after the first. */
  step: number;
  /** Batch index within the epoch. */
  batch: number;
  values: Record<string, number>;
}

/** What an epoch logs: mean training values, then `val.loss.<term>`, `val.loss.total` and `val.<metric>`. */
export interface EpochLog {
  type: 'epoch';
  epoch: number;
  step: number;
  values: Record<string, number>;
  /** Seconds the epoch took (not part of `values`, so runs compare equal). */
  seconds: number;
}

export interface FitResult {
  /** Epochs completed. */
  epochs: number;
  steps: number;
  /** True when an abort signal (Ctrl-C) stopped the run; a checkpoint lets it resume. */
  interrupted: boolean;
  /** Why a callback stopped the run early, if one did. */
  stoppedEarly?: string;
  history: EpochLog[];
}

/**
 * Hooks into the training loop. Every method is optional and may be async.
 * `getState`/`setState` make a callback's memory (early stopping's patience,
 * the best checkpoint's score) part of checkpoints, so a resumed run decides
 * the same way; the `name` keys that state.
 */
export interface Callback {
  readonly name: string;
  onTrainBegin?(trainer: Trainer): void | Promise<void>;
  onEpochBegin?(epoch: number, trainer: Trainer): void | Promise<void>;
  onStepEnd?(log: StepLog, trainer: Trainer): void | Promise<void>;
  onEpochEnd?(log: EpochLog, trainer: Trainer): void | Promise<void>;
  /** The run was interrupted (abort signal) after a completed step. */
  onInterrupt?(trainer: Trainer): void | Promise<void>;
  onTrainEnd?(result: FitResult, trainer: Trainer): void | Promise<void>;
  getState?(): unknown;
  setState?(state: unknown): void;
}
