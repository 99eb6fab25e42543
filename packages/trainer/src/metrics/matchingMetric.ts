import { tf, InputError, formatShape } from '@polyfuse/core';
import { retrievalScores, type RetrievalDirectionScores } from '@polyfuse/metrics';
import type { MetricContext, TrainingMetric } from './trainingMetric.js';

export type MatchingDirection = 'a-to-b' | 'b-to-a' | 'mean';

/** Two normalised embeddings closer than this in every component are one item (the same image repeated per caption). */
const DUPLICATE_TOLERANCE = 1e-6;

/**
 * Base of the matching metrics (`recall@k`, `median-rank`) on two embedding
 * outputs `[B, D]` (`outputs: [embedding_a, embedding_b]`) and a `match`
 * target, int32 group ids `[B]` that mean the same group in every batch of
 * the split. Every embedding of the split is kept; `compute` L2-normalises
 * them, ranks by cosine similarity and scores with @polyfuse/metrics'
 * `retrievalScores` (ties rank the earlier row first).
 *
 * The rule, as in the VSE++ / CLIP image-text evaluation: on each side, rows
 * of the same group whose normalised embeddings agree within 1e-6 are one
 * item, kept once (an image repeated for each of its five captions is one
 * image; its five different captions stay five). A query is each remaining
 * item of the query side; its relevant items are those of its group on the
 * other side, and its rank is that of the first relevant item (1 = top).
 * `a-to-b` queries with side a, `b-to-a` with side b, `mean` averages both.
 */
export abstract class MatchingMetric implements TrainingMetric {
  readonly higherIsBetter: boolean = true;
  readonly output: string;
  private readonly rowsA: Float32Array[] = [];
  private readonly rowsB: Float32Array[] = [];
  private readonly groups: number[] = [];
  private dim?: number;

  /**
   * @param name logged name (`recall@5_image_to_text`).
   * @param outputs the two embedding outputs, side a then side b.
   * @param target the match target (group ids).
   * @param direction which side queries; default `mean` of both.
   */
  constructor(
    readonly name: string,
    readonly outputs: [string, string],
    readonly target: string,
    readonly direction: MatchingDirection = 'mean',
  ) {
    this.output = outputs[0];
  }

  /** The score of one direction. */
  protected abstract score(scores: RetrievalDirectionScores): number;

  update(prediction: tf.Tensor, target: tf.Tensor, context?: MetricContext): void {
    const other = context?.outputs[this.outputs[1]];
    if (!other) {
      throw new InputError(`metric ${this.name}: needs output '${this.outputs[1]}' from the metric context (update's third argument); outputs: ${Object.keys(context?.outputs ?? {}).join(', ') || 'none'}.`);
    }
    const samples = target.shape[0];
    if (prediction.rank !== 2 || other.rank !== 2 || target.rank !== 1 || prediction.shape[0] !== samples || other.shape[0] !== samples || prediction.shape[1] !== other.shape[1]) {
      throw new InputError(`metric ${this.name}: expected ${this.outputs[0]} [B, D], ${this.outputs[1]} [B, D] (the same D) and ${this.target} [B], got ${formatShape(prediction.shape)}, ${formatShape(other.shape)} and ${formatShape(target.shape)}.`);
    }
    const dim = prediction.shape[1] as number;
    this.dim ??= dim;
    if (dim !== this.dim) throw new InputError(`metric ${this.name}: embeddings have ${dim} dimensions but earlier batches had ${this.dim}.`);
    const a = prediction.dataSync();
    const b = other.dataSync();
    for (let i = 0; i < samples; i++) {
      this.rowsA.push(Float32Array.from(a.subarray(i * dim, (i + 1) * dim)));
      this.rowsB.push(Float32Array.from(b.subarray(i * dim, (i + 1) * dim)));
    }
    this.groups.push(...Array.from(target.dataSync(), Math.round));
  }

  compute(): number {
    if (this.groups.length === 0) throw new InputError(`metric ${this.name}: no samples were seen (is the validation split empty?).`);
    const a = distinctItems(this.rowsA.map(normalize), this.groups);
    const b = distinctItems(this.rowsB.map(normalize), this.groups);
    const similarity = tf.tidy(() => tf.matMul(stack(a.rows), stack(b.rows), false, true).dataSync());
    const rows = a.rows.map((_, i) => similarity.subarray(i * b.rows.length, (i + 1) * b.rows.length));
    const scores = retrievalScores(rows, { ks: [1], rowIds: a.groups, columnIds: b.groups });
    if (this.direction === 'a-to-b') return this.score(scores.rowToColumn);
    if (this.direction === 'b-to-a') return this.score(scores.columnToRow);
    return (this.score(scores.rowToColumn) + this.score(scores.columnToRow)) / 2;
  }

  reset(): void {
    this.rowsA.length = 0;
    this.rowsB.length = 0;
    this.groups.length = 0;
    this.dim = undefined;
  }
}

function normalize(row: Float32Array): Float32Array {
  const norm = Math.sqrt(row.reduce((s, x) => s + x * x, 0));
  return norm === 0 ? row : row.map((x) => x / norm);
}

/** Drops rows that repeat an earlier row of the same group (within the tolerance); keeps order. */
function distinctItems(rows: Float32Array[], groups: number[]): { rows: Float32Array[]; groups: number[] } {
  const kept: { rows: Float32Array[]; groups: number[] } = { rows: [], groups: [] };
  const byGroup = new Map<number, Float32Array[]>();
  rows.forEach((row, i) => {
    const seen = byGroup.get(groups[i]) ?? [];
    if (seen.some((other) => other.every((x, k) => Math.abs(x - row[k]) <= DUPLICATE_TOLERANCE))) return;
    seen.push(row);
    byGroup.set(groups[i], seen);
    kept.rows.push(row);
    kept.groups.push(groups[i]);
  });
  return kept;
}

/** Rows as one `[n, D]` tensor. */
function stack(rows: Float32Array[]): tf.Tensor2D {
  const dim = rows[0].length;
  const flat = new Float32Array(rows.length * dim);
  rows.forEach((row, i) => flat.set(row, i * dim));
  return tf.tensor2d(flat, [rows.length, dim]);
}
