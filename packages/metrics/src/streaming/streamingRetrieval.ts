import { MetricInputError } from '../errors.js';
import { retrievalScores, type RetrievalScores } from '../functional/retrieval/retrievalScores.js';
import { assertOneOf, describe } from '../util/validate.js';
import { StreamingMetric } from './streamingMetric.js';
import { toArray, type ArrayOrTensor } from './toArray.js';

export interface StreamingRetrievalOptions {
  /** Similarity of two embeddings: cosine (default) or plain dot product. */
  similarity?: 'cosine' | 'dot';
  /** The K of recall@K. Default `[1, 5, 10]`. */
  ks?: readonly number[];
  /** The K of mAP@K. Default 10. */
  mapK?: number;
}

export interface RetrievalBatchIds {
  /** Group id per row embedding; with `columnIds`, relevance is id equality. */
  rowIds: readonly (number | string)[];
  columnIds: readonly (number | string)[];
}

/**
 * Cross-modal retrieval over batches: collects row embeddings (e.g. images)
 * and column embeddings (e.g. captions), concatenated when merging, and
 * computes `retrievalScores` on their similarity matrix. Without ids, each
 * update adds aligned pairs (row i matches column i); with ids, relevance is
 * id equality (e.g. five captions per image). Do not mix the two modes.
 */
export class StreamingRetrieval extends StreamingMetric<RetrievalScores> {
  readonly options: Required<StreamingRetrievalOptions>;

  constructor(options: StreamingRetrievalOptions = {}) {
    super();
    this.options = { similarity: options.similarity ?? 'cosine', ks: options.ks ?? [1, 5, 10], mapK: options.mapK ?? 10 };
    assertOneOf(this.options.similarity, ['cosine', 'dot'] as const, 'similarity');
    this.addState('rows', 'cat', () => []);
    this.addState('columns', 'cat', () => []);
    this.addState('rowIds', 'cat', () => []);
    this.addState('columnIds', 'cat', () => []);
  }

  protected configKey(): string {
    return JSON.stringify(this.options);
  }

  /** Adds row and column embeddings (arrays or tensors of shape [n, d]), with optional group ids. */
  update(rowEmbeddings: ArrayOrTensor, columnEmbeddings: ArrayOrTensor, ids?: RetrievalBatchIds): void {
    const rows = this.checkEmbeddings(toArray(rowEmbeddings, 'rowEmbeddings'), 'rowEmbeddings');
    const columns = this.checkEmbeddings(toArray(columnEmbeddings, 'columnEmbeddings'), 'columnEmbeddings');
    const hasIds = (this.states.rowIds as unknown[]).some((id) => id !== null);
    const empty = (this.states.rows as unknown[]).length === 0;
    if (!empty && hasIds !== (ids !== undefined)) throw new MetricInputError('ids', 'pass ids with every update or with none');
    if (ids === undefined) {
      if (rows.length !== columns.length) throw new MetricInputError('columnEmbeddings', `expected ${rows.length} rows to pair with rowEmbeddings, got ${columns.length} (pass ids for unpaired batches)`);
      (this.states.rowIds as unknown[]).push(...rows.map(() => null));
      (this.states.columnIds as unknown[]).push(...columns.map(() => null));
    } else {
      if (!Array.isArray(ids.rowIds) || ids.rowIds.length !== rows.length) throw new MetricInputError('ids.rowIds', `expected ${rows.length} ids, got ${describe(ids.rowIds)}`);
      if (!Array.isArray(ids.columnIds) || ids.columnIds.length !== columns.length) throw new MetricInputError('ids.columnIds', `expected ${columns.length} ids, got ${describe(ids.columnIds)}`);
      (this.states.rowIds as unknown[]).push(...ids.rowIds);
      (this.states.columnIds as unknown[]).push(...ids.columnIds);
    }
    (this.states.rows as unknown[]).push(...rows);
    (this.states.columns as unknown[]).push(...columns);
  }

  private checkEmbeddings(values: unknown[], argument: string): number[][] {
    const dim = (this.states.rows as number[][])[0]?.length ?? (Array.isArray(values[0]) ? (values[0] as unknown[]).length : 0);
    values.forEach((row, i) => {
      if (!Array.isArray(row) || row.length !== dim || dim === 0) throw new MetricInputError(`${argument}[${i}]`, `expected an embedding of ${dim || 'non-zero'} numbers, got ${describe(row)}`);
      row.forEach((v, j) => {
        if (typeof v !== 'number' || !Number.isFinite(v)) throw new MetricInputError(`${argument}[${i}][${j}]`, `expected a finite number, got ${describe(v)}`);
      });
    });
    return values as number[][];
  }

  compute(): RetrievalScores {
    const rows = this.states.rows as number[][];
    const columns = this.states.columns as number[][];
    if (rows.length === 0 || columns.length === 0) throw new MetricInputError('update', 'no embeddings were added before compute()');
    const normalize = (v: number[]) => {
      if (this.options.similarity === 'dot') return v;
      const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0));
      return norm === 0 ? v : v.map((x) => x / norm);
    };
    const r = rows.map(normalize);
    const c = columns.map(normalize);
    const similarity = r.map((a) => c.map((b) => a.reduce((s, x, k) => s + x * b[k], 0)));
    const paired = (this.states.rowIds as unknown[]).every((id) => id === null);
    return retrievalScores(similarity, {
      ks: this.options.ks,
      mapK: this.options.mapK,
      ...(paired ? {} : { rowIds: this.states.rowIds as (number | string)[], columnIds: this.states.columnIds as (number | string)[] }),
    });
  }
}
