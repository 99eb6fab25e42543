import { MetricInputError } from '../../errors.js';
import { pairwiseSum } from '../../util/fsum.js';
import { assertNonEmptyArray, describe } from '../../util/validate.js';

export interface RetrievalOptions {
  /** The K of recall@K. Default `[1, 5, 10]`. */
  ks?: readonly number[];
  /** The K of mAP@K. Default 10. */
  mapK?: number;
  /**
   * Group id of each row (e.g. the image of each image embedding). A row and a
   * column are relevant to each other when their ids are equal. Default: the
   * row index, so with the default `columnIds` the diagonal is relevant.
   */
  rowIds?: readonly (number | string)[];
  /** Group id of each column (e.g. the image each caption describes). Default: the column index. */
  columnIds?: readonly (number | string)[];
}

/** Scores of one retrieval direction. */
export interface RetrievalDirectionScores {
  /** Fraction of queries whose first relevant item ranks within K, keyed by K. */
  recallAtK: Record<number, number>;
  /** Median over queries of the rank (1 = first) of the first relevant item. */
  medianRank: number;
  /** Mean of the same ranks. */
  meanRank: number;
  /** Mean average precision over the top `mapK` items. */
  mapAtK: number;
  /** The rank of each query's first relevant item. */
  ranks: number[];
}

export interface RetrievalScores {
  /** Rows as queries, columns retrieved (e.g. image → text). */
  rowToColumn: RetrievalDirectionScores;
  /** Columns as queries, rows retrieved (e.g. text → image). */
  columnToRow: RetrievalDirectionScores;
}

/**
 * Scores one direction. `similarity(q, i)` is the score of item i for query q;
 * items are ranked by descending score, ties broken by lower index first (a
 * stable sort), so results are deterministic.
 */
function direction(
  nQueries: number,
  nItems: number,
  similarity: (q: number, i: number) => number,
  relevant: (q: number, i: number) => boolean,
  ks: readonly number[],
  mapK: number,
  queryName: string,
): RetrievalDirectionScores {
  const ranks: number[] = [];
  const aps: number[] = [];
  const order = new Uint32Array(nItems);
  const scores = new Float64Array(nItems);
  for (let q = 0; q < nQueries; q++) {
    for (let i = 0; i < nItems; i++) {
      order[i] = i;
      scores[i] = similarity(q, i);
    }
    order.sort((a, b) => scores[b] - scores[a] || a - b);
    let first = 0;
    let hits = 0;
    let precisionSum = 0;
    for (let r = 0; r < nItems; r++) {
      if (!relevant(q, order[r])) continue;
      if (first === 0) first = r + 1;
      if (r < mapK) {
        hits++;
        precisionSum += hits / (r + 1);
      } else if (first !== 0) break;
    }
    if (first === 0) throw new MetricInputError(`${queryName} ${q}`, 'has no relevant item; check rowIds / columnIds');
    ranks.push(first);
    aps.push(hits === 0 ? 0 : precisionSum / hits);
  }
  const recallAtK: Record<number, number> = {};
  for (const k of ks) recallAtK[k] = ranks.filter((r) => r <= k).length / nQueries;
  const sorted = Float64Array.from(ranks).sort();
  const mid = Math.floor(nQueries / 2);
  const medianRank = nQueries % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { recallAtK, medianRank, meanRank: pairwiseSum(ranks) / nQueries, mapAtK: pairwiseSum(aps) / nQueries, ranks };
}

function checkIds(ids: readonly (number | string)[] | undefined, n: number, argument: string): readonly (number | string)[] {
  if (ids === undefined) return Array.from({ length: n }, (_, i) => i);
  if (!Array.isArray(ids) || ids.length !== n) throw new MetricInputError(argument, `expected ${n} ids, got ${describe(ids)}`);
  return ids;
}

/**
 * Cross-modal retrieval scores from a similarity matrix (rows × columns, e.g.
 * images × captions), in both directions, as the VSE++ / CLIP evaluation
 * protocol reports them: recall@K (a query counts if any relevant item ranks
 * within K), median and mean rank of the first relevant item, and mAP@K as
 * torchmetrics `retrieval_average_precision(top_k=K)` defines it: the mean of
 * precision@r over the relevant items at ranks r ≤ K (0 if none). Ties in
 * similarity rank the lower index first. Every query needs a relevant item.
 */
export function retrievalScores(similarity: readonly (ArrayLike<number>)[], options: RetrievalOptions = {}): RetrievalScores {
  assertNonEmptyArray(similarity, 'similarity');
  const nRows = similarity.length;
  const nCols = similarity[0]?.length ?? 0;
  if (nCols === 0) throw new MetricInputError('similarity[0]', 'expected a non-empty row of scores');
  for (let r = 0; r < nRows; r++) {
    const row = similarity[r];
    if (row == null || row.length !== nCols) throw new MetricInputError(`similarity[${r}]`, `expected ${nCols} scores like row 0, got ${describe(row)}`);
    for (let c = 0; c < nCols; c++) {
      if (typeof row[c] !== 'number' || !Number.isFinite(row[c])) throw new MetricInputError(`similarity[${r}][${c}]`, `expected a finite number, got ${describe(row[c])}`);
    }
  }
  const ks = options.ks ?? [1, 5, 10];
  ks.forEach((k, i) => {
    if (!Number.isInteger(k) || k < 1) throw new MetricInputError(`ks[${i}]`, `expected a positive integer, got ${describe(k)}`);
  });
  const mapK = options.mapK ?? 10;
  if (!Number.isInteger(mapK) || mapK < 1) throw new MetricInputError('mapK', `expected a positive integer, got ${describe(mapK)}`);
  if (options.rowIds === undefined && options.columnIds === undefined && nRows !== nCols) {
    throw new MetricInputError('similarity', `is ${nRows}×${nCols}; a non-square matrix needs rowIds and columnIds to say which pairs match`);
  }
  const rowIds = checkIds(options.rowIds, nRows, 'rowIds');
  const columnIds = checkIds(options.columnIds, nCols, 'columnIds');
  return {
    rowToColumn: direction(nRows, nCols, (q, i) => similarity[q][i], (q, i) => rowIds[q] === columnIds[i], ks, mapK, 'row'),
    columnToRow: direction(nCols, nRows, (q, i) => similarity[i][q], (q, i) => columnIds[q] === rowIds[i], ks, mapK, 'column'),
  };
}
