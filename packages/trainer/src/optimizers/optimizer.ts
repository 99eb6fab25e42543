import { tf, ConfigError, InputError } from '@polyfuse/core';

/** One variable's update: its stable key (for optimizer state), the variable and its gradient. */
export interface VariableUpdate {
  /** Stable name for this variable's optimizer state; the same across processes for the same model. */
  key: string;
  variable: tf.Variable;
  gradient: tf.Tensor;
  /** Multiplies the learning rate for this variable (per-modality learning rates). Default 1. */
  learningRateScale?: number;
}

/** Optimizer state as saved in a checkpoint: slot tensors by `<key>/<slot>` plus per-key step counts. */
export interface OptimizerState {
  name: string;
  learningRate: number;
  steps: Record<string, number>;
  slots: Record<string, tf.Tensor>;
}

/**
 * Base of polyfuse's optimizers. They follow torch.optim's update rules
 * exactly (torch 1.13, checked against fixtures), keep per-variable state
 * under stable keys rather than tfjs variable names (which change when a model
 * is rebuilt), and expose a mutable `learningRate` for schedules.
 */
export abstract class Optimizer {
  abstract readonly name: string;
  /** The current learning rate; schedules set it every step. */
  learningRate: number;
  /** The configured learning rate that schedules scale. */
  readonly baseLearningRate: number;
  protected readonly slots = new Map<string, Record<string, tf.Tensor>>();
  protected readonly steps = new Map<string, number>();

  constructor(learningRate: number) {
    if (!Number.isFinite(learningRate) || learningRate < 0) {
      throw new ConfigError(`optimizer.learningRate must be a finite number >= 0, got ${learningRate}.`);
    }
    this.learningRate = learningRate;
    this.baseLearningRate = learningRate;
  }

  /** Applies one step to each variable. Gradients are not disposed (the caller owns them). */
  apply(updates: VariableUpdate[]): void {
    for (const u of updates) {
      if (!u.gradient) continue;
      if (u.gradient.shape.join(',') !== u.variable.shape.join(',')) {
        throw new InputError(`Gradient for '${u.key}' has shape [${u.gradient.shape}] but the variable has [${u.variable.shape}].`);
      }
      const step = (this.steps.get(u.key) ?? 0) + 1;
      const old = this.slots.get(u.key) ?? {};
      const lr = this.learningRate * (u.learningRateScale ?? 1);
      const fresh = tf.tidy(() => {
        // A tensor of the step's own (an optimizer may keep it as state): clone() shares the memory
        // (Identity), where toFloat() copies even a float32 tensor (a Cast kernel).
        const gradient = u.gradient.dtype === 'float32' ? u.gradient.clone() : u.gradient.toFloat();
        const { value, slots } = this.update(u.variable, gradient, old, step, lr);
        u.variable.assign(value);
        Object.values(slots).forEach((t) => tf.keep(t));
        return slots;
      });
      tf.dispose(Object.values(old).filter((t) => !Object.values(fresh).includes(t)));
      this.slots.set(u.key, fresh);
      this.steps.set(u.key, step);
    }
  }

  /** One variable's new value and state (called inside tf.tidy). `step` is 1 on the first update. */
  protected abstract update(
    param: tf.Tensor,
    grad: tf.Tensor,
    slots: Record<string, tf.Tensor>,
    step: number,
    learningRate: number,
  ): { value: tf.Tensor; slots: Record<string, tf.Tensor> };

  /** The state for a checkpoint. Tensors are the optimizer's own: read them before the next step. */
  getState(): OptimizerState {
    const slots: Record<string, tf.Tensor> = {};
    for (const [key, record] of this.slots) for (const [slot, t] of Object.entries(record)) slots[`${key}/${slot}`] = t;
    return { name: this.name, learningRate: this.learningRate, steps: Object.fromEntries(this.steps), slots };
  }

  /** Restores `getState()`'s output (tensors are copied, so the caller may dispose its own). */
  setState(state: OptimizerState): void {
    if (state.name !== this.name) {
      throw new ConfigError(`The checkpoint's optimizer is '${state.name}' but this trainer uses '${this.name}'.`);
    }
    this.dispose();
    this.learningRate = state.learningRate;
    for (const [key, step] of Object.entries(state.steps)) this.steps.set(key, step);
    for (const [name, t] of Object.entries(state.slots)) {
      const cut = name.lastIndexOf('/');
      const key = name.slice(0, cut);
      const record = this.slots.get(key) ?? {};
      record[name.slice(cut + 1)] = tf.keep(t.clone());
      this.slots.set(key, record);
    }
  }

  /** Frees every state tensor. */
  dispose(): void {
    for (const record of this.slots.values()) tf.dispose(Object.values(record));
    this.slots.clear();
    this.steps.clear();
  }
}

/** `{ ...defaults, ...options }` where options set to `undefined` keep the default. */
export function withDefaults<T extends object>(defaults: T, options: Partial<T>): T {
  const out = { ...defaults };
  for (const [k, v] of Object.entries(options)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}
