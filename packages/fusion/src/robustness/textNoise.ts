import { tf, InputError, type SeededRandom } from '@polyfuse/core';
import { checkLevel } from './noiseInjector.js';

const letters = 'abcdefghijklmnopqrstuvwxyz';

/**
 * Typos, as MultiBench's text noise: each word (whitespace-separated) of
 * length ≥ 2 is, with probability `level`, changed by one of four edits
 * chosen uniformly: swap two adjacent letters, delete a letter, insert a
 * random letter, or replace a letter.
 */
export function textTypos(text: string, level: number, random: SeededRandom): string {
  checkLevel(level, 'textTypos');
  return text
    .split(/(\s+)/)
    .map((word) => {
      if (/^\s*$/.test(word) || word.length < 2 || random.next() >= level) return word;
      const i = random.int(word.length - 1);
      switch (random.int(4)) {
        case 0:
          return word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2);
        case 1:
          return word.slice(0, i) + word.slice(i + 1);
        case 2:
          return word.slice(0, i) + letters[random.int(26)] + word.slice(i);
        default:
          return word.slice(0, i) + letters[random.int(26)] + word.slice(i + 1);
      }
    })
    .join('');
}

/** Drops each word with probability `level` (whitespace is normalised to single spaces). */
export function textDropWords(text: string, level: number, random: SeededRandom): string {
  checkLevel(level, 'textDropWords');
  return text.split(/\s+/).filter((w) => w.length > 0 && random.next() >= level).join(' ');
}

/** Walks the words left to right and swaps each adjacent pair with probability `level` (a swapped word is not swapped again). */
export function textSwapWords(text: string, level: number, random: SeededRandom): string {
  checkLevel(level, 'textSwapWords');
  const words = text.split(/\s+/).filter((w) => w.length > 0);
  for (let i = 0; i + 1 < words.length; i++) {
    if (random.next() < level) {
      [words[i], words[i + 1]] = [words[i + 1], words[i]];
      i++;
    }
  }
  return words.join(' ');
}

function tokenRows(x: tf.Tensor, name: string): number[][] {
  if (x.rank !== 2) throw new InputError(`${name} expects token ids [B, T]; got rank ${x.rank}.`);
  return x.arraySync() as number[][];
}

/**
 * Token-level word dropping on padded ids `[B, T]`: each non-padding token is
 * removed with probability `level`, the rest shift left and the row is
 * re-padded with `padId` (default 0).
 */
export function tokenDrop(x: tf.Tensor, level: number, random: SeededRandom, options: { padId?: number } = {}): tf.Tensor {
  checkLevel(level, 'tokenDrop');
  const pad = options.padId ?? 0;
  const rows = tokenRows(x, 'tokenDrop').map((row) => {
    const kept = row.filter((id) => id !== pad && random.next() >= level);
    return [...kept, ...new Array(row.length - kept.length).fill(pad)];
  });
  return tf.tensor2d(rows, x.shape as [number, number], x.dtype as 'int32' | 'float32');
}

/** Token-level adjacent swaps on padded ids `[B, T]`, as `textSwapWords`, never moving padding. */
export function tokenSwap(x: tf.Tensor, level: number, random: SeededRandom, options: { padId?: number } = {}): tf.Tensor {
  checkLevel(level, 'tokenSwap');
  const pad = options.padId ?? 0;
  const rows = tokenRows(x, 'tokenSwap').map((row) => {
    const out = [...row];
    for (let i = 0; i + 1 < out.length; i++) {
      if (out[i] === pad || out[i + 1] === pad) continue;
      if (random.next() < level) {
        [out[i], out[i + 1]] = [out[i + 1], out[i]];
        i++;
      }
    }
    return out;
  });
  return tf.tensor2d(rows, x.shape as [number, number], x.dtype as 'int32' | 'float32');
}
