import { tf, InputError, ConfigError } from '@polyfuse/core';
import { describeValue } from '../validation/checks.js';
import type { WeightingContext } from './weightingStrategy.js';

/** Checks the terms record and returns its names in insertion order. */
export function checkTerms(terms: Record<string, () => tf.Scalar>, strategy: string): string[] {
  if (terms === null || typeof terms !== 'object') {
    throw new InputError(`${strategy}: terms must be an object of name → loss function, got ${describeValue(terms)}.`);
  }
  const names = Object.keys(terms);
  if (names.length === 0) throw new InputError(`${strategy}: terms must name at least one loss term, got {}.`);
  for (const name of names) {
    if (typeof terms[name] !== 'function') {
      throw new InputError(`${strategy}: terms.${name} must be a function returning a scalar loss, got ${describeValue(terms[name])}.`);
    }
  }
  return names;
}

/** Checks the context's variable lists and returns the trainable model variables. */
export function checkContext(context: WeightingContext, strategy: string): tf.Variable[] {
  if (!context || !Array.isArray(context.variables) || context.variables.length === 0) {
    throw new InputError(`${strategy}: context.variables must be a non-empty array of tf.Variable.`);
  }
  context.variables.forEach((v, i) => {
    if (!(v instanceof tf.Variable)) throw new InputError(`${strategy}: context.variables[${i}] is not a tf.Variable.`);
  });
  return context.variables.filter((v) => v.trainable);
}

/** The shared variables (context.sharedVariables or all variables), checked to be among `variables`. */
export function sharedVariablesOf(context: WeightingContext, variables: tf.Variable[], strategy: string): tf.Variable[] {
  if (context.sharedVariables === undefined) return variables;
  const known = new Set(variables.map((v) => v.name));
  const shared = context.sharedVariables.filter((v) => v.trainable);
  for (const v of shared) {
    if (!known.has(v.name)) {
      throw new InputError(`${strategy}: context.sharedVariables holds '${v.name}', which is not in context.variables.`);
    }
  }
  if (shared.length === 0) throw new InputError(`${strategy}: context.sharedVariables holds no trainable variable.`);
  return shared;
}

/** Throws unless a term value is finite, naming the term. */
export function checkTermValue(name: string, value: number, strategy: string): number {
  if (!Number.isFinite(value)) {
    throw new InputError(`${strategy}: loss term '${name}' is ${value} at this step; check its inputs and learning rate.`);
  }
  return value;
}

/**
 * The gradient of one term with respect to each of `variables` (zeros for a
 * variable the term does not reach) and the term's value.
 */
export function termGradients(
  name: string,
  term: () => tf.Scalar,
  variables: tf.Variable[],
  strategy: string,
): { value: number; grads: tf.Tensor[] } {
  let result: { value: tf.Scalar; grads: tf.NamedTensorMap };
  try {
    result = tf.variableGrads(term, variables);
  } catch (error) {
    if (error instanceof Error && /Cannot find a connection/.test(error.message)) {
      throw new InputError(`${strategy}: loss term '${name}' does not depend on any of context.variables.`);
    }
    throw error;
  }
  const value = result.value.dataSync()[0];
  result.value.dispose();
  const grads = variables.map((v) => result.grads[v.name] ?? tf.zerosLike(v));
  try {
    checkTermValue(name, value, strategy);
  } catch (error) {
    tf.dispose(grads);
    throw error;
  }
  return { value, grads };
}

/**
 * Gradients of `Σ_i weight_i · term_i` in one backward pass (plus `extra`, e.g.
 * a regulariser on the strategy's own variables), and each term's value.
 * `weight` may be a tensor built from the strategy's variables, so that they
 * receive gradients too.
 */
export function weightedSumGradients(
  names: string[],
  terms: Record<string, () => tf.Scalar>,
  weight: (name: string) => tf.Scalar | number,
  variables: tf.Variable[],
  strategy: string,
  extra?: () => tf.Scalar,
): { total: number; losses: Record<string, number>; grads: tf.NamedTensorMap } {
  const kept: Record<string, tf.Scalar> = {};
  let result: { value: tf.Scalar; grads: tf.NamedTensorMap };
  try {
    result = tf.variableGrads(() => {
      let total: tf.Scalar = tf.scalar(0);
      for (const name of names) {
        const value = terms[name]();
        kept[name] = tf.keep(value.clone());
        total = total.add(tf.mul(weight(name), value));
      }
      return extra ? total.add(extra()) : total;
    }, variables);
  } catch (error) {
    tf.dispose(Object.values(kept));
    if (error instanceof Error && /Cannot find a connection/.test(error.message)) {
      throw new InputError(`${strategy}: none of the loss terms depends on context.variables.`);
    }
    throw error;
  }
  const losses: Record<string, number> = {};
  for (const name of names) losses[name] = kept[name].dataSync()[0];
  tf.dispose(Object.values(kept));
  const total = result.value.dataSync()[0];
  result.value.dispose();
  const grads: tf.NamedTensorMap = {};
  for (const v of variables) grads[v.name] = result.grads[v.name] ?? tf.zerosLike(v);
  try {
    for (const name of names) checkTermValue(name, losses[name], strategy);
  } catch (error) {
    tf.dispose(Object.values(grads));
    throw error;
  }
  return { total, losses, grads };
}

/**
 * Gram matrix `G[i][j] = Σ_v <g_i,v, g_j,v>` of per-term gradients restricted
 * to the variables at `indices`, read back in one transfer.
 */
export function gramMatrix(perTerm: tf.Tensor[][], indices: number[]): number[][] {
  const k = perTerm.length;
  const flat = tf.tidy(() => {
    const entries: tf.Scalar[] = [];
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < k; j++) {
        let dot: tf.Scalar = tf.scalar(0);
        for (const v of indices) dot = dot.add(tf.sum(tf.mul(perTerm[i][v], perTerm[j][v])));
        entries.push(dot);
      }
    }
    return tf.stack(entries);
  });
  const values = flat.dataSync();
  flat.dispose();
  return Array.from({ length: k }, (_, i) => Array.from({ length: k }, (_, j) => values[i * k + j]));
}

/** `Σ_i coefficients[i] · perTerm[i][v]` for variable index v. */
export function combine(perTerm: tf.Tensor[][], coefficients: number[], variableIndex: number): tf.Tensor {
  return tf.tidy(() => {
    let sum = perTerm[0][variableIndex].mul(coefficients[0]);
    for (let i = 1; i < perTerm.length; i++) sum = sum.add(perTerm[i][variableIndex].mul(coefficients[i]));
    return sum;
  });
}

/** Reads a `Record<string, number>` option, checking each value is finite and >= 0. */
export function checkWeights(weights: unknown, path: string): Record<string, number> {
  if (weights === undefined) return {};
  if (weights === null || typeof weights !== 'object' || Array.isArray(weights)) {
    throw new ConfigError(`${path} must be an object of term name → weight, got ${describeValue(weights)}.`);
  }
  const out: Record<string, number> = {};
  for (const [name, w] of Object.entries(weights as Record<string, unknown>)) {
    if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) {
      throw new ConfigError(`${path}.${name} must be a finite non-negative number, got ${describeValue(w)}.`);
    }
    out[name] = w;
  }
  return out;
}

/** Throws if `weights` names a term that is not among `names` (usually a typo). */
export function checkWeightNames(weights: Record<string, number>, names: string[], path: string): void {
  for (const key of Object.keys(weights)) {
    if (!names.includes(key)) {
      throw new ConfigError(`${path}.${key} names no loss term; the terms at this step are: ${names.join(', ')}.`);
    }
  }
}

/** A plain-object check for setState. */
export function checkStateObject(state: unknown, strategy: string): Record<string, unknown> {
  if (state === null || typeof state !== 'object' || Array.isArray(state)) {
    throw new InputError(`${strategy}.setState: state must be an object from getState(), got ${describeValue(state)}.`);
  }
  return state as Record<string, unknown>;
}
