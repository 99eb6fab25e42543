import { describe, expect, it } from 'vitest';
import { largerIsBetter, sweepMarkdown, sweepTable } from './sweepTable.js';
import type { SweepResult } from './sweepResults.js';

const result = (index: number, overrides: Record<string, unknown>, state: SweepResult['state'], metrics: Record<string, number> = {}): SweepResult => ({
  index,
  id: `000${index}`,
  state,
  overrides,
  metrics,
  ...(state === 'done' ? { parameters: 1234, trainingSeconds: 2.5 } : {}),
});

describe('sweep comparison table', () => {
  const results = [
    result(0, { 'model.fusion.name': 'concat', 'training.epochs': 2 }, 'done', { accuracy: 0.5, loss: 0.9 }),
    result(1, { 'model.fusion.name': 'gated', 'training.epochs': 2 }, 'done', { accuracy: 0.75, loss: 0.4 }),
    result(2, { 'model.fusion.name': 'late', 'training.epochs': 2 }, 'failed'),
    result(3, { 'model.fusion.name': 'early', 'training.epochs': 2 }, 'missing'),
  ];

  it('has a column per varying override, marks the best value per metric and the runs that are not done', () => {
    const table = sweepTable(results);
    expect(table.columns).toEqual(['index', 'id', 'fusion', 'state', 'accuracy', 'loss', 'parameters', 'training time']);
    expect(table.rows.map((r) => r.cells)).toEqual([
      ['0', '0000', 'concat', 'done', '0.5000', '0.9000', '1,234', '2.5 s'],
      ['1', '0001', 'gated', 'done', '0.7500', '0.4000', '1,234', '2.5 s'],
      ['2', '0002', 'late', '**FAILED**', '–', '–', '–', '–'],
      ['3', '0003', 'early', '**MISSING**', '–', '–', '–', '–'],
    ]);
    // Accuracy: larger is better; loss: smaller is better. Both bests are run 1's.
    expect(table.rows.map((r) => r.best.map((b, i) => (b ? table.columns[i] : '')).filter(Boolean))).toEqual([[], ['accuracy', 'loss'], [], []]);
    expect(largerIsBetter('f1_logits_label')).toBe(true);
    expect(largerIsBetter('val_loss')).toBe(false);
  });

  it('shows a section override with its config', () => {
    const table = sweepTable([result(0, { 'model.fusion': { name: 'gated', config: { units: 64 } } }, 'done'), result(1, { 'model.fusion': { name: 'concat' } }, 'done')]);
    expect(table.rows.map((r) => r.cells[2])).toEqual(['gated {"units":64}', 'concat']);
  });

  it('writes markdown with the best cells in bold', () => {
    const markdown = sweepMarkdown('Sweep t', sweepTable(results));
    expect(markdown).toContain('| index | id | fusion | state | accuracy | loss | parameters | training time |');
    expect(markdown).toContain('| 1 | 0001 | gated | done | **0.7500** ★ | **0.4000** ★ | 1,234 | 2.5 s |');
    expect(markdown).toContain('| 2 | 0002 | late | **FAILED** | – | – | – | – |');
  });
});
