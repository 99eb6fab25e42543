import { InputError } from '@polyfuse/core';

/**
 * A sequence of observation frames, stored flat: frame `t`, dimension `d` is
 * `data[t * dim + d]`. Every model in this package reads sequences in this
 * form; `toFrameMatrix` converts the friendlier `number[][]` form.
 */
export interface FrameMatrix {
  readonly frames: number;
  readonly dim: number;
  readonly data: Float64Array;
}

/** What the public API accepts as one sequence: frames as arrays (`[T][D]`), or a FrameMatrix. */
export type Sequence = FrameMatrix | readonly ArrayLike<number>[];

export function isFrameMatrix(value: unknown): value is FrameMatrix {
  return typeof value === 'object' && value !== null && (value as FrameMatrix).data instanceof Float64Array && typeof (value as FrameMatrix).dim === 'number';
}

/**
 * Validates a sequence and returns it as a FrameMatrix (the same object when
 * it already is one). `what` names the sequence in errors (`sequence 3 of
 * class '7'`); `dim`, when given, is the dimension the model expects.
 */
export function toFrameMatrix(sequence: Sequence, what = 'sequence', dim?: number): FrameMatrix {
  let matrix: FrameMatrix;
  if (isFrameMatrix(sequence)) {
    if (!Number.isInteger(sequence.frames) || !Number.isInteger(sequence.dim) || sequence.dim < 1 || sequence.data.length !== sequence.frames * sequence.dim) {
      throw new InputError(`${what}: a FrameMatrix of ${sequence.frames} frames x ${sequence.dim} dims needs ${sequence.frames * sequence.dim} values, got ${sequence.data.length}.`);
    }
    matrix = sequence;
  } else {
    if (!Array.isArray(sequence)) throw new InputError(`${what} must be an array of frames (number[][]) or a FrameMatrix, got ${typeof sequence}.`);
    const frames = sequence.length;
    if (frames === 0) throw new InputError(`${what} is empty: a sequence needs at least one frame.`);
    const first = sequence[0]!.length;
    if (!(first >= 1)) throw new InputError(`${what}: frame 0 has no values; every frame needs at least one dimension.`);
    const data = new Float64Array(frames * first);
    for (let t = 0; t < frames; t++) {
      const frame = sequence[t]!;
      if (frame.length !== first) throw new InputError(`${what}: frame ${t} has ${frame.length} dims but frame 0 has ${first}; every frame needs the same dimension.`);
      for (let d = 0; d < first; d++) data[t * first + d] = frame[d]!;
    }
    matrix = { frames, dim: first, data };
  }
  if (matrix.frames === 0) throw new InputError(`${what} is empty: a sequence needs at least one frame.`);
  if (dim !== undefined && matrix.dim !== dim) {
    throw new InputError(`${what}: sequence dim mismatch, frames have ${matrix.dim} values but the model expects ${dim}.`);
  }
  for (let i = 0; i < matrix.data.length; i++) {
    if (!Number.isFinite(matrix.data[i]!)) {
      throw new InputError(`${what}: frame ${Math.floor(i / matrix.dim)}, dim ${i % matrix.dim} is ${matrix.data[i]}; observations must be finite numbers.`);
    }
  }
  return matrix;
}

/** A FrameMatrix back to `number[][]` (for JSON or printing). */
export function frameMatrixToArrays(matrix: FrameMatrix): number[][] {
  return Array.from({ length: matrix.frames }, (_, t) => Array.from(matrix.data.subarray(t * matrix.dim, (t + 1) * matrix.dim)));
}
