import { MetricInputError } from '../errors.js';

/**
 * How a state combines across workers: `'sum'` adds number arrays element by
 * element, `'cat'` concatenates arrays.
 */
export type StateReduction = 'sum' | 'cat';

type StateValue = number[] | unknown[];

/**
 * Base of the stateful metrics, torchmetrics style: a metric declares its
 * states with a reduction, `update` accumulates into them, `compute` calls
 * the functional core on them, and two instances with the same configuration
 * `merge` by reducing their states (e.g. one per worker, then merged).
 * `state()` / `loadState()` round-trip through JSON for sending states between
 * processes.
 */
export abstract class StreamingMetric<Result> {
  private readonly declared = new Map<string, { reduction: StateReduction; initial: () => StateValue }>();
  protected states: Record<string, StateValue> = {};

  /** Declares a state and its reduction; call in the constructor. */
  protected addState(name: string, reduction: StateReduction, initial: () => StateValue): void {
    this.declared.set(name, { reduction, initial });
    this.states[name] = initial();
  }

  /** The configuration that must agree for two instances to merge. */
  protected abstract configKey(): string;

  /** The metric over everything seen since construction or the last `reset`. */
  abstract compute(): Result;

  /** Forgets everything seen. */
  reset(): void {
    for (const [name, spec] of this.declared) this.states[name] = spec.initial();
  }

  /** Adds another instance's states into this one (same class and configuration). Returns this. */
  merge(other: StreamingMetric<Result>): this {
    if (other.constructor !== this.constructor || other.configKey() !== this.configKey()) {
      throw new MetricInputError('other', `can only merge a ${this.constructor.name} with the same configuration`);
    }
    for (const [name, spec] of this.declared) {
      const mine = this.states[name];
      const theirs = other.states[name];
      if (spec.reduction === 'cat') (mine as unknown[]).push(...(theirs as unknown[]));
      else {
        if (mine.length !== theirs.length) throw new MetricInputError('other', `state ${name} has ${theirs.length} entries, expected ${mine.length}`);
        for (let i = 0; i < mine.length; i++) (mine as number[])[i] += (theirs as number[])[i];
      }
    }
    return this;
  }

  /** A JSON-serialisable copy of the states. */
  state(): Record<string, StateValue> {
    return JSON.parse(JSON.stringify(this.states)) as Record<string, StateValue>;
  }

  /** Replaces the states with a copy of `state` (as returned by `state()`). */
  loadState(state: Record<string, StateValue>): void {
    for (const name of this.declared.keys()) {
      if (!Array.isArray(state?.[name])) throw new MetricInputError(`state.${name}`, 'expected an array');
    }
    this.states = JSON.parse(JSON.stringify(state)) as Record<string, StateValue>;
  }
}
