import { InputError } from '@polyfuse/core';

/**
 * The hidden part of an HMM: `N` states, start probabilities `pi[i]` and a
 * row-major transition matrix `A[i * N + j] = P(next = j | current = i)`.
 * There is no explicit end state (pomegranate's `from_matrix(..., ends=None)`):
 * a sequence may end in any state.
 */
export interface MarkovChain {
  readonly numStates: number;
  readonly startProbabilities: Float64Array;
  readonly transitions: Float64Array;
}

/**
 * Checks and copies start probabilities and a transition matrix (rows of
 * `number[]` or a flat row-major array); each must be >= 0 and sum to 1.
 */
export function createMarkovChain(startProbabilities: ArrayLike<number>, transitions: ArrayLike<number> | readonly ArrayLike<number>[], what = 'HMM'): MarkovChain {
  const numStates = startProbabilities.length;
  if (numStates < 1) throw new InputError(`${what}: needs at least one state (startProbabilities is empty).`);
  const start = Float64Array.from(startProbabilities);
  checkDistribution(start, `${what}: startProbabilities`);
  const flat = new Float64Array(numStates * numStates);
  const rows = transitions as readonly ArrayLike<number>[];
  if (rows.length === numStates && typeof rows[0] === 'object') {
    rows.forEach((row, i) => {
      if (row.length !== numStates) throw new InputError(`${what}: transition row ${i} has ${row.length} entries; expected ${numStates} (one per state).`);
      for (let j = 0; j < numStates; j++) flat[i * numStates + j] = row[j]!;
    });
  } else {
    const values = transitions as ArrayLike<number>;
    if (values.length !== numStates * numStates) throw new InputError(`${what}: transitions must be ${numStates} x ${numStates} for ${numStates} start probabilities, got ${values.length} values.`);
    flat.set(values as ArrayLike<number>);
  }
  for (let i = 0; i < numStates; i++) checkDistribution(flat.subarray(i * numStates, (i + 1) * numStates), `${what}: transition row ${i}`);
  return { numStates, startProbabilities: start, transitions: flat };
}

function checkDistribution(values: Float64Array, what: string): void {
  let total = 0;
  values.forEach((p, i) => {
    if (!(p >= 0) || !Number.isFinite(p)) throw new InputError(`${what}: entry ${i} must be a probability >= 0, got ${p}.`);
    total += p;
  });
  if (Math.abs(total - 1) > 1e-6) throw new InputError(`${what} must sum to 1, got ${total}.`);
}

/** Transition matrix as rows, for JSON. */
export function transitionRows(chain: MarkovChain): number[][] {
  const n = chain.numStates;
  return Array.from({ length: n }, (_, i) => Array.from(chain.transitions.subarray(i * n, (i + 1) * n)));
}
