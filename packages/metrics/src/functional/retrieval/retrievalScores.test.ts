import { describe, expect, it } from 'vitest';
import { MetricInputError, retrievalScores } from '../../index.js';

describe('retrievalScores', () => {
  const similarity = [
    [0.9, 0.1, 0.5],
    [0.8, 0.7, 0.2],
    [0.1, 0.3, 0.2],
  ];

  it('ranks each row against the columns (diagonal relevant)', () => {
    const { rowToColumn } = retrievalScores(similarity, { ks: [1, 2] });
    expect(rowToColumn.ranks).toEqual([1, 2, 2]);
    expect(rowToColumn.recallAtK).toEqual({ 1: 1 / 3, 2: 1 });
    expect(rowToColumn.medianRank).toBe(2);
    expect(rowToColumn.meanRank).toBeCloseTo(5 / 3, 15);
    // One relevant item each: AP@10 = 1 / rank.
    expect(rowToColumn.mapAtK).toBeCloseTo((1 + 1 / 2 + 1 / 2) / 3, 15);
  });

  it('ranks each column against the rows, ties broken by lower index', () => {
    const { columnToRow } = retrievalScores(similarity);
    // Column 2 scores rows 0.5, 0.2, 0.2: row 1 is ranked before row 2.
    expect(columnToRow.ranks).toEqual([1, 1, 3]);
    expect(columnToRow.medianRank).toBe(1);
    expect(columnToRow.recallAtK[1]).toBeCloseTo(2 / 3, 15);
  });

  it('cuts mAP at K', () => {
    expect(retrievalScores(similarity, { mapK: 1 }).rowToColumn.mapAtK).toBeCloseTo(1 / 3, 15);
  });

  it('matches many captions per image by group id', () => {
    // 2 images × 4 captions, two captions per image.
    const s = [
      [0.2, 0.9, 0.1, 0.3],
      [0.8, 0.1, 0.7, 0.6],
    ];
    const { rowToColumn, columnToRow } = retrievalScores(s, { rowIds: [0, 1], columnIds: [0, 0, 1, 1], ks: [1] });
    // Image 0: captions ranked 1 (0.9, relevant) -> rank 1; AP = 1/1, then caption 0 at rank 3: (1 + 2/3) / 2.
    expect(rowToColumn.ranks).toEqual([1, 2]);
    expect(rowToColumn.mapAtK).toBeCloseTo(((1 + 2 / 3) / 2 + (1 / 2 + 2 / 3) / 2) / 2, 15);
    expect(columnToRow.ranks).toEqual([2, 1, 1, 1]);
  });

  it('rejects bad input naming the argument', () => {
    expect(() => retrievalScores([[1, 2]])).toThrow(/similarity/);
    expect(() => retrievalScores([[1, Number.NaN], [0, 1]])).toThrow(/similarity\[0\]\[1\]/);
    expect(() => retrievalScores([[1, 2], [3]])).toThrow(MetricInputError);
    expect(() => retrievalScores([[1, 0], [0, 1]], { rowIds: [0, 1], columnIds: [0, 0] })).toThrow(/row 1/);
    expect(() => retrievalScores([[1]], { ks: [0] })).toThrow(/ks\[0\]/);
  });
});
