import { InputError } from '@polyfuse/core';
import { toFrameMatrix, type FrameMatrix, type Sequence } from './frameMatrix.js';

/**
 * Stretches or shrinks a sequence to `frames` frames by nearest-neighbour
 * repetition: target frame `t` copies source frame `floor((t + 0.5) * T / frames)`.
 * A synchronous multi-stream HMM needs every stream at the same frame rate;
 * audio-visual speech recognisers upsample the (slower) visual stream to the
 * audio rate this way.
 */
export function resampleFrames(sequence: Sequence, frames: number, what = 'sequence'): FrameMatrix {
  if (!Number.isInteger(frames) || frames < 1) throw new InputError(`resampleFrames: frames must be a positive integer, got ${frames}.`);
  const source = toFrameMatrix(sequence, what);
  const { dim } = source;
  const data = new Float64Array(frames * dim);
  for (let t = 0; t < frames; t++) {
    const from = Math.min(source.frames - 1, Math.floor(((t + 0.5) * source.frames) / frames));
    data.set(source.data.subarray(from * dim, (from + 1) * dim), t * dim);
  }
  return { frames, dim, data };
}
